#pragma once
// Headline figures of a run: per-replicate totals and their spread.
#include <string>
#include <vector>

#include "engine/result.hpp"

namespace licsim {

struct HeadlineRow {
  std::string name;
  std::string units;
  double mean = 0;
  double low = 0;   ///< 2.5th percentile over replicates
  double high = 0;  ///< 97.5th percentile over replicates
};

/// Totals over days and jurisdictions (end-of-run values for stocks, means for
/// waits), summarised over replicates.
std::vector<HeadlineRow> headline(const Result& results);

}  // namespace licsim
