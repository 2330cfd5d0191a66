#include "sweep/store.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/errors.hpp"

namespace licsim {

namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Deletes a work folder so that a kill part-way never leaves a half-deleted
/// one under the real name: it is renamed aside first.
void remove_folder(const fs::path& folder) {
  std::error_code ec;
  const fs::path aside = temporary_beside(folder);
  fs::rename(folder, aside, ec);
  if (ec) throw OutputError(folder.string() + ": cannot remove: " + ec.message());
  fs::remove_all(aside, ec);
}

std::string numbered(const char* pattern, int point) {
  char buf[64];
  std::snprintf(buf, sizeof buf, pattern, point);
  return buf;
}

}  // namespace

SweepStore::SweepStore(const fs::path& output, const std::string& plan_text, bool resume, bool force)
    : folder_(output.string() + ".parts"), hash_(plan_hash(plan_text)) {
  std::error_code ec;
  const fs::path manifest = folder_ / "plan.toml";
  if (fs::exists(folder_, ec)) {
    if (!fs::is_regular_file(manifest, ec))
      throw OutputError(folder_.string() + ": exists but is not a licsim sweep work folder (no plan.toml); move it away");
    if (!resume && !force)
      throw OutputError(folder_.string() + ": an interrupted sweep is there; finish it with --resume, or start over "
                                           "with --force");
    if (resume && read_all(manifest) != plan_text)
      throw OutputError(folder_.string() + ": holds a different sweep (the sweep file, its scenarios or this "
                                           "version of licsim changed since it started); start over with --force");
    if (!resume) remove_folder(folder_);
  }
  if (!fs::exists(folder_, ec)) {
    // Made complete under a temporary name, then renamed: the folder never exists without its plan.
    const fs::path fresh = temporary_beside(folder_);
    fs::remove_all(fresh, ec);
    fs::create_directory(fresh, ec);
    if (ec) throw OutputError(folder_.string() + ": cannot create the work folder: " + ec.message());
    write_file_atomically(fresh / "plan.toml", plan_text);
    fs::rename(fresh, folder_, ec);
    if (ec) throw OutputError(folder_.string() + ": cannot create the work folder: " + ec.message());
  }
}

fs::path SweepStore::point_file(int point) const { return folder_ / numbered("point-%06d.h5", point); }
fs::path SweepStore::failure_file(int point) const { return folder_ / numbered("point-%06d.failed", point); }

bool SweepStore::done(int point) const {
  std::error_code ec;
  if (fs::exists(failure_file(point), ec)) return true;
  return fs::exists(point_file(point), ec) && is_point_file(point_file(point), hash_, point);
}

std::vector<int> SweepStore::missing(const std::vector<int>& points) const {
  std::vector<int> out;
  for (int p : points)
    if (!done(p)) out.push_back(p);
  return out;
}

void SweepStore::record_failure(int point, const std::string& message) {
  write_file_atomically(failure_file(point), message);
}

void SweepStore::store_point_bytes(int point, const std::string& bytes) {
  const fs::path incoming = folder_ / numbered("incoming-%06d.h5", point);
  write_file_atomically(incoming, bytes);
  if (!is_point_file(incoming, hash_, point)) {
    std::error_code ec;
    fs::remove(incoming, ec);
    throw OutputError("point " + std::to_string(point) + ": received results that are not this sweep's point file");
  }
  commit_file(incoming, point_file(point));
}

std::vector<PointSource> SweepStore::sources(const std::vector<int>& points) const {
  std::vector<PointSource> out;
  for (int p : points) {
    std::error_code ec;
    if (fs::exists(failure_file(p), ec)) out.push_back({p, false, read_all(failure_file(p)), {}, -1});
    else if (done(p)) out.push_back({p, true, "", point_file(p), -1});
    else throw OutputError("point " + std::to_string(p) + " has not finished");
  }
  return out;
}

void SweepStore::remove() { remove_folder(folder_); }

}  // namespace licsim
