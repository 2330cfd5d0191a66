#include "io/output_checks.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

#include "core/atomic_file.hpp"
#include "core/errors.hpp"
#include "engine/output_schema.hpp"
#include "engine/resources.hpp"
#include "io/data_files.hpp"
#include "io/file_seal.hpp"
#include "io/scenario_file.hpp"

namespace licsim {

namespace {

/// HDF5's own structures: superblock, object headers, B-trees and chunk
/// indexes, dimension-scale references (about 70 datasets).
constexpr double hdf5_overhead = 1 << 20;

std::uint64_t clamp_bytes(double bytes) {
  if (!(bytes > 0)) return 0;
  return bytes >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(bytes);
}

/// HDF5 1.10 crashes at exit (H5_term_library -> H5F__close_cb) when a file
/// whose final flush failed (disk full, file size limit) is still half open,
/// so a clean error would end in a segfault. Its atexit clean-up is turned off
/// before any HDF5 call (a static initializer of this library); licsim closes
/// every HDF5 object it opens itself.
[[maybe_unused]] const herr_t no_hdf5_atexit = H5dont_atexit();

/// The innermost HDF5 error message of the last failed call (set by the error
/// handler quiet_hdf5_errors installs). Never destroyed: HDF5 may still report
/// errors from its atexit handler (closing a file whose flush failed), after
/// static and thread-local objects are gone.
std::mutex& hdf5_error_mutex() {
  static auto* m = new std::mutex;
  return *m;
}
std::string& last_hdf5_error() {
  static auto* s = new std::string;
  return *s;
}

herr_t record_innermost(unsigned n, const H5E_error2_t* err, void* data) {
  auto* out = static_cast<std::string*>(data);
  if (n == 0 && err->desc) *out = err->desc;  // walking upward: the first is the innermost
  return 0;
}

}  // namespace

std::uint64_t estimate_output_bytes(const Scenario& sc, const RunSettings& options) {
  const ModelParams& params = sc.params();
  const int days = days_run(options, params);
  double attributes = static_cast<double>(to_toml(sc).size() + sc.jurisdictions_csv.size() +
                                          sc.foreign_locations_csv.size() + sc.source_name.size());
  for (const auto& [key, table] : sc.tables) attributes += static_cast<double>(table.text.size());
  return clamp_bytes(stored_bytes(planned_extents(sc, params, options.replicates, days)) + attributes + hdf5_overhead);
}

std::uint64_t estimate_output_bytes(const Result& r, const OutputMetadata& meta) {
  double attributes = static_cast<double>(meta.scenario_toml.size() + meta.scenario_file.size() +
                                          meta.jurisdictions_csv.size() + meta.foreign_locations_csv.size());
  for (const auto& [name, text] : meta.data_files) attributes += static_cast<double>(text.size());
  return clamp_bytes(stored_bytes(Extents::of(r)) + attributes + hdf5_overhead);
}

void check_output_space(const std::filesystem::path& path, std::uint64_t bytes) {
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) != 0) return;  // unknown: the write will tell
  const double free_bytes = static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize);
  if (static_cast<double>(bytes) > free_bytes)
    throw OutputError(path.string() + ": the output needs up to " + format_bytes(static_cast<double>(bytes)) +
                      " but the file system of " + dir.string() + " has only " + format_bytes(free_bytes) +
                      " free; free space, write elsewhere, or lower --replicates or --days");
}

void check_output(const std::filesystem::path& path, bool force, const Scenario& scenario,
                  const RunSettings& options) {
  check_output_path(path, force, input_files(scenario));
  check_output_space(path, estimate_output_bytes(scenario, options));
}

std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::vector<fs::path> removed;
  auto dir = path.parent_path();
  if (dir.empty()) dir = ".";
  const std::string prefix = temporary_prefix(path);
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    const long pid = std::stol(digits);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    // Open without following a link; check it is a regular file of ours.
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    unsigned char head[8] = {};
    bool ours = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid();
    if (ours && st.st_size > 0) {
      static constexpr unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
      static constexpr unsigned char zeros[8] = {};
      const auto n = ::pread(fd, head, sizeof head, 0);
      ours = (n == static_cast<ssize_t>(sizeof head) || n == st.st_size) &&
             (std::memcmp(head, signature, static_cast<std::size_t>(n)) == 0 ||
              std::memcmp(head, zeros, static_cast<std::size_t>(n)) == 0 ||
              std::memcmp(head, seal_magic, static_cast<std::size_t>(n)) == 0);
    }
    ::close(fd);
    if (ours && ::unlink(it->path().c_str()) == 0) removed.push_back(it->path());
  }
  return removed;
}

namespace {
const std::string system_marker = "error message = '";

/// Keeps the innermost message of a failed call; one carrying the system's
/// reason is not replaced by a later one without (cleanup after a failed write).
herr_t record_hdf5_error(hid_t stack, void*) {
  std::string message;
  H5Ewalk2(stack, H5E_WALK_UPWARD, record_innermost, &message);
  const std::lock_guard lock(hdf5_error_mutex());
  auto& last = last_hdf5_error();
  if (last.find(system_marker) == std::string::npos || message.find(system_marker) != std::string::npos)
    last = message;
  return 0;
}
}  // namespace

void quiet_hdf5_errors() {
  {
    const std::lock_guard lock(hdf5_error_mutex());
    last_hdf5_error().clear();
  }
  H5Eset_auto2(H5E_DEFAULT, record_hdf5_error, nullptr);
}

std::string hdf5_error_detail() {
  std::string detail;
  {
    const std::lock_guard lock(hdf5_error_mutex());
    detail = last_hdf5_error();
  }
  // The file drivers put the system's reason in "error message = '...'".
  if (const auto at = detail.find(system_marker); at != std::string::npos) {
    const auto start = at + system_marker.size();
    const auto stop = detail.find('\'', start);
    detail = detail.substr(start, stop == std::string::npos ? std::string::npos : stop - start);
  }
  return detail;
}

}  // namespace licsim
