#pragma once
// One function per area of licsim._core, called by PYBIND11_MODULE (module.cpp).
#include <pybind11/pybind11.h>

void bind_scenario(pybind11::module_& m);  // scenario_bindings.cpp: load, override, finalize
void bind_runs(pybind11::module_& m);      // run_bindings.cpp: settings, checks, run, run_to_file
void bind_result(pybind11::module_& m);    // result_bindings.cpp: _core.Result, the output schema
void bind_sweep(pybind11::module_& m);     // sweep_bindings.cpp: plans, points, the work folder
