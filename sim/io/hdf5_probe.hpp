#pragma once
// HDF5 trusts the structures it reads: a file crafted to pass licsim's seal
// (io/file_seal.hpp) can still crash or hang it (seen: a forged attribute
// table makes HDF5 1.10 dereference a wild pointer in H5A__close). So before a
// reader touches a file, a child process reads all of it first, every
// object, attribute and value, the ways licsim's readers and h5py/xarray do;
// only if that child finishes is the file read here. A crash or hang costs
// the child, never the caller. Limit: a memory error HDF5 makes silently (no
// crash) in a build without AddressSanitizer is not seen, and would be made
// again by the caller; the seal keeps every damaged file from HDF5, so only a
// file crafted to pass it could (docs/reliability.md).
#include <filesystem>
#include <functional>

namespace licsim {

/// Throws DataError naming `path` when reading all of it with HDF5 (every
/// group's links by name and by creation order, every attribute, every
/// dataset's values and dimension scales) crashes, makes a memory error found
/// by AddressSanitizer, or does not finish within a time proportional to its
/// size. HDF5 errors in the child are not failures: the caller's own reads
/// report them.
/// `reader`, when given, runs in the child too, after the walk: what the
/// caller is about to do (HDF5's behaviour on a forged file depends on the
/// order of its reads, so the walk alone can pass a file the caller's reads
/// would hang on). Its licsim errors are not failures.
void probe_hdf5_file(const std::filesystem::path& path, const std::function<void()>& reader = {});

}  // namespace licsim
