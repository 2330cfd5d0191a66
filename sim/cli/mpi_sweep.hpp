#pragma once
// Sweep points spread over MPI ranks (`mpirun -n N licsim sweep ...`). Rank 0
// owns the work folder and the output; it hands out points one at a time to
// whichever rank asks (so uneven points balance), runs points itself between
// requests, and stores each finished point file it receives. Other ranks need
// no shared file system: their point files travel as bytes.
#include <memory>
#include <string>
#include <vector>

#include "scenario/sweep_plan.hpp"
#include "sweep/runner.hpp"
#include "sweep/store.hpp"

namespace licsim::cli {

/// True when an MPI launcher started this process as one of several ranks.
bool launched_by_mpi();

/// Ranks on this node according to the launcher (1 when unknown).
int local_ranks();

class MpiSession {
 public:
  MpiSession();  ///< MPI_Init; throws UsageError when built without MPI
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Every rank learns rank 0's `state` (what to do next) and that all ranks
  /// resolved the same plan; a rank whose plan differs throws UsageError.
  int agree(int state, const std::string& plan_hash) const;
  /// Runs `todo` (known on rank 0) over all ranks; rank 0 records results in
  /// `store` (null elsewhere). Returns when every point is recorded.
  void run(const SweepPlan& plan, const std::string& plan_hash, SweepStore* store, const std::vector<int>& todo,
           const SweepRunOptions& options) const;
  /// Ends a run that failed on one rank: the launcher stops the others.
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace licsim::cli
