#include "cli/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace licsim::cli {

ProgressBar::ProgressBar() : enabled_(::isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(long done, long total) {
  update(done, total, std::to_string(done) + "/" + std::to_string(total) + " days");
}

void ProgressBar::update(long done, long total, const std::string& counter) {
  if (!enabled_ || total <= 0) return;
  const int permille = static_cast<int>(1000 * done / total);
  if (permille == last_permille_) return;
  last_permille_ = permille;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double left = done > 0 ? elapsed * static_cast<double>(total - done) / static_cast<double>(done) : 0;
  constexpr int width = 40;
  const int filled = permille * width / 1000;
  std::fprintf(stderr, "\r[");
  for (int i = 0; i < width; ++i) std::fputc(i < filled ? '#' : '.', stderr);
  std::fprintf(stderr, "] %5.1f%%  %s  %.0fs left ", permille / 10.0, counter.c_str(), left);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (enabled_ && last_permille_ >= 0) std::fprintf(stderr, "\n");
}

}  // namespace licsim::cli
