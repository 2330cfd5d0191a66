#pragma once
// Calendar arithmetic for day indices counted from the scenario's start date.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace licsim {

/// Parses exactly YYYY-MM-DD (core/date.hpp); nullopt when malformed or not a real date.
std::optional<std::chrono::year_month_day> parse_date(const std::string& text);

struct Calendar {
  std::chrono::year_month_day start;
  std::vector<int> month_of_day;     ///< month index (0 = start month) of each day
  std::vector<int> month_start_day;  ///< first day index of each month in the horizon
  std::vector<unsigned> calendar_month_of_day;  ///< 1..12

  Calendar(std::chrono::year_month_day start, int days);
  int months() const { return static_cast<int>(month_start_day.size()); }
};

}  // namespace licsim
