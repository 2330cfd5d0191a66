#include "io/data_files.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/errors.hpp"
#include "io/input_file.hpp"

namespace licsim {

CsvTable parse_csv(const std::string& text, const std::string& name) {
  CsvTable table;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  int line = 1;
  int row_line = 1;
  auto end_row = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    const bool blank = row.size() == 1 && row[0].empty();
    if (!blank) {
      if (table.header.empty()) {
        table.header = std::move(row);
      } else {
        if (row.size() != table.header.size())
          throw DataError(name + ":" + std::to_string(row_line) + ": expected " +
                          std::to_string(table.header.size()) + " fields, got " +
                          std::to_string(row.size()));
        table.rows.push_back(std::move(row));
        table.row_lines.push_back(row_line);
      }
    }
    row.clear();
  };
  // A UTF-8 byte-order mark (spreadsheets write one) is not part of the first column's name.
  const std::size_t begin = text.compare(0, 3, "\xef\xbb\xbf") == 0 ? 3 : 0;
  for (std::size_t i = begin; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"') quoted = true;
    else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n') {
      end_row();
      ++line;
      row_line = line;
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (quoted) throw DataError(name + ": unterminated quoted field");
  if (!cell.empty() || !row.empty()) end_row();
  if (table.header.empty()) throw DataError(name + ": empty file");
  return table;
}

namespace {

std::string read_text(const std::filesystem::path& path, const std::string& key) {
  std::string problem;
  if (auto text = read_input_file(path, problem)) return std::move(*text);
  throw DataError(printable(path.string(), 0) + " (named by " + key + "): " + problem);
}

class Columns {
 public:
  Columns(const CsvTable& table, std::string name) : table_(table), name_(std::move(name)) {}

  std::size_t index(const std::string& column) const {
    const auto it = std::find(table_.header.begin(), table_.header.end(), column);
    if (it == table_.header.end()) {
      std::string present;
      for (const auto& h : table_.header) present += (present.empty() ? "'" : ", '") + printable(h, 40) + "'";
      throw DataError(name_ + ": missing column '" + column + "' (the header has " + present + ")");
    }
    return static_cast<std::size_t>(it - table_.header.begin());
  }
  const std::string& cell(std::size_t row, const std::string& column) const {
    return table_.rows[row][index(column)];
  }
  std::optional<double> maybe_number(std::size_t row, const std::string& column, double lo,
                                     double hi) const {
    const std::string& text = cell(row, column);
    if (text.empty()) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) ||
        value < lo || value > hi)
      throw DataError(name_ + ":" + std::to_string(table_.row_lines[row]) + ": column '" + column +
                      "': expected a number in [" + std::to_string(lo) + ", " +
                      std::to_string(hi) + "], got '" + printable(text) + "'");
    return value;
  }
  double number(std::size_t row, const std::string& column, double lo, double hi) const {
    auto value = maybe_number(row, column, lo, hi);
    if (!value)
      throw DataError(name_ + ":" + std::to_string(table_.row_lines[row]) + ": column '" + column +
                      "': expected a number, got an empty field");
    return *value;
  }

