#pragma once
// licsim._core.Result (HeldResult here): a finished run held in memory. module.cpp makes one
// (`_core.run`); run_bindings.cpp binds its arrays, variables and dimensions
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

/// Binds HeldResult as _core.Result, the output schema (`_core.output_schema`) and the vocabularies
/// that label the arrays.
void bind_run(pybind11::module_& m);
