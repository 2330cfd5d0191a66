#pragma once
// Command-line parsing shared by the subcommands: named options plus one
// positional option (a file, or a list of files), and --help.
#include <boost/program_options.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "scenario/run_settings.hpp"

namespace licsim::cli {

/// Parses `args` into the variables bound by `named`, with the positional
/// arguments bound by `positional` (its one option, taking `max_count` values;
/// -1 for any number). Returns false when --help was asked for (and printed).
inline bool parse_options(const std::vector<std::string>& args,
                          const boost::program_options::options_description& named,
                          const boost::program_options::options_description& positional, int max_count) {
  namespace po = boost::program_options;
  po::options_description all;
  all.add(named).add(positional);
  po::positional_options_description pos;
  pos.add(positional.options().front()->long_name().c_str(), max_count);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << named << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

/// An integer option as text, strictly: decimal digits with an optional '-'
/// only, nothing before or after, within [lo, hi]; else UsageError naming the
/// option and its bounds (Boost would take "+5", and wrap or call it invalid).
template <class Int>
Int parse_integer_option(const std::string& name, const std::string& text, Int lo, Int hi,
                         const std::string& note = "") {
  Int value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < lo || value > hi)
    throw UsageError(name + ": expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]" +
                     note + ", got " + printable(text));
  return value;
}

/// An integer run setting as text within its bounds (scenario/run_settings.hpp).
inline int parse_setting(const IntegerBounds& bounds, const std::string& text) {
  return parse_integer_option<int>("--" + std::string(bounds.name), text, static_cast<int>(bounds.low),
                                   static_cast<int>(bounds.high), bounds.note);
}

/// A real option as text, strictly (std::from_chars: no sign '+', no spaces, no
/// hexadecimal); range checks are the caller's.
inline double parse_real_option(const std::string& name, const std::string& text, const std::string& expected) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
    throw UsageError(name + ": expected " + expected + ", got " + printable(text));
  return value;
}

}  // namespace licsim::cli
