// The output's own chunk pipeline (io/chunk_codec, io/variable_batch) against
// HDF5's: the same bytes on disk, the same values read back, the same file for
// any thread count.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "io/chunk_codec.hpp"
#include "io/hdf5_writer.hpp"
#include "io/hdf5_util.hpp"
#include "io/variable_batch.hpp"
#include "support.hpp"

using namespace licsim;

namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "licsim_tests" / "chunk_codec";
  std::filesystem::create_directories(dir);
  return dir / name;
}

/// The stored (filtered) bytes of the chunk at `offset`.
std::vector<std::uint8_t> stored_chunk(hid_t dset, const std::vector<hsize_t>& offset) {
  hsize_t size = 0;
  REQUIRE(H5Dget_chunk_storage_size(dset, offset.data(), &size) >= 0);
  std::vector<std::uint8_t> bytes(size);
  std::uint32_t mask = 0;
  REQUIRE(H5Dread_chunk(dset, H5P_DEFAULT, offset.data(), &mask, bytes.data()) >= 0);
  CHECK(mask == 0);
  return bytes;
}

std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

/// Counts of the kind the engine writes: mostly small, a few large, some zero.
std::vector<double> counts(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::geometric_distribution<int> small(0.3);
  std::vector<double> v(n);
  for (auto& x : v) x = gen() % 50 == 0 ? static_cast<double>(gen() % 2000000) : small(gen);
  return v;
}

}  // namespace

TEST_CASE("shuffle_bytes puts each byte plane together and keeps trailing bytes") {
  const std::vector<std::uint8_t> raw = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};  // two 4-byte elements + 3
  std::vector<std::uint8_t> out(raw.size());
  shuffle_bytes(raw, 4, out.data());
  CHECK(out == std::vector<std::uint8_t>{1, 5, 2, 6, 3, 7, 4, 8, 9, 10, 11});
  shuffle_bytes(raw, 1, out.data());
  CHECK(out == raw);
}

TEST_CASE("a chunk compressed by licsim is the chunk HDF5's shuffle + deflate filters store") {
  const auto path = scratch("filters.h5");
  const std::vector<hsize_t> dims = {2, 70, 51};  // 70 steps: chunks of 32, 32 and a padded 6
  const auto chunk = chunk_shape(dims);
  REQUIRE(chunk == std::vector<hsize_t>{1, 32, 51});
  const auto values = counts(dims[0] * dims[1] * dims[2], 3);
  std::vector<std::int32_t> ints(values.begin(), values.end());
  std::vector<double> reals(values.size());
  for (std::size_t i = 0; i < reals.size(); ++i) reals[i] = values[i] * 0.37 + 1e-3 * static_cast<double>(i);
  {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t a = create_dataset(file, "ints", H5T_STD_I32LE, dims);
    REQUIRE(H5Dwrite(a, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, ints.data()) >= 0);
    const hid_t b = create_dataset(file, "reals", H5T_IEEE_F64LE, dims);
    REQUIRE(H5Dwrite(b, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, reals.data()) >= 0);
    H5Dclose(a);
    H5Dclose(b);
    H5Fclose(file);
  }
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  ChunkCompressor compressor(1);
  const std::size_t inner = dims[2];
  for (const char* name : {"ints", "reals"}) {
    CAPTURE(name);
    const bool is_int = std::string(name) == "ints";
    const std::size_t element = is_int ? 4 : 8;
    const hid_t dset = H5Dopen2(file, name, H5P_DEFAULT);
    for (hsize_t r = 0; r < dims[0]; ++r)
      for (hsize_t first = 0; first < dims[1]; first += chunk[1]) {
        CAPTURE(r);
        CAPTURE(first);
        const std::size_t rows = std::min<std::size_t>(chunk[1], dims[1] - first);
        std::vector<std::uint8_t> raw(chunk[1] * inner * element, 0);  // edge chunk padded with the fill value
        const std::size_t from = (r * dims[1] + first) * inner;
        if (is_int)
          to_file_bytes(values.data() + from, rows * inner, StoredAs::int32, raw.data());
        else
          to_file_bytes(reals.data() + from, rows * inner, StoredAs::float64, raw.data());
        CHECK(compressor.compress(raw, element) == stored_chunk(dset, {r, first, 0}));
      }
    H5Dclose(dset);
  }
  H5Fclose(file);
}

