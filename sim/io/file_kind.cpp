#include "io/file_kind.hpp"

#include <sys/stat.h>

namespace licsim {

std::string file_kind(std::filesystem::file_type type) {
  using std::filesystem::file_type;
  switch (type) {
    case file_type::directory: return "a folder";
    case file_type::fifo: return "a FIFO";
    case file_type::character: return "a character device";
    case file_type::block: return "a block device";
    case file_type::socket: return "a socket";
    case file_type::symlink: return "a symbolic link";
    default: return "not a regular file";
  }
}

std::string file_kind_of_mode(mode_t mode) {
  using std::filesystem::file_type;
  if (S_ISDIR(mode)) return file_kind(file_type::directory);
  if (S_ISFIFO(mode)) return file_kind(file_type::fifo);
  if (S_ISCHR(mode)) return file_kind(file_type::character);
  if (S_ISBLK(mode)) return file_kind(file_type::block);
  if (S_ISSOCK(mode)) return file_kind(file_type::socket);
  if (S_ISLNK(mode)) return file_kind(file_type::symlink);
  return file_kind(file_type::unknown);
}

}  // namespace licsim
