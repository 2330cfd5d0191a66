#include "engine/regimes/build_context.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include "core/errors.hpp"
#include "engine/calendar.hpp"

namespace licsim {

std::optional<int> RegimeBuildContext::day_of(const std::string& text) const {
  if (text.empty()) return std::nullopt;
  const auto date = parse_date(text);
  if (!date) throw std::invalid_argument("expected a date YYYY-MM-DD, got \"" + printable(text) + "\"");
  return static_cast<int>((std::chrono::sys_days{*date} - std::chrono::sys_days{start_}).count());
}

std::optional<int> RegimeBuildContext::day_of_key(const std::string& key) const {
  try {
    return day_of(scenario.text(key));
  } catch (const std::invalid_argument& e) {
    const auto o = scenario.origin(key);
    throw ScenarioError(o.file, o.line, key, e.what());
  }
}

Window RegimeBuildContext::window(const std::string& prefix) const {
  Window w;
  w.start = day_of_key(prefix + ".start_date").value_or(std::numeric_limits<int>::min() / 2);
  // An end date is the last day the rule applies.
  if (const auto end = day_of_key(prefix + ".end_date")) w.end = *end + 1;
  check_order(prefix + ".start_date", prefix + ".end_date");
  return w;
}

void RegimeBuildContext::check_order(const std::string& start_key, const std::string& end_key) const {
  const auto first = day_of_key(start_key);
  const auto last = day_of_key(end_key);
  if (first && last && *last < *first) {
    const auto o = scenario.origin(end_key);
    throw ScenarioError(o.file, o.line, end_key,
                        "end_date is before start_date (" + scenario.text(end_key) + " < " + start_key + " " +
                            scenario.text(start_key) + ")");
  }
}

void RegimeBuildContext::check_unique(const DataTable& t, const std::string& col) const {
  const auto c = column(t, col);
  std::map<std::string, std::size_t> first;  // value -> row
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto [seen, fresh] = first.emplace(t.rows[r][c], r);
    if (!fresh)
      fail(t, r, col, "'" + printable(t.rows[r][c]) + "' appears twice (first at line " +
                          std::to_string(t.row_lines[seen->second]) + ")");
  }
}

const DataTable& RegimeBuildContext::table(const std::string& key) const {
  const auto it = scenario.tables.find(key);
  if (it == scenario.tables.end()) {
    const auto o = scenario.origin(key);
    throw ScenarioError(o.file, o.line, key, "expected a data file (the regime is enabled)");
  }
  return it->second;
}

std::size_t RegimeBuildContext::column(const DataTable& t, const std::string& name) {
  for (std::size_t i = 0; i < t.header.size(); ++i)
    if (t.header[i] == name) return i;
  throw DataError(t.path + ": missing column '" + name + "'");
}

void RegimeBuildContext::fail(const DataTable& t, std::size_t row, const std::string& column,
                              const std::string& problem) {
  throw DataError(t.path + ":" + std::to_string(t.row_lines[row]) + ": column '" + column + "': " +
                  problem);
}

std::size_t RegimeBuildContext::jurisdiction(const DataTable& t, std::size_t row,
                                             const std::string& col) const {
  const auto& code = t.rows[row][column(t, col)];
  const auto idx = scenario.places.find(code);
  if (!idx || !scenario.places.is_us(*idx)) fail(t, row, col, "unknown jurisdiction '" + printable(code) + "'");
  return *idx;
}

std::optional<double> RegimeBuildContext::number(const DataTable& t, std::size_t row,
                                                 const std::string& col, double lo, double hi) const {
  const auto& text = t.rows[row][column(t, col)];
  if (text.empty()) return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v) || v < lo || v > hi) {
    std::ostringstream msg;
    msg << "expected a number in [" << lo << ", " << hi << "], got '" << printable(text) << "'";
    fail(t, row, col, msg.str());
  }
  return v;
}

std::optional<int> RegimeBuildContext::date(const DataTable& t, std::size_t row,
                                            const std::string& col) const {
  try {
    return day_of(t.rows[row][column(t, col)]);
  } catch (const std::invalid_argument& e) {
    fail(t, row, col, e.what());
  }
}

std::vector<std::size_t> RegimeBuildContext::codes(const std::string& key, bool us_only) const {
  std::vector<std::size_t> out;
  const std::string& text = scenario.text(key);
  if (text == "ALL") {
    for (std::size_t j = 0; j < scenario.places.us.size(); ++j) out.push_back(j);
    return out;
  }
  std::istringstream in(text);
  std::string code;
  int position = 0;
  while (std::getline(in, code, ',')) {
    ++position;
    const auto idx = scenario.places.find(code);
    if (!idx || (us_only && !scenario.places.is_us(*idx))) {
      const auto o = scenario.origin(key);
      throw ScenarioError(o.file, o.line, key,
                          "unknown place code '" + printable(code) + "' (item " + std::to_string(position) + ")");
    }
    if (const auto dup = std::find(out.begin(), out.end(), *idx); dup != out.end()) {
      const auto o = scenario.origin(key);
      throw ScenarioError(o.file, o.line, key,
                          "'" + code + "' is listed twice (items " + std::to_string(dup - out.begin() + 1) + " and " +
                              std::to_string(position) + ")");
    }
    out.push_back(*idx);
  }
  return out;
}

}  // namespace licsim
