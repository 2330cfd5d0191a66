#include "io/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "io/file_kind.hpp"

namespace licsim {

namespace {

std::string mib(std::uintmax_t bytes) {
  return std::to_string(bytes >> 20) + "." + std::to_string(((bytes & 0xfffff) * 10) >> 20) + " MiB";
}

}  // namespace

std::optional<std::string> read_input_file(const std::filesystem::path& path, std::string& problem) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    problem = std::string("cannot open the file: ") + std::strerror(errno);
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    problem = std::string("cannot read the file: ") + std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    problem = std::string("not a regular file (") + file_kind_of_mode(st.st_mode) + ")";
    return std::nullopt;
  }
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  const auto too_large = [&](std::uintmax_t at_least) {
    problem = "too large (" + std::string(at_least > size ? "over " : "") + mib(at_least) +
              "; a scenario or data file may be at most " + mib(max_input_file_bytes) + ")";
  };
  if (size > max_input_file_bytes) {
    too_large(size);
    return std::nullopt;
  }
  std::string text(static_cast<std::size_t>(size), '\0');
  std::size_t got = 0;
  for (;;) {  // the file may grow or shrink while it is read: read to EOF, within the bound
    if (got == text.size()) {
      if (got > max_input_file_bytes) {
        too_large(got);
        return std::nullopt;
      }
      text.resize(std::min<std::size_t>(max_input_file_bytes + 1, std::max<std::size_t>(got * 2, 4096)));
    }
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      problem = std::string("cannot read the file: ") + std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
}

KeyDepth deepest_toml_key(std::string_view text) {
  KeyDepth deepest;
  std::size_t dots = 0;       // dots in the current run of dot-joined tokens
  bool after_token = false;   // the run's last element is a token (not a dot)
  int line = 1;
  const auto token = [&] {
    if (!after_token) {
      after_token = true;
      if (dots + 1 > deepest.segments) deepest = {dots + 1, line};
    }
  };
  const auto end_run = [&] {
    dots = 0;
    after_token = false;
  };
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      end_run();
    } else if (c == '#') {
      while (i + 1 < n && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      const bool multi = i + 2 < n && text[i + 1] == c && text[i + 2] == c;
      const std::size_t width = multi ? 3 : 1;
      std::size_t j = i + width;
      for (; j < n; ++j) {
        if (text[j] == '\n') ++line;
        if (c == '"' && text[j] == '\\') {
          ++j;
          if (j < n && text[j] == '\n') ++line;
          continue;
        }
        if (text[j] == c && (!multi || (j + 2 < n && text[j + 1] == c && text[j + 2] == c))) break;
        if (!multi && text[j] == '\n') break;
      }
      i = std::min(n, j + width) - 1;
      token();
    } else if (c == '.') {
      if (after_token) {
        ++dots;
        after_token = false;
      }
    } else if (c == ' ' || c == '\t') {
      // whitespace may surround the dots of a key
    } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '+' || c == ':') {
      while (i + 1 < n) {
        const char d = text[i + 1];
        if (!((d >= 'A' && d <= 'Z') || (d >= 'a' && d <= 'z') || (d >= '0' && d <= '9') || d == '_' || d == '-' ||
              d == '+' || d == ':'))
          break;
        ++i;
      }
      token();
    } else {
      end_run();
    }
  }
  return deepest;
}

}  // namespace licsim
