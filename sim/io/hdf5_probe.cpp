#include "io/hdf5_probe.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/errors.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/common_interface_defs.h>
#define LICSIM_UNDER_ASAN 1
#endif
#endif

namespace {
// Under AddressSanitizer (the fuzzers, the asan tests) a memory error HDF5
// makes in the child ends the child with this status, as a refusal of the
// file, rather than as a crash report of the whole program (a fuzzer's own
// death callback would otherwise run in the child).
constexpr int memory_error_status = 77;
[[maybe_unused]] void child_memory_error() { ::_exit(memory_error_status); }
}  // namespace

namespace licsim {

namespace {

// More than any licsim file holds in one variable; a forged size beyond it is
// not read (the caller's reads refuse it).
constexpr std::uint64_t most_bytes_read = std::uint64_t{1} << 30;

/// Reads every value of an attribute or dataset (`read` is H5Aread or H5Dread
/// bound to it) in the file's own type made native, variable-length strings
/// included, and frees what HDF5 allocated.
template <class Read>
void read_all(hid_t type, hid_t space, Read read) {
  const hid_t native = H5Tget_native_type(type, H5T_DIR_ASCEND);
  if (native < 0) return;
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  const std::size_t size = H5Tget_size(native);
  if (n >= 0 && size > 0 && static_cast<std::uint64_t>(n) * size <= most_bytes_read) {
    std::vector<unsigned char> buf(static_cast<std::size_t>(std::max<hssize_t>(n, 1)) * size);
    if (read(native, buf.data()) >= 0) H5Dvlen_reclaim(native, space, H5P_DEFAULT, buf.data());
  }
  H5Tclose(native);
}

herr_t read_attribute(hid_t obj, const char* name, const H5A_info_t*, void*) {
  const hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
  if (attr < 0) return 0;
  const hid_t type = H5Aget_type(attr), space = H5Aget_space(attr);
  if (type >= 0 && space >= 0)
    read_all(type, space, [&](hid_t mem, void* buf) { return H5Aread(attr, mem, buf); });
  if (space >= 0) H5Sclose(space);
  if (type >= 0) H5Tclose(type);
  H5Aclose(attr);
  return 0;
}

/// Every attribute of an object, by name and by creation order (readers use both).
void read_attributes(hid_t obj) {
  H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, nullptr, read_attribute, nullptr);
  H5Aiterate2(obj, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, read_attribute, nullptr);
}

herr_t visit_scale(hid_t, unsigned, hid_t scale, void*) {
  char name[256];
  H5Iget_name(scale, name, sizeof name);
  H5DSget_scale_name(scale, name, sizeof name);
  return 0;
}

void read_dataset(hid_t dset) {
  const hid_t type = H5Dget_type(dset), space = H5Dget_space(dset);
  if (type >= 0 && space >= 0) {
    read_all(type, space, [&](hid_t mem, void* buf) { return H5Dread(dset, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf); });
    const int rank = H5Sget_simple_extent_ndims(space);
    H5DSis_scale(dset);
    for (int d = 0; d < rank && d < 32; ++d) {
      H5DSget_num_scales(dset, static_cast<unsigned>(d));
      H5DSiterate_scales(dset, static_cast<unsigned>(d), nullptr, visit_scale, nullptr);
    }
  }
  if (space >= 0) H5Sclose(space);
  if (type >= 0) H5Tclose(type);
}

void visit_group(hid_t group, int depth);

/// One link of a group: a dataset's attributes and values, or a group's
/// attributes and members. Failures do not stop the walk.
herr_t visit_link(hid_t group, const char* name, const H5L_info_t* link, void* depth) {
  if (link->type != H5L_TYPE_HARD) return 0;
  const hid_t obj = H5Oopen(group, name, H5P_DEFAULT);
  if (obj < 0) return 0;
  const H5I_type_t kind = H5Iget_type(obj);
  if (kind == H5I_DATASET) {
    read_attributes(obj);
    read_dataset(obj);
  }
  if (kind == H5I_GROUP) visit_group(obj, *static_cast<int*>(depth) + 1);
  H5Oclose(obj);
  return 0;
}

void visit_group(hid_t group, int depth) {
  if (depth > 16) return;  // licsim files are two levels deep; a forged cycle stops here
  H5G_info_t info;
  H5Gget_info(group, &info);
  read_attributes(group);
  H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, visit_link, &depth);
  H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, visit_link, &depth);
}

/// What the child does: read everything, then exit without atexit handlers
/// (HDF5's clean-up of a file it failed on can itself crash).
[[noreturn]] void probe_in_child(const char* path, const std::function<void()>& reader) {
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(sig, SIG_DFL);  // die, do not report
#ifdef LICSIM_UNDER_ASAN
  __sanitizer_set_death_callback(child_memory_error);
#endif
  // What HDF5 or a sanitizer would print about the file is the parent's to say.
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) ::dup2(null, STDERR_FILENO);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file >= 0) {
    const hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    if (root >= 0) {
      visit_group(root, 0);
      H5Gclose(root);
    }
    H5Fclose(file);
  }
  if (reader) {
    try {
      reader();
    } catch (const Error&) {  // a refusal: the caller's own reading reports it
    }
  }
  ::_exit(0);
}

double now_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace

void probe_hdf5_file(const std::filesystem::path& path, const std::function<void()>& reader) {
  const std::string name = path.string();
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  // 10 s, and 10 s more per 100 MiB: far beyond what reading a real file
  // takes (0.1 s for a 1:10,000 run file under AddressSanitizer).
  const double limit = 10.0 + 10.0 * static_cast<double>(ec ? 0 : bytes) / (100.0 * (1 << 20));
  const pid_t child = ::fork();
  if (child < 0) throw DataError(name + ": cannot check the file (fork: " + std::strerror(errno) + ")");
  if (child == 0) probe_in_child(path.c_str(), reader);
  const double start = now_seconds();
  int status = 0;
  for (long wait_ns = 100000;;) {
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) throw DataError(name + ": cannot check the file (waitpid: " + std::strerror(errno) + ")");
    if (now_seconds() - start > limit) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      throw DataError(name + ": cannot be read: HDF5 does not finish reading its structures (a forged or damaged file)");
    }
    const timespec pause{0, wait_ns};
    ::nanosleep(&pause, nullptr);
    wait_ns = std::min(wait_ns * 2, 20000000L);  // up to 20 ms between checks
  }
  if (WIFSIGNALED(status))
    throw DataError(name + ": cannot be read: HDF5 fails on its structures (signal " +
                    std::to_string(WTERMSIG(status)) + " in the process that checked it: a forged or damaged file)");
  if (WIFEXITED(status) && WEXITSTATUS(status) == memory_error_status)
    throw DataError(name + ": cannot be read: HDF5 makes a memory error on its structures (found by "
                           "AddressSanitizer in the process that checked it: a forged or damaged file)");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw DataError(name + ": cannot be read: HDF5 fails on its structures (the process that checked it exited with " +
                    std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ": a forged or damaged file)");
}

}  // namespace licsim
