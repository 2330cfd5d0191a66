#include "engine/calendar.hpp"

#include <optional>

#include "core/date.hpp"

namespace licsim {

std::optional<std::chrono::year_month_day> parse_date(const std::string& text) { return parse_iso_date(text); }

Calendar::Calendar(std::chrono::year_month_day start_date, int days) : start(start_date) {
  const std::chrono::sys_days first{start};
  int month = -1;
  unsigned previous = 0;
  for (int d = 0; d < days; ++d) {
    const std::chrono::year_month_day date{first + std::chrono::days{d}};
    const unsigned m = static_cast<unsigned>(date.month());
    if (d == 0 || m != previous) {
      ++month;
      month_start_day.push_back(d);
      previous = m;
    }
    month_of_day.push_back(month);
    calendar_month_of_day.push_back(m);
  }
}

}  // namespace licsim