 private:
  const CsvTable& table_;
  std::string name_;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

// Data paths are relative to the file that named them.
std::filesystem::path resolve(const Scenario& scenario, const std::string& key) {
  const std::filesystem::path value = scenario.text(key);
  if (value.is_absolute()) return value;
  const auto origin = scenario.origin(key);
  const std::filesystem::path origin_file = origin.file;
  std::error_code ec;
  if (origin.line > 0 && std::filesystem::exists(origin_file, ec))
    return origin_file.parent_path() / value;
  return scenario.base_dir / value;
}

/// The border-counties file into each jurisdiction's border shares: a row per
/// (state, neighbour) with the border counties' and the state's residents.
void load_border_counties(const Scenario& scenario, Places& places) {
  const auto path = resolve(scenario, "world.border_counties_file");
  const auto table = parse_csv(read_text(path, "world.border_counties_file"), path.string());
  const Columns col(table, path.string());
  const auto where = [&](std::size_t r) { return path.string() + ":" + std::to_string(table.row_lines[r]); };
  std::map<std::string, int> pairs;  // "code,neighbour" -> line
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& code = col.cell(r, "code");
    const auto& neighbour = col.cell(r, "neighbour");
    const auto j = places.find(code);
    if (!j || !places.is_us(*j))
      throw DataError(where(r) + ": column 'code': unknown jurisdiction '" + printable(code) + "'");
    auto& data = places.us[*j];
    if (std::find(data.neighbours.begin(), data.neighbours.end(), neighbour) == data.neighbours.end())
      throw DataError(where(r) + ": column 'neighbour': '" + printable(neighbour) + "' is not a neighbour of " +
                      code + " in the jurisdictions file");
    if (const auto seen = pairs.find(code + "," + neighbour); seen != pairs.end())
      throw DataError(where(r) + ": " + code + " and " + neighbour + " are listed twice (first at line " +
                      std::to_string(seen->second) + ")");
    pairs.emplace(code + "," + neighbour, table.row_lines[r]);
    const double border = col.number(r, "border_county_population", 0, 1e10);
    const double total = col.number(r, "state_population", 1, 1e10);
    if (border > total)
      throw DataError(where(r) + ": border_county_population exceeds state_population");
    data.border_shares.emplace_back(neighbour, border / total);
    double sum = 0;
    for (const auto& [n, share] : data.border_shares) sum += share;
    if (sum > 1 + 1e-9)
      throw DataError(where(r) + ": the border counties of " + code + " hold more than its population");
  }
}

}  // namespace

