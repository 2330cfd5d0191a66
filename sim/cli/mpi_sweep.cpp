#include "cli/mpi_sweep.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/errors.hpp"

#ifdef LICSIM_WITH_MPI
#include <mpi.h>
#endif

namespace licsim::cli {

namespace {

/// A launcher's rank count: decimal digits only (atoi would be undefined beyond int); else 0.
int env_int(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return 0;
  const std::string_view text(v);
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc{} && end == text.data() + text.size() ? n : 0;
}

}  // namespace

bool launched_by_mpi() {
  return env_int("OMPI_COMM_WORLD_SIZE") > 1 || env_int("PMI_SIZE") > 1 || env_int("MPI_LOCALNRANKS") > 1;
}

int local_ranks() {
  const int n = env_int("OMPI_COMM_WORLD_LOCAL_SIZE");
  return n > 0 ? n : (env_int("MPI_LOCALNRANKS") > 0 ? env_int("MPI_LOCALNRANKS") : 1);
}

#ifndef LICSIM_WITH_MPI

MpiSession::MpiSession() {
  throw UsageError("this licsim was built without MPI (install libopenmpi-dev and rebuild); run the sweep in one "
                   "process, or with --shard i/N and licsim merge");
}
MpiSession::~MpiSession() = default;
int MpiSession::agree(int state, const std::string&) const { return state; }
void MpiSession::run(const SweepPlan&, const std::string&, SweepStore*, const std::vector<int>&,
                     const SweepRunOptions&) const {}
void MpiSession::abort(int code) const { std::exit(code); }

#else

namespace {

enum Tag : int { tag_ready = 1, tag_assign = 2, tag_result = 3 };

/// A finished point as one message: point, ok flag, then the point file's bytes or the error.
std::string pack(int point, bool ok, const std::string& payload) {
  std::string msg(8, '\0');
  const std::int32_t head[2] = {point, ok ? 1 : 0};
  std::memcpy(msg.data(), head, sizeof head);
  return msg + payload;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class Coordinator {
 public:
  Coordinator(int workers, SweepStore& store, const std::vector<int>& todo, const SweepRunOptions& options)
      : workers_(workers), store_(store), todo_(todo), options_(options) {}

  /// Next point for anyone (rank 0 included), or -1.
  int next() { return next_ < todo_.size() ? todo_[next_++] : -1; }
  void finished_one() { ++done_; }
  int done() const { return done_; }

  /// Answers every waiting message; with `block`, until all workers are released.
  void serve(bool block) {
    while (true) {
      if (block && released_ == workers_) return;
      MPI_Status status;
      int flag = 1;
      if (block) MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
      else MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
      if (!flag) return;
      int count = 0;
      MPI_Get_count(&status, MPI_BYTE, &count);
      std::string msg(static_cast<std::size_t>(count), '\0');
      MPI_Recv(msg.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (status.MPI_TAG == tag_result) record(msg);
      int point = next();
      MPI_Send(&point, 1, MPI_INT, status.MPI_SOURCE, tag_assign, MPI_COMM_WORLD);
      if (point < 0) ++released_;
    }
  }

 private:
  void record(const std::string& msg) {
    std::int32_t head[2];
    std::memcpy(head, msg.data(), sizeof head);
    const std::string payload = msg.substr(sizeof head);
    if (head[1]) store_.store_point_bytes(head[0], payload);
    else store_.record_failure(head[0], payload);
    ++done_;
    if (options_.on_point) options_.on_point(head[0], head[1] ? "" : payload);
  }

  int workers_;
  SweepStore& store_;
  const std::vector<int>& todo_;
  const SweepRunOptions& options_;
  std::size_t next_ = 0;
  int done_ = 0;
  int released_ = 0;
};

}  // namespace

MpiSession::MpiSession() {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

int MpiSession::agree(int state, const std::string& plan_hash) const {
  char hash[17] = {};
  std::strncpy(hash, plan_hash.c_str(), 16);
  MPI_Bcast(hash, 17, MPI_CHAR, 0, MPI_COMM_WORLD);
  MPI_Bcast(&state, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (plan_hash != hash)
    throw UsageError("rank " + std::to_string(rank_) + " resolved a different sweep than rank 0 (different files?)");
  return state;
}

void MpiSession::run(const SweepPlan& plan, const std::string& plan_hash, SweepStore* store,
                     const std::vector<int>& todo, const SweepRunOptions& options) const {
  if (rank_ != 0) {
    // Worker: ask, run, send the point file back, repeat.
    const auto tmp = std::filesystem::temp_directory_path() /
                     ("licsim-rank" + std::to_string(rank_) + "-" + std::to_string(::getpid()) + ".h5");
    MPI_Send(nullptr, 0, MPI_BYTE, 0, tag_ready, MPI_COMM_WORLD);
    while (true) {
      int point = -1;
      MPI_Recv(&point, 1, MPI_INT, 0, tag_assign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (point < 0) return;
      SweepRunOptions quiet = options;
      quiet.progress = nullptr;
      quiet.on_point = nullptr;
      const auto error = run_point_to_file(plan, plan_hash, point, tmp, quiet);
      const std::string msg = error ? pack(point, false, *error) : pack(point, true, read_bytes(tmp));
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_BYTE, 0, tag_result, MPI_COMM_WORLD);
    }
  }
  Coordinator coord(size_ - 1, *store, todo, options);
  const int total = static_cast<int>(todo.size());
  SweepRunOptions own = options;
  own.on_point = nullptr;
  own.progress = [&](int, int, long day, long days) {
    coord.serve(false);  // keep the other ranks fed between simulated days
    if (options.progress) options.progress(coord.done(), total, day, days);
  };
  for (int point = coord.next(); point >= 0; point = coord.next()) {
    const auto error = run_point_to_file(plan, plan_hash, point, store->point_file(point), own);
    if (error) store->record_failure(point, *error);
    coord.finished_one();
    if (options.on_point) options.on_point(point, error.value_or(""));
    coord.serve(false);
  }
  coord.serve(true);
}

void MpiSession::abort(int code) const { MPI_Abort(MPI_COMM_WORLD, code); std::exit(code); }

#endif

}  // namespace licsim::cli
