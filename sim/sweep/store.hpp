#pragma once
// The work folder of a sweep, `OUT.h5.parts/`: the plan it belongs to
// (plan.toml) and one file per finished point, each written whole or not at
// all (point-NNNNNN.h5, or point-NNNNNN.failed holding the error). A sweep
// killed at any moment keeps every finished point; --resume runs the rest.
#include <filesystem>
#include <string>
#include <vector>

#include "io/sweep_output.hpp"

namespace licsim {

class SweepStore {
 public:
  /// Opens the work folder for `output`. A fresh sweep (resume = false) refuses
  /// an existing output or work folder unless `force` (which clears the folder,
  /// and only a folder that holds a plan.toml). A resumed sweep needs the folder
  /// to hold this very plan (or no folder yet). Throws OutputError.
  SweepStore(const std::filesystem::path& output, const std::string& plan_text, bool resume, bool force);

  const std::filesystem::path& folder() const { return folder_; }
  /// Where a point's results go (written atomically by the HDF5 writer).
  std::filesystem::path point_file(int point) const;
  /// A point is done when its results or its failure are recorded.
  bool done(int point) const;
  std::vector<int> missing(const std::vector<int>& points) const;

  void record_failure(int point, const std::string& message);
  /// Stores a point file received as bytes (from another rank or a Dask
  /// worker), after checking it belongs to this plan and point.
  void store_point_bytes(int point, const std::string& bytes);

  /// The sources of a sweep file over `points` (each must be done).
  std::vector<PointSource> sources(const std::vector<int>& points) const;

  /// Deletes the folder once the sweep file is in place.
  void remove();

 private:
  std::filesystem::path failure_file(int point) const;

  std::filesystem::path folder_;
  std::string hash_;
};

}  // namespace licsim