void load_world(Scenario& scenario) {
  constexpr double big = 1e10;
  Places places;
  std::vector<int> jurisdiction_lines;  // line of each jurisdiction in its file
  {
    const auto path = resolve(scenario, "world.jurisdictions_file");
    scenario.jurisdictions_csv = read_text(path, "world.jurisdictions_file");
    const auto table = parse_csv(scenario.jurisdictions_csv, path.string());
    const Columns col(table, path.string());
    std::map<std::string, int> lines;  // code -> line, for duplicates
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const std::string where = path.string() + ":" + std::to_string(table.row_lines[r]);
      JurisdictionData j;
      j.code = col.cell(r, "code");
      j.name = col.cell(r, "name");
      j.population = col.number(r, "population", 0, big);
      j.rural_share = col.number(r, "pct_rural", 0, 100) / 100.0;
      j.active_physicians = col.number(r, "active_physicians", 0, big);
      j.medicare_share = col.number(r, "medicare_share", 0, 1);
      j.neighbours = split(col.cell(r, "neighbours"), ';');
      j.license_fee_usd = col.maybe_number(r, "license_fee_usd", 0, big);
      j.processing_days_low = col.maybe_number(r, "processing_days_low", 0, 3650);
      j.processing_days_high = col.maybe_number(r, "processing_days_high", 0, 3650);
      j.renewal_fee_usd = col.maybe_number(r, "renewal_fee_usd", 0, big);
      j.renewal_cycle_years = col.maybe_number(r, "renewal_cycle_years", 0.25, 10);
      if (j.code.size() != 2)
        throw DataError(where + ": column 'code': expected a two-letter code, got '" + printable(j.code) + "'");
      if (const auto [seen, fresh] = lines.emplace(j.code, table.row_lines[r]); !fresh)
        throw DataError(where + ": column 'code': jurisdiction '" + printable(j.code) +
                        "' is listed twice (first at line " + std::to_string(seen->second) + ")");
      for (std::size_t a = 0; a < j.neighbours.size(); ++a)
        for (std::size_t b = 0; b < a; ++b)
          if (j.neighbours[a] == j.neighbours[b])
            throw DataError(where + ": column 'neighbours': '" + printable(j.neighbours[a]) + "' is listed twice");
      if (j.processing_days_low && j.processing_days_high &&
          *j.processing_days_low > *j.processing_days_high)
        throw DataError(path.string() + ":" + std::to_string(table.row_lines[r]) +
                        ": processing_days_low exceeds processing_days_high");
      places.us.push_back(std::move(j));
      jurisdiction_lines.push_back(table.row_lines[r]);
    }
    if (places.us.empty()) throw DataError(path.string() + ": no jurisdictions");
    if (places.us.size() > max_us_jurisdictions)
      throw DataError(path.string() + ": at most " + std::to_string(max_us_jurisdictions) +
                      " jurisdictions are supported");
  }
  {
    const auto path = resolve(scenario, "world.foreign_locations_file");
    scenario.foreign_locations_csv = read_text(path, "world.foreign_locations_file");
    const auto table = parse_csv(scenario.foreign_locations_csv, path.string());
    const Columns col(table, path.string());
    std::map<std::string, int> lines;  // code -> line, for duplicates
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      ForeignLocationData f;
      f.code = col.cell(r, "code");
      f.name = col.cell(r, "name");
      f.us_licensed_physicians = col.number(r, "us_licensed_physicians", 0, big);
      f.travel_destination_weight = col.number(r, "travel_destination_weight", 0, 1);
      if (f.code.size() != 3)
        throw DataError(path.string() + ":" + std::to_string(table.row_lines[r]) +
                        ": column 'code': expected an ISO 3166 alpha-3 code, got '" + printable(f.code) + "'");
      if (const auto [seen, fresh] = lines.emplace(f.code, table.row_lines[r]); !fresh)
        throw DataError(path.string() + ":" + std::to_string(table.row_lines[r]) + ": column 'code': location '" +
                        printable(f.code) + "' is listed twice (first at line " + std::to_string(seen->second) + ")");
      places.foreign.push_back(std::move(f));
    }
  }
  if (places.size() > max_places)
    throw DataError(resolve(scenario, "world.foreign_locations_file").string() + ": at most " +
                    std::to_string(max_places - places.us.size()) + " foreign locations are supported with " +
                    std::to_string(places.us.size()) + " jurisdictions (" + std::to_string(max_places) +
                    " places in all)");
  if (!scenario.text("world.border_counties_file").empty()) load_border_counties(scenario, places);
  std::set<std::string> codes;
  for (std::size_t i = 0; i < places.size(); ++i)
    if (!codes.insert(places.code(i)).second)
      throw DataError("duplicate place code '" + printable(places.code(i)) + "' (in " +
                      resolve(scenario, "world.jurisdictions_file").string() + " and " +
                      resolve(scenario, "world.foreign_locations_file").string() + ")");
  for (std::size_t k = 0; k < places.us.size(); ++k)
    for (const auto& n : places.us[k].neighbours) {
      const auto idx = places.find(n);
      if (!idx || !places.is_us(*idx))
        throw DataError(resolve(scenario, "world.jurisdictions_file").string() + ":" +
                        std::to_string(jurisdiction_lines[k]) + ": column 'neighbours': jurisdiction " +
                        places.us[k].code + ": unknown neighbour '" + printable(n) + "'");
    }
  for (const auto& code : scenario.members("jurisdiction")) {
    const auto idx = places.find(code);
    if (!idx || !places.is_us(*idx)) {
      const auto& [key, value] = *scenario.values().lower_bound("jurisdiction." + code + ".");
      const auto origin = scenario.origin(key);
      throw ScenarioError(origin.file, origin.line, key,
                          "unknown jurisdiction '" + printable(code) + "' (expected a code from " +
                              scenario.text("world.jurisdictions_file") + ")");
    }
  }
  scenario.places = std::move(places);

  // Regime data files: parsed here, interpreted by the regimes.
  scenario.tables.clear();
  for (const auto& [key, value] : scenario.values()) {
    if (key.size() < 5 || key.compare(key.size() - 5, 5, "_file") != 0) continue;
    if (key == "world.jurisdictions_file" || key == "world.foreign_locations_file") continue;
    if (std::get<std::string>(value).empty()) continue;
    const auto path = resolve(scenario, key);
    DataTable table;
    table.path = path.string();
    table.text = read_text(path, key);
    auto csv = parse_csv(table.text, table.path);
    table.header = std::move(csv.header);
    table.rows = std::move(csv.rows);
    table.row_lines = std::move(csv.row_lines);
    scenario.tables.emplace(key, std::move(table));
  }
}

std::vector<std::filesystem::path> input_files(const Scenario& scenario) {
  std::set<std::filesystem::path> files;
  if (!scenario.source_name.empty()) files.insert(scenario.source_name);
  for (const auto& [key, value] : scenario.values()) {
    const auto origin = scenario.origin(key);
    if (origin.line > 0) files.insert(origin.file);
    const auto* text = std::get_if<std::string>(&value);
    if (text && !text->empty() && key.size() > 5 && key.compare(key.size() - 5, 5, "_file") == 0)
      files.insert(resolve(scenario, key));
  }
  return {files.begin(), files.end()};
}

}  // namespace licsim
