#include "io/variable_batch.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include "engine/result.hpp"
#include "io/chunk_codec.hpp"

namespace licsim {

// The file types are little-endian and values are copied as they are in memory.
static_assert(std::endian::native == std::endian::little, "licsim writes HDF5 files on little-endian hosts only");

namespace {

/// Rounds half away from zero, as std::llround, without the libm call.
template <class Int>
Int round_count(double v) {
  return static_cast<Int>(v < 0 ? v - 0.5 : v + 0.5);
}

}  // namespace

hid_t file_type(StoredAs type) {
  return type == StoredAs::int32 ? H5T_STD_I32LE : type == StoredAs::int64 ? H5T_STD_I64LE : H5T_IEEE_F64LE;
}

StoredAs stored_type(const std::vector<double>& values, bool count) {
  if (!count) return StoredAs::float64;
  const bool fits_int32 = std::all_of(values.begin(), values.end(), [](double v) { return std::fabs(v) < 2147483647.0; });
  return fits_int32 ? StoredAs::int32 : StoredAs::int64;
}

void to_file_bytes(const double* data, std::size_t n, StoredAs type, std::uint8_t* out) {
  if (type == StoredAs::int32) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto v = round_count<std::int32_t>(data[i]);
      std::memcpy(out + i * sizeof v, &v, sizeof v);
    }
  } else if (type == StoredAs::int64) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto v = round_count<std::int64_t>(data[i]);
      std::memcpy(out + i * sizeof v, &v, sizeof v);
    }
  } else {
    std::memcpy(out, data, n * sizeof(double));
  }
}

void to_file_bytes(const std::int64_t* data, std::size_t n, StoredAs type, std::uint8_t* out) {
  if (type == StoredAs::int64) {
    std::memcpy(out, data, n * sizeof *data);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = static_cast<std::int32_t>(data[i]);
    std::memcpy(out + i * sizeof v, &v, sizeof v);
  }
}

void VariableBatch::add(std::string name, std::vector<hid_t> scales, std::vector<hsize_t> dims,
                        std::vector<double> data, bool count, std::string units, std::string description) {
  // A shape that does not match the values would read past them: refuse it.
  std::size_t shape_values = 1;
  for (hsize_t d : dims) shape_values *= d;
  if (shape_values != data.size())
    throw OutputError("internal: " + name + " has " + std::to_string(data.size()) + " values for a shape of " +
                      std::to_string(shape_values));
  const StoredAs type = stored_type(data, count);
  queued_values_ += data.size();
  auto chunk = chunk_shape(dims);
  auto runs = chunk_runs(dims, chunk);
  queue_.push_back({std::move(name), std::move(scales), std::move(dims), std::move(chunk), std::move(runs),
                    std::move(data), type, std::move(units), std::move(description), {}});
  if (queued_values_ >= writer_batch_values) write();
}

void VariableBatch::compress_chunk(Variable& v, std::size_t k, ChunkCompressor& compressor,
                                   std::vector<std::uint8_t>& raw) {
  const ChunkRun& run = v.runs[k];
  raw.assign(chunk_values(v.chunk) * bytes_of(v.type), 0);  // an edge chunk is padded with the fill value (0)
  to_file_bytes(v.data.data() + run.first, run.count, v.type, raw.data());
  v.compressed[k] = compressor.compress(raw, bytes_of(v.type));
}

void VariableBatch::compress_all() {
  std::vector<std::pair<std::size_t, std::size_t>> tasks;  // (variable, chunk)
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    auto& v = queue_[i];
    v.compressed.assign(v.runs.size(), {});
    for (std::size_t k = 0; k < v.compressed.size(); ++k) tasks.emplace_back(i, k);
  }
  const auto n = static_cast<long>(tasks.size());
  std::exception_ptr failure;
  // Each task fills only its own chunk's slot, so the bytes do not depend on
  // the thread count or on which thread took which task.
  const auto work = [&] {
    ChunkCompressor compressor(1);  // gzip level 1, as create_dataset declares
    std::vector<std::uint8_t> raw;
#pragma omp for schedule(dynamic, 1)
    for (long t = 0; t < n; ++t) {
      const auto [i, k] = tasks[static_cast<std::size_t>(t)];
      try {
        compress_chunk(queue_[i], k, compressor, raw);
      } catch (...) {
#pragma omp critical(licsim_variable_batch)
        if (!failure) failure = std::current_exception();
      }
    }
  };
  if (threads_ == 1) {
    work();  // on this thread alone: no OpenMP team is started
  } else if (threads_ > 1) {
#pragma omp parallel num_threads(threads_)
    work();
  } else {
#pragma omp parallel
    work();
  }
  if (failure) std::rethrow_exception(failure);
}

void VariableBatch::write() {
  compress_all();
  // HDF5 is not thread-safe: the datasets are created and filled on this thread, in queue order.
  for (auto& v : queue_) write_variable(v);
  queue_.clear();
  queued_values_ = 0;
}

void VariableBatch::write_variable(Variable& v) const {
  const hid_t type = file_type(v.type);
  Handle dset(create_dataset(group_, v.name, type, v.dims), H5Dclose, v.name);
  if (v.chunk.empty()) {
    std::vector<std::uint8_t> bytes(v.data.size() * bytes_of(v.type));
    to_file_bytes(v.data.data(), v.data.size(), v.type, bytes.data());
    // Memory holds the file's layout (little-endian host), so memory type = file type.
    check(H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()), v.name);
  } else {
    for (std::size_t k = 0; k < v.runs.size(); ++k) {
      const auto& bytes = v.compressed[k];
      // Filter mask 0: every filter of the dataset (shuffle, deflate) was applied.
      check(H5Dwrite_chunk(dset, H5P_DEFAULT, 0, v.runs[k].offset.data(), bytes.size(), bytes.data()), v.name);
    }
  }
  for (std::size_t i = 0; i < v.scales.size(); ++i)
    check(H5DSattach_scale(dset, v.scales[i], static_cast<unsigned>(i)), "dimensions of " + v.name);
  describe(dset, v.units, v.description);
}

}  // namespace licsim
