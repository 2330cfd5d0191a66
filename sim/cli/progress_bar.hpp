#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#include <chrono>

namespace licsim::cli {

class ProgressBar {
 public:
  ProgressBar();
  void update(long done, long total);
  void finish();

 private:
  bool enabled_;
  int last_permille_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace licsim::cli