TEST_CASE("to_file_bytes rounds counts half away from zero, like llround") {
  const std::vector<double> v = {0.0, 0.49, 0.5, 1.5, 2.5, -0.5, -1.49, 2147483646.0};
  std::vector<std::uint8_t> bytes(v.size() * 4);
  to_file_bytes(v.data(), v.size(), StoredAs::int32, bytes.data());
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::int32_t x;
    std::memcpy(&x, bytes.data() + 4 * i, 4);
    CHECK(x == std::llround(v[i]));
  }
  std::vector<std::uint8_t> wide(8);
  const double big = 9.0e12;
  to_file_bytes(&big, 1, StoredAs::int64, wide.data());
  std::int64_t y;
  std::memcpy(&y, wide.data(), 8);
  CHECK(y == 9000000000000);
}

TEST_CASE("a batch writes the values HDF5 reads back, the same file for any thread count") {
  const std::vector<hsize_t> dims = {3, 45, 7, 2};
  const std::size_t n = dims[0] * dims[1] * dims[2] * dims[3];
  auto values = counts(n, 11);
  values[17] = 5.0e9;  // does not fit int32: the variable goes out as int64
  const auto small = counts(40, 5);  // contiguous (<= 4096 values)
  auto write = [&](const std::filesystem::path& path, int threads) {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(file >= 0);
    {
      VariableBatch batch(file, threads);
      batch.add("wide", {}, dims, values, true, "1", "counts, one too large for int32");
      batch.add("narrow", {}, dims, counts(n, 12), true, "1", "counts");
      batch.add("real", {}, dims, std::vector<double>(n, 0.25), false, "days", "reals");
      batch.add("small", {}, {4, 10}, small, true, "1", "a small variable");
      batch.write();
    }
    H5Fclose(file);
  };
  const auto one = scratch("batch1.h5"), three = scratch("batch3.h5");
  write(one, 1);
  write(three, 3);
  CHECK(file_bytes(one) == file_bytes(three));

  const hid_t file = H5Fopen(one.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t wide = H5Dopen2(file, "wide", H5P_DEFAULT);
  const hid_t type = H5Dget_type(wide);
  CHECK(H5Tget_size(type) == 8);
  H5Tclose(type);
  std::vector<std::int64_t> back(n);
  REQUIRE(H5Dread(wide, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()) >= 0);
  for (std::size_t i = 0; i < n; ++i) REQUIRE(back[i] == static_cast<std::int64_t>(values[i]));
  const hid_t s = H5Dopen2(file, "small", H5P_DEFAULT);
  std::vector<std::int32_t> small_back(small.size());
  REQUIRE(H5Dread(s, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, small_back.data()) >= 0);
  for (std::size_t i = 0; i < small.size(); ++i) CHECK(small_back[i] == static_cast<std::int32_t>(small[i]));
  const hid_t real = H5Dopen2(file, "real", H5P_DEFAULT);
  std::vector<double> reals(n);
  REQUIRE(H5Dread(real, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, reals.data()) >= 0);
  CHECK(std::all_of(reals.begin(), reals.end(), [](double x) { return x == 0.25; }));
  H5Dclose(wide);
  H5Dclose(s);
  H5Dclose(real);
  H5Fclose(file);
}

TEST_CASE("write_results gives the same file for any thread count") {
  const Scenario s = test::baseline();
  auto options = test::small_run(40);
  options.replicates = 2;
  const Result r = run(s, options);
  const auto meta = make_metadata(s, "state_only.toml", RunSettings{7, 2, options.scale}, r.days);
  const auto one = scratch("results1.h5"), three = scratch("results3.h5");
  write_results(one, r, meta, true, 1);
  write_results(three, r, meta, true, 3);
  CHECK(file_bytes(one) == file_bytes(three));
}
