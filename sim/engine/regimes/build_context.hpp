#pragma once
// What a regime reads while it is built: the scenario's keys and tables, with
// dates turned into day indices and table errors that name file, line, column.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "engine/regimes/regime.hpp"
#include "model/model_params.hpp"
#include "scenario/scenario.hpp"

namespace licsim {

class RegimeBuildContext {
 public:
  RegimeBuildContext(const Scenario& scenario, const ModelParams& params,
                     std::chrono::year_month_day start, int days)
      : scenario(scenario), params(params), start_(start), days_(days) {}

  const Scenario& scenario;
  const ModelParams& params;
  int days() const { return days_; }

  /// Day index of a date key ("" -> nullopt); throws ScenarioError if malformed.
  std::optional<int> day_of_key(const std::string& key) const;
  /// Window from `<prefix>.start_date` and `<prefix>.end_date` (end exclusive
  /// of the day after; "" = open).
  Window window(const std::string& prefix) const;
  /// ScenarioError on `end_key` when both dates are set and the end comes before the start.
  void check_order(const std::string& start_key, const std::string& end_key) const;
  /// DataError naming both lines when a value of column `col` appears twice.
  void check_unique(const DataTable& t, const std::string& col) const;
  /// Day index of a date text; nullopt when empty; throws `error` text on bad input.
  std::optional<int> day_of(const std::string& text) const;

  /// The table named by `key`; throws DataError when the scenario names none.
  const DataTable& table(const std::string& key) const;
  /// Column index, or DataError naming the file.
  static std::size_t column(const DataTable& t, const std::string& name);
  /// DataError "<file>:<line>: column '<c>': <problem>".
  [[noreturn]] static void fail(const DataTable& t, std::size_t row, const std::string& column,
                                const std::string& problem);
  /// A US jurisdiction index from a code cell.
  std::size_t jurisdiction(const DataTable& t, std::size_t row, const std::string& column) const;
  std::optional<double> number(const DataTable& t, std::size_t row, const std::string& column,
                               double lo, double hi) const;
  std::optional<int> date(const DataTable& t, std::size_t row, const std::string& column) const;
  /// Comma-separated place codes of a text key ("ALL" = every US jurisdiction).
  std::vector<std::size_t> codes(const std::string& key, bool us_only) const;

 private:
  std::chrono::year_month_day start_;
  int days_;
};

}  // namespace licsim
