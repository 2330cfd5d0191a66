#pragma once
// licsim._core.Result (HeldResult here): a finished run held in memory. run_bindings.cpp makes one
// (`_core.run`); result_bindings.cpp binds its arrays, variables and dimensions
// from the output schema (sim/engine/output_schema.hpp).
#include <pybind11/pybind11.h>

#include "engine/result.hpp"
#include "io/hdf5_writer.hpp"

/// The engine's Result and the metadata a file of them carries. NumPy views
/// of the arrays keep it alive through a capsule.
struct HeldResult {
  licsim::Result result;
  licsim::OutputMetadata meta;
};
