#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#include <chrono>
#include <string>

namespace licsim::cli {

class ProgressBar {
 public:
  ProgressBar();
  void update(long done, long total);
  /// Same, showing `counter` (e.g. "3/10 points") instead of "done/total days".
  void update(long done, long total, const std::string& counter);
  void finish();

 private:
  bool enabled_;
  int last_permille_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace licsim::cli
