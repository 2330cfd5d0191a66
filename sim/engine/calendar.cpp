#include "engine/calendar.hpp"

#include <optional>
#include <sstream>

namespace licsim {

std::optional<std::chrono::year_month_day> parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char dash1 = 0, dash2 = 0;
  std::istringstream in(text);
  if (!(in >> y >> dash1 >> m >> dash2 >> d) || dash1 != '-' || dash2 != '-' || !in.eof())
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m},
                                         std::chrono::day{d}};
  if (!date.ok() || y < 1900 || y > 2200) return std::nullopt;
  return date;
}

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
