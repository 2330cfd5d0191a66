#pragma once
// A scenario: plain, validated parameter values keyed by dotted names. It knows
// nothing of TOML or of the engine; io/ fills it, engine/ reads it.
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include <memory>

#include "model/model_params.hpp"
#include "model/places.hpp"
#include "scenario/parameter_spec.hpp"

namespace licsim {

/// A CSV data file named by a `*_file` key, parsed but not interpreted.
struct DataTable {
  std::string path;
  std::string text;  ///< verbatim, stored with the output
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;
};

/// Where a value came from, for error messages.
struct Origin {
  std::string file;  ///< file name, "--set" or "<dict>"
  int line = 0;      ///< 1-based line, 0 when unknown
};

class Scenario {
 public:
  /// Sets `key` after checking it against the parameter dictionary; throws
  /// ScenarioError naming origin, key and what was expected.
  void set(const std::string& key, Value value, const Origin& origin);

  /// Throws ScenarioError for the first required key that is missing (for
  /// families such as specialty.<name>.*, every member must be complete).
  void check_complete() const;

  bool has(const std::string& key) const { return values_.count(key) != 0; }
  double real(const std::string& key) const;
  std::int64_t integer(const std::string& key) const;
  bool boolean(const std::string& key) const;
  const std::string& text(const std::string& key) const;
  const std::vector<double>& reals(const std::string& key) const;
  /// The real at `key` if set, else `fallback`.
  double real_or(const std::string& key, double fallback) const;

  /// Names used in a family, e.g. members("specialty") -> {"mental_health", ...},
  /// in the order of first appearance.
  std::vector<std::string> members(const std::string& family) const;

  /// Where `key` was set (for errors raised later, e.g. unknown jurisdiction).
  Origin origin(const std::string& key) const;

  const std::map<std::string, Value>& values() const { return values_; }

  /// Directory that relative data-file paths are resolved against.
  std::filesystem::path base_dir;
  /// The file the scenario was loaded from (empty for strings and dicts).
  std::string source_name;
  /// The world the scenario refers to (world.*_file), read by io/.
  Places places;
  /// Raw text of the data files, stored with the output for reproducibility.
  std::string jurisdictions_csv;
  std::string foreign_locations_csv;
  /// Every other data file (regime data), by the key that names it.
  std::map<std::string, DataTable> tables;

  /// The typed parameters the engine runs on, resolved once when the scenario
  /// is finalized (io/scenario_file.hpp: finalize_scenario); every check,
  /// estimate and run reads these. Throws std::logic_error before that, or
  /// after a later set() (which drops them: they would be stale).
  const ModelParams& params() const;
  void set_params(ModelParams params) { params_ = std::make_shared<const ModelParams>(std::move(params)); }

 private:
  const Value& at(const std::string& key) const;
  std::shared_ptr<const ModelParams> params_;  // shared by copies: immutable once resolved

  std::map<std::string, Value> values_;
  std::map<std::string, Origin> origins_;
  std::vector<std::string> member_order_;  // "family.name" in order of appearance
  std::unordered_set<std::string> member_seen_;  // the same, for a look-up in constant time
};

}  // namespace licsim
