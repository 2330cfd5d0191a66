#pragma once
// Small vocabulary types of the model: payers, age bands, areas, modalities.
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>

namespace licsim {

inline constexpr int age_band_count = 4;  // 0-17, 18-44, 45-64, 65+
inline constexpr std::array<std::string_view, age_band_count> age_band_names = {
    "0_17", "18_44", "45_64", "65_plus"};
inline constexpr int age_65_plus = 3;

enum class Payer : std::uint8_t { medicare, medicaid, private_insurance, uninsured };
inline constexpr int payer_count = 4;
inline constexpr std::array<std::string_view, payer_count> payer_names = {
    "medicare", "medicaid", "private", "uninsured"};

inline constexpr int area_count = 2;  // urban, rural
inline constexpr std::array<std::string_view, area_count> area_names = {"urban", "rural"};

enum class Modality : std::uint8_t { in_person, telehealth };
inline constexpr int modality_count = 2;
inline constexpr std::array<std::string_view, modality_count> modality_names = {"in_person",
                                                                               "telehealth"};

/// Attributes of an episode of need (bits of Episode::flags).
enum EpisodeFlag : std::uint16_t {
  ep_needs_exam = 1,
  ep_controlled = 2,
  ep_follow_up = 4,
  ep_prefers_telehealth = 8,
  ep_telehealth_covered = 16,
  ep_in_person_history = 32,  ///< the known clinician has seen the patient in person
  ep_signalled = 64,          ///< already reported as unmet telemedicine demand
  ep_consultation = 128,      ///< a physician-to-physician consultation
  ep_emergency = 256,         ///< an emergency (e.g. emergency telepsychiatry)
  ep_rule_disrupted = 512,    ///< its relationship was cut by a rule change
  ep_disruption_counted = 1024,  ///< its disruption has been counted
  ep_covered_away = 2048,     ///< the payer also pays for telemedicine while the patient is away
  ep_avoids_in_person = 4096, ///< the patient will not be seen in person (telemedicine take-up)
};

using ClinicianId = std::uint32_t;
using PatientId = std::uint32_t;
inline constexpr ClinicianId no_clinician = std::numeric_limits<ClinicianId>::max();

}  // namespace licsim
