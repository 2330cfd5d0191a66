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

using ClinicianId = std::uint32_t;
using PatientId = std::uint32_t;
inline constexpr ClinicianId no_clinician = std::numeric_limits<ClinicianId>::max();

}  // namespace licsim
