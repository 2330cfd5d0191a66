#pragma once
// Why an encounter is lawful (the authority under which a clinician acts), and
// the pathways by which a clinician can obtain an authorization.
#include <array>
#include <cstdint>
#include <string_view>

namespace licsim {

/// An authority's code. The licenses' and the shipped regimes' are named here:
/// they are the fixed labels of the output's `authority` dimension (shipped
/// files keep their layout). A regime declares the labels it grants in its
/// module (engine/regimes/module.hpp); one not listed here gets the next code
/// (engine/regimes/registry.cpp: authority_labels, authority_code).
enum class Authority : std::uint8_t {
  none,                     ///< unauthorized
  full_license,             ///< a state license obtained by the traditional route
  compact_license,          ///< a state license issued through the IMLC
  registration,             ///< telehealth registration / special telemedicine license
  telemed_act,              ///< TELE-MED Act: any US license, Medicare patient, telemedicine
  waiver,                   ///< emergency waiver: any US license, telemedicine, inside the window
  national_license,         ///< one license valid in every US jurisdiction
  recognized,               ///< international recognition, full tier
  supervised,               ///< international recognition, supervised tier
  consultation_exception,   ///< physician-to-physician consultation exception
  emergency_exception,      ///< emergency telepsychiatry exception
};
/// The shipped labels; authority_labels() adds those of regimes registered later.
inline constexpr int authority_count = 11;
inline constexpr std::array<std::string_view, authority_count> authority_names = {
    "unauthorized",     "full_license",           "compact_license",    "registration",
    "telemed_act",      "waiver",                 "national_license",   "recognized",
    "supervised",       "consultation_exception", "emergency_exception"};

/// How an authorization was applied for.
enum class Pathway : std::uint8_t { full_license, compact, registration, national_license, recognition };
inline constexpr int pathway_count = 5;
inline constexpr std::array<std::string_view, pathway_count> pathway_names = {
    "full_license", "compact", "registration", "national_license", "recognition"};

/// What became of a relationship that a rule change interrupted.
enum class DisruptionOutcome : std::uint8_t { continued, moved, switched_in_person, lost };
inline constexpr int disruption_outcome_count = 4;
inline constexpr std::array<std::string_view, disruption_outcome_count> disruption_outcome_names = {
    "continued", "moved_to_other_clinician", "switched_to_in_person", "lost"};

/// What an adverse event is attributed to (excess risk shared by log multiplier).
enum class HarmCause : std::uint8_t {
  baseline, exam_gap, language_discordance, record_gap, controlled_substance, supervision_gap
};
inline constexpr int harm_cause_count = 6;
inline constexpr std::array<std::string_view, harm_cause_count> harm_cause_names = {
    "baseline", "telehealth_without_exam", "language_discordance", "record_gap",
    "controlled_without_in_person", "recognition_supervision"};

/// Authorities that come from a rule or regime rather than a license of the
/// jurisdiction itself: losing one of these is a rule change.
constexpr bool is_regime_authority(Authority a) {
  return a != Authority::none && a != Authority::full_license && a != Authority::compact_license;
}

}  // namespace licsim
