#pragma once
// The error hierarchy of licsim. Library code throws these; only main() (and the
// Python bindings) turn them into exit codes or Python exceptions.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace licsim {

/// User input as an error message may quote it: control characters (NUL, ESC,
/// newlines, C1 controls) and bytes that are not UTF-8 are escaped (`\x1b`,
/// `\n`, `\u009b`), so a message is never cut short or read by a terminal as a
/// command; text longer than `max_chars` bytes is cut there and ends with
/// "... (N characters)". `max_chars` 0: never cut.
std::string printable(std::string_view text, std::size_t max_chars = 100);

/// Base of every error licsim raises on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A scenario file, a --set override or a Python dict is wrong. `file` is the
/// file name (or "--set", "<dict>"), `key` the dotted key, `line` 0 when unknown.
class ScenarioError : public Error {
 public:
  ScenarioError(std::string file, int line, std::string key, std::string problem);
  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }
  const std::string& key() const noexcept { return key_; }

 private:
  std::string file_;
  int line_;
  std::string key_;
};

/// A data file the scenario refers to (jurisdictions, foreign locations) is wrong.
class DataError : public Error {
 public:
  using Error::Error;
};

/// Output could not be written (or an existing file would be overwritten).
class OutputError : public Error {
 public:
  using Error::Error;
};

/// Bad run settings (seed, replicates, threads, scale, days).
class UsageError : public Error {
 public:
  using Error::Error;
};

/// A run was interrupted on request (Ctrl-C); nothing was written.
class Cancelled : public Error {
 public:
  Cancelled() : Error("run cancelled") {}
};

}  // namespace licsim
