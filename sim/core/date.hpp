#pragma once
// Calendar dates as scenarios and data files spell them: exactly YYYY-MM-DD.
#include <chrono>
#include <optional>
#include <string_view>

namespace licsim {

/// Years a date may name (the engine's calendar arithmetic and the data cover these).
constexpr int min_date_year = 1900;
constexpr int max_date_year = 2200;

/// Parses exactly ten characters YYYY-MM-DD (digits only: no sign, no spaces,
/// no other lengths), a real calendar date in [min_date_year, max_date_year];
/// nullopt otherwise.
inline std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto digits = [&](std::size_t from, std::size_t count, int& value) {
    value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      value = value * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (y < min_date_year || y > max_date_year || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                         std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace licsim
