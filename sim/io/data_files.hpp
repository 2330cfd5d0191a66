#pragma once
// The scenario's data files: US jurisdictions and foreign locations (CSV).
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace licsim {

/// A parsed CSV file: header names and rows of cells (RFC 4180 quoting).
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;  ///< file line of each row, for errors
};

/// Parses CSV text; throws DataError naming `name` on malformed input.
CsvTable parse_csv(const std::string& text, const std::string& name);

/// Reads the files named by world.jurisdictions_file and world.foreign_locations_file
/// into scenario.places, and checks that every jurisdiction.<code>.* override
/// names a known jurisdiction.
void load_world(Scenario& scenario);

}  // namespace licsim
