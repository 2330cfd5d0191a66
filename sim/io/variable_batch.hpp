#pragma once
// Writes a group's variables together (io-internal). Their chunks are
// converted to the file type, shuffled and deflated on several threads
// (io/chunk_codec.hpp), then handed to HDF5 already filtered, on one thread in
// a fixed order: the file is the same for any thread count.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "io/hdf5_util.hpp"
#include "io/stored_as.hpp"

namespace licsim {

/// The HDF5 file type (little-endian).
hid_t file_type(StoredAs type);

class VariableBatch {
 public:
  /// `threads`: 0 for OpenMP's default; 1 starts no OpenMP team.
  VariableBatch(hid_t group, int threads) : group_(group), threads_(threads) {}
  VariableBatch(const VariableBatch&) = delete;
  VariableBatch& operator=(const VariableBatch&) = delete;

  /// Queues a variable over the given dimension scales (which must stay open
  /// until write()). Counts go out as int32 (a cell is one day or month of one
  /// jurisdiction: far below 2^31 even at full scale), or int64 when a value
  /// would not fit; other values as float64. Writes the queue once it holds
  /// writer_batch_values (engine/result.hpp), so memory stays bounded.
  void add(std::string name, std::vector<hid_t> scales, std::vector<hsize_t> dims, std::vector<double> data,
           bool count, std::string units, std::string description);

  /// Writes every queued variable: compression in parallel, then the HDF5 calls in queue order.
  void write();

 private:
  struct Variable {
    std::string name;
    std::vector<hid_t> scales;
    std::vector<hsize_t> dims, chunk;  ///< chunk empty: contiguous
    std::vector<ChunkRun> runs;        ///< chunk_runs(dims, chunk)
    std::vector<double> data;
    StoredAs type;
    std::string units, description;
    std::vector<std::vector<std::uint8_t>> compressed;  ///< by chunk, in chunk order
  };
  /// Compresses every queued chunk, on the batch's threads.
  void compress_all();
  void compress_chunk(Variable& v, std::size_t k, class ChunkCompressor& compressor, std::vector<std::uint8_t>& raw);
  void write_variable(Variable& v) const;

  hid_t group_;
  int threads_;
  std::vector<Variable> queue_;
  std::size_t queued_values_ = 0;
};

}  // namespace licsim
