// Output-side reliability: size estimate, free space, stale temporaries, write
// errors, and recognising result files (io/output_checks, io/result_file).
#include <doctest/doctest.h>
#include <hdf5.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "core/errors.hpp"
#include "io/file_seal.hpp"
#include "io/hdf5_writer.hpp"
#include "io/output_checks.hpp"
#include "io/result_file.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("licsim_output_" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

/// A pid that no process has now: a child that has exited and been reaped.
pid_t dead_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

const std::string hdf5_signature("\x89HDF\r\n\x1a\n", 8);

}  // namespace

TEST_CASE("the output estimate bounds the real file and is checked against free space") {
  const Scenario s = test::baseline();
  const auto options = test::small_run(40);
  const Result r = run(s, options);
  const auto meta = make_metadata(s, "state_only.toml", RunSettings{7, 1, options.scale}, 40);
  const auto dir = fresh_dir("estimate");
  write_results(dir / "a.h5", r, meta, false);
  const auto real = std::filesystem::file_size(dir / "a.h5");
  const auto from_results = estimate_output_bytes(r, meta);
  const auto from_scenario = estimate_output_bytes(s, options);
  CHECK(from_results >= real);
  CHECK(from_results < 20 * real);  // an upper bound, not a wild one
  CHECK(from_scenario >= real);
  CHECK(from_scenario < 2 * from_results);
  CHECK_NOTHROW(check_output_space(dir / "b.h5", real));
  const auto msg = error_of([&] { check_output_space(dir / "b.h5", std::uint64_t{1} << 62); });
  CHECK(msg.find((dir / "b.h5").string() + ": the output needs up to 4.0 EiB but the file system of " +
                 dir.string() + " has only ") == 0);
  auto many = options;
  many.replicates = 100000;
  many.days = 3650;
  CHECK(error_of([&] { check_output(dir / "c.h5", false, s, many); }).find("the output needs up to") !=
        std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("files are stamped with the format version and recognised on reading") {
  const Scenario s = test::baseline();
  const Result r = run(s, test::small_run(20));
  const auto dir = fresh_dir("read");
  const auto good = dir / "good.h5";
  write_results(good, r, make_metadata(s, "state_only.toml", RunSettings{7, 1, 0.0005}, 20), false);
  const auto info = check_result_file(good);
  CHECK(info.format_version == output_format_version);
  CHECK_FALSE(info.licsim_version.empty());

  CHECK(error_of([&] { check_result_file(dir / "missing.h5"); }) == (dir / "missing.h5").string() + ": no such file");
  write_bytes(dir / "text.h5", "hello");
  CHECK(error_of([&] { check_result_file(dir / "text.h5"); }) ==
        (dir / "text.h5").string() + ": not a licsim result file (no licsim seal at its start)");
  // Truncated anywhere: a clear error, never a crash.
  std::ifstream in(good, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (double share : {0.01, 0.1, 0.5, 0.9, 0.999}) {
    const auto cut = dir / "cut.h5";
    write_bytes(cut, bytes.substr(0, std::max<std::size_t>(8, static_cast<std::size_t>(bytes.size() * share))));
    const auto msg = error_of([&] { check_result_file(cut); });
    CAPTURE(share);
    CHECK(msg.find(cut.string() + ": cannot be read: the licsim file is truncated") == 0);
  }
  // One changed byte anywhere (seal, HDF5 structure or data): refused before HDF5 reads it.
  for (double share : {0.0001, 0.01, 0.3, 0.7, 0.9999}) {
    auto damaged = bytes;
    const auto at = static_cast<std::size_t>(static_cast<double>(damaged.size()) * share);
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    write_bytes(dir / "damaged.h5", damaged);
    CAPTURE(at);
    CHECK(error_of([&] { check_result_file(dir / "damaged.h5"); }).find(": cannot be read: the licsim file") !=
          std::string::npos);
  }
  write_bytes(dir / "longer.h5", bytes + "x");
  CHECK(error_of([&] { check_result_file(dir / "longer.h5"); }).find("is longer than written") != std::string::npos);
  // An HDF5 file from elsewhere (or of a licsim before the seal), and files of other format versions.
  const auto foreign = dir / "foreign.h5";
  {
    const hid_t f = H5Fcreate(foreign.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Gclose(H5Gcreate2(f, "metrics", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(f);
  }
  CHECK(error_of([&] { check_result_file(foreign); }) ==
        foreign.string() + ": not a licsim result file (an HDF5 file without licsim's seal: written by another "
                           "program, or by a licsim older than result format 2; run it again with this licsim)");
  // Edited with HDF5 (the seal then no longer matches) and sealed again with `seal_as`.
  const auto edited = [&](const std::filesystem::path& path, int attribute, int seal_as) {
    std::filesystem::copy_file(good, path, std::filesystem::copy_options::overwrite_existing);
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (attribute < 0) {
      H5Adelete(f, output_format_attribute);
    } else {
      const hid_t a = H5Aopen(f, output_format_attribute, H5P_DEFAULT);
      const std::int32_t v = attribute;
      H5Awrite(a, H5T_NATIVE_INT32, &v);
      H5Aclose(a);
    }
    H5Fclose(f);
    if (seal_as > 0) seal_file(path, seal_as);
  };
  edited(dir / "edited.h5", 7, 0);
  CHECK(error_of([&] { check_result_file(dir / "edited.h5"); }).find("CRC-32 mismatch") != std::string::npos);
  edited(dir / "newer.h5", output_format_version + 1, output_format_version + 1);
  CHECK(error_of([&] { check_result_file(dir / "newer.h5"); }).find("written by a newer licsim") != std::string::npos);
  edited(dir / "older.h5", 1, 1);
  CHECK(error_of([&] { check_result_file(dir / "older.h5"); }).find("written by an older licsim") != std::string::npos);
  edited(dir / "disagrees.h5", 1, output_format_version);
  CHECK(error_of([&] { check_result_file(dir / "disagrees.h5"); }).find("disagrees with the file's seal") !=
        std::string::npos);
  edited(dir / "no_attribute.h5", -1, output_format_version);
  CHECK(error_of([&] { check_result_file(dir / "no_attribute.h5"); }).find("licsim_format_version is missing") !=
        std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a sealed file whose shapes disagree with its dimensions is refused") {
  const Scenario s = test::baseline();
  const Result r = run(s, test::small_run(20));
  const auto dir = fresh_dir("shapes");
  const auto path = dir / "forged.h5";
  write_results(path, r, make_metadata(s, "state_only.toml", RunSettings{7, 1, 0.0005}, 20), false);
  {
    // A variable of the right name but the wrong shape, with no dimensions attached.
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t g = H5Gopen2(f, "metrics", H5P_DEFAULT);
    H5Ldelete(g, "served", H5P_DEFAULT);
    const hsize_t dims[2] = {3, 5};
    const hid_t space = H5Screate_simple(2, dims, nullptr);
    H5Dclose(H5Dcreate2(g, "served", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Sclose(space);
    H5Gclose(g);
    H5Fclose(f);
  }
  seal_file(path, output_format_version);  // a forger who also seals
  CHECK(error_of([&] { check_result_file(path); }).find("group 'metrics': variable 'served': dimension 0 (length 3)") !=
        std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("stale temporaries of dead runs are removed, and nothing else") {
  const auto dir = fresh_dir("stale");
  const auto out = dir / "out.h5";
  const auto tmp = [&](const std::string& suffix) { return dir / ("out.h5.tmp-" + suffix); };
  const std::string dead = std::to_string(dead_pid()), dead2 = std::to_string(dead_pid()),
                    dead3 = std::to_string(dead_pid()), dead4 = std::to_string(dead_pid());
  write_bytes(tmp(dead), hdf5_signature + "partial");  // ours: removed
  write_bytes(tmp(dead2), "");                         // ours, killed before the first byte: removed
  write_bytes(tmp(dead3), "not hdf5 at all");          // not written by the HDF5 writer: kept
  write_bytes(dir / "victim", hdf5_signature);
  std::filesystem::create_symlink(dir / "victim", tmp(dead4));  // a link: kept, and so is its target
  write_bytes(tmp(std::to_string(::getppid())), hdf5_signature);  // a live process: kept
  write_bytes(tmp("12ab"), hdf5_signature);                       // not a pid: kept
  write_bytes(dir / ("other.h5.tmp-" + dead), hdf5_signature);    // another output's: kept
  const auto removed = remove_stale_temporaries(out);
  CHECK(removed.size() == 2);
  CHECK_FALSE(std::filesystem::exists(tmp(dead)));
  CHECK_FALSE(std::filesystem::exists(tmp(dead2)));
  CHECK(std::filesystem::exists(tmp(dead3)));
  CHECK(std::filesystem::is_symlink(tmp(dead4)));
  CHECK(std::filesystem::exists(dir / "victim"));
  CHECK(std::filesystem::exists(tmp(std::to_string(::getppid()))));
  CHECK(std::filesystem::exists(tmp("12ab")));
  CHECK(std::filesystem::exists(dir / ("other.h5.tmp-" + dead)));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a write that fails at the end says why and leaves nothing at the path") {
  const Scenario s = test::baseline();
  const Result r = run(s, test::small_run(20));
  const auto meta = make_metadata(s, "state_only.toml", RunSettings{7, 1, 0.0005}, 20);
  const auto dir = fresh_dir("fsize");
  const auto out = dir / "out.h5";
  // A child with a 64 KiB file size limit and SIGXFSZ ignored: write() fails with EFBIG.
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{64 << 10, 64 << 10};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    int code = 3;
    try {
      write_results(out, r, meta, false);
      code = 0;
    } catch (const OutputError& e) {
      const std::string msg = e.what();
      code = msg.find("writing the output failed") != std::string::npos &&
                     msg.find("File too large") != std::string::npos &&
                     msg.find("nothing was written at " + out.string()) != std::string::npos
                 ? 1
                 : 2;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(std::filesystem::is_empty(dir));  // neither the output nor a temporary
  std::filesystem::remove_all(dir.parent_path());
}
