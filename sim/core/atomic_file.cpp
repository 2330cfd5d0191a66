#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "core/errors.hpp"

namespace licsim {

namespace fs = std::filesystem;

std::string temporary_prefix(const fs::path& path) {
  // NAME_MAX on every file system licsim targets; room for a 10-digit pid.
  constexpr std::size_t name_max = 255, pid_digits = 10;
  const std::string name = path.filename().string();
  const std::string tail = ".tmp-";
  if (name.size() + tail.size() + pid_digits <= name_max) return name + tail;
  // A long name: a prefix of it and a hash of the whole, so the temporary
  // still fits and still belongs to this output alone.
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  char hex[18];
  std::snprintf(hex, sizeof hex, "~%016llx", static_cast<unsigned long long>(h));
  return name.substr(0, name_max - pid_digits - tail.size() - 17) + hex + tail;
}

fs::path temporary_beside(const fs::path& path) {
  return path.parent_path() / (temporary_prefix(path) + std::to_string(::getpid()));
}

void sync_to_disk(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw OutputError(path.string() + ": cannot open to sync: " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Some file systems cannot sync folders (EINVAL): the rename is still atomic there.
  if (rc != 0 && err != EINVAL) throw OutputError(path.string() + ": cannot sync to disk: " + std::strerror(err));
}

void commit_file(const fs::path& tmp, const fs::path& path) {
  sync_to_disk(tmp);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw OutputError(path.string() + ": cannot move the finished file into place: " + ec.message());
  auto dir = path.parent_path();
  sync_to_disk(dir.empty() ? fs::path(".") : dir);
}

void write_file_atomically(const fs::path& path, const std::string& bytes) {
  const fs::path tmp = temporary_beside(path);
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.flush();
      if (!out) throw OutputError(tmp.string() + ": cannot write (disk full or not writable?)");
    }
    commit_file(tmp, path);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace licsim
