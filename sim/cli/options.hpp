#pragma once
// Command-line parsing shared by the subcommands: named options plus one
// positional option (a file, or a list of files), and --help.
#include <boost/program_options.hpp>

#include <iostream>
#include <string>
#include <vector>

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

}  // namespace licsim::cli
