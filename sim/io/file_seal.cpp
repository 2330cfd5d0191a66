#include "io/file_seal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

#include "core/errors.hpp"
#include "io/file_kind.hpp"

namespace licsim {

namespace {

/// A file descriptor closed on scope exit.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

/// CRC-32 of the bytes of `fd` from `offset` to its end; how many were read in `count`.
std::uint32_t crc_from(int fd, std::uint64_t offset, std::uint64_t& count, const std::string& name) {
  std::vector<unsigned char> buf(1 << 20);
  uLong crc = crc32_z(0L, Z_NULL, 0);
  count = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(offset + count));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw DataError(name + ": cannot be read: " + std::strerror(errno));
    }
    if (n == 0) break;
    crc = crc32_z(crc, buf.data(), static_cast<z_size_t>(n));
    count += static_cast<std::uint64_t>(n);
  }
  return static_cast<std::uint32_t>(crc);
}

std::string header_text(int format, std::uint64_t bytes, std::uint32_t crc) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", crc);
  return std::string(seal_magic) + "format " + std::to_string(format) + "\nbytes " + std::to_string(bytes) + "\ncrc32 " +
         hex + "\n";
}

/// Reads "<word> <digits>\n" at `at` in `text`; false if the line is not exactly that.
bool field(const std::string& text, std::size_t& at, const std::string& word, int base, std::uint64_t& value) {
  if (text.compare(at, word.size() + 1, word + " ") != 0) return false;
  at += word.size() + 1;
  const std::size_t end = text.find('\n', at);
  if (end == std::string::npos || end == at || end - at > 20) return false;
  for (std::size_t i = at; i < end; ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    const bool hex = base == 16 && c >= 'a' && c <= 'f';
    if (!digit && !hex) return false;
  }
  const auto r = std::from_chars(text.data() + at, text.data() + end, value, base);
  if (r.ec != std::errc() || r.ptr != text.data() + end) return false;
  at = end + 1;
  return true;
}

}  // namespace

void seal_file(const std::filesystem::path& path, int format) {
  const std::string name = path.string();
  Fd f{::open(path.c_str(), O_RDWR | O_CLOEXEC)};
  if (f.fd < 0) throw OutputError(name + ": cannot open to seal: " + std::strerror(errno));
  std::uint64_t bytes = 0;
  std::uint32_t crc = 0;
  try {
    crc = crc_from(f.fd, seal_bytes, bytes, name);
  } catch (const DataError& e) {
    throw OutputError(e.what());
  }
  std::string header = header_text(format, bytes, crc);
  header.resize(seal_bytes, '\0');
  if (::pwrite(f.fd, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size()))
    throw OutputError(name + ": cannot write the seal: " + std::strerror(errno));
}

Seal verify_seal(const std::filesystem::path& path) {
  const std::string name = path.string();
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == ENOENT) throw DataError(name + ": no such file");
    throw DataError(name + ": cannot open: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) throw DataError(name + ": cannot read: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw DataError(name + ": not a licsim file (" + file_kind_of_mode(st.st_mode) + ")");
  std::string head(seal_bytes, '\0');
  ssize_t got = 0;
  while (got < static_cast<ssize_t>(seal_bytes)) {
    const ssize_t n = ::pread(f.fd, head.data() + got, seal_bytes - static_cast<std::size_t>(got), got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw DataError(name + ": cannot be read: " + std::strerror(errno));
    if (n == 0) break;
    got += n;
  }
  static constexpr unsigned char hdf5_signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (head.compare(0, sizeof seal_magic - 1, seal_magic) != 0) {
    if (got >= 8 && std::memcmp(head.data(), hdf5_signature, 8) == 0)
      throw DataError(name +
                      ": not a licsim result file (an HDF5 file without licsim's seal: written by another program, "
                      "or by a licsim older than result format 2; run it again with this licsim)");
    throw DataError(name + ": not a licsim result file (no licsim seal at its start)");
  }
  if (got < static_cast<ssize_t>(seal_bytes))
    throw DataError(name + ": cannot be read: the licsim file is truncated (" + std::to_string(got) + " bytes)");
  std::size_t at = sizeof seal_magic - 1;
  std::uint64_t format = 0, bytes = 0, crc = 0;
  const bool well_formed = field(head, at, "format", 10, format) && field(head, at, "bytes", 10, bytes) &&
                           field(head, at, "crc32", 16, crc) && format <= 1000000 && crc <= 0xffffffffULL &&
                           head.find_first_not_of('\0', at) == std::string::npos;
  if (!well_formed) throw DataError(name + ": cannot be read: the licsim file's seal is damaged");
  std::uint64_t count = 0;
  const std::uint32_t actual = crc_from(f.fd, seal_bytes, count, name);
  if (count != bytes)
    throw DataError(name + ": cannot be read: the licsim file is " + (count < bytes ? "truncated" : "longer than written") +
                    " (" + std::to_string(count + seal_bytes) + " bytes; its seal says " +
                    std::to_string(bytes + seal_bytes) + ")");
  if (actual != crc)
    throw DataError(name + ": cannot be read: the licsim file is damaged (its bytes changed after licsim wrote it: "
                           "CRC-32 mismatch)");
  return {static_cast<int>(format), bytes};
}

}  // namespace licsim
