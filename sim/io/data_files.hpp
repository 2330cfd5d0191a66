#pragma once
// The scenario's data files: US jurisdictions and foreign locations (CSV).
#include <filesystem>
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

/// Every file a loaded scenario was read from: its scenario file, the base
/// files its keys came from, and every data file (keys ending in `_file`).
/// An output may not replace any of them.
std::vector<std::filesystem::path> input_files(const Scenario& scenario);

}  // namespace licsim
