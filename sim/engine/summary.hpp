#pragma once
// Headline figures of a run: per-replicate totals and their spread.
#include <string>
#include <vector>

#include "engine/result.hpp"

namespace licsim {

/// How a headline figure reads: a count or an amount scales with the population (to national
/// figures); a mean wait or a share does not.
enum class HeadlineKind { count, usd, days, share };

struct HeadlineRow {
  std::string name;
  std::string units;
  HeadlineKind kind = HeadlineKind::count;
  double mean = 0;
  double low = 0;   ///< 2.5th percentile over replicates
  double high = 0;  ///< 97.5th percentile over replicates
};

/// Totals over days and jurisdictions (end-of-run values for stocks, means for
/// waits, shares of totals), summarised over replicates. Counts and amounts are
/// multiplied by `national_factor` (1 / scale gives national figures; 1, the agents').
std::vector<HeadlineRow> headline(const Result& results, double national_factor = 1.0);

/// A headline value as a report prints it: counts and amounts as whole numbers with
/// thousands separators (one decimal below 10), USD with a "$", waits with one decimal,
/// shares as percentages.
std::string format_headline_value(HeadlineKind kind, double value);

}  // namespace licsim
