"""licsim: agent-based simulation of US medical licensure policy for telemedicine.

Load a scenario (a file, TOML text or a dict) with :class:`Scenario`, simulate it with
:func:`run`, and look at the :class:`Result` as NumPy arrays, as an xarray Dataset
(``result.to_xarray()``) or as the HDF5 file ``licsim run`` writes (``result.save(path)``).
:func:`open` reads such a file back; :func:`sweep` runs a sweep file's points, locally or on a
Dask cluster; :mod:`licsim.analysis` makes tables, comparisons,
figures and sensitivity analyses; :func:`calibrate` and :func:`evaluate` fit a scenario to the
published targets of ``scenarios/calibration/targets.toml`` and report against them. Example::

    import licsim
    result = licsim.run(licsim.scenario_path("imlc"), replicates=3, days=365,
                        overrides={"compact.loq_fee_usd": 300})
    metrics = result.to_xarray()
    result.save("imlc.h5")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._core import (
    DataError,
    LicsimError,
    OutputError,
    ScenarioError,
    UsageError,
    __version__,
)
from .result import DAILY_METRICS, GROUPS, Result
from .runner import resolved_scenario, run, run_to_file
from .scenario import (
    SCENARIOS_DIR,
    IneffectiveOverrideWarning,
    Scenario,
    available_scenarios,
    scenario_path,
    to_toml_value,
)
from .sweep import SweepReport, load_sweep, sweep
from .calibrate import Calibration, calibrate, evaluate, load_targets  # noqa: E402  (licsim.calibrate: the function)

if TYPE_CHECKING:
    import os

    import xarray

__all__ = [
    "__version__",
    "LicsimError",
    "ScenarioError",
    "DataError",
    "OutputError",
    "UsageError",
    "Scenario",
    "IneffectiveOverrideWarning",
    "Result",
    "run",
    "run_to_file",
    "sweep",
    "load_sweep",
    "SweepReport",
    "open",
    "resolved_scenario",
    "scenario_path",
    "available_scenarios",
    "to_toml_value",
    "SCENARIOS_DIR",
    "GROUPS",
    "DAILY_METRICS",
    "calibrate",
    "evaluate",
    "load_targets",
    "Calibration",
]


def open(path: str | os.PathLike[str], group: str = "metrics") -> xarray.Dataset:  # noqa: A001 - mirrors xarray.open_dataset
    """Open one group (``metrics``, ``breakdown``, ``flows`` or ``regimes``) of a licsim result
    file or sweep file.

    Returns an in-memory :class:`xarray.Dataset`; a sweep file's has a leading ``point``
    dimension with the scenario and the varied keys as coordinates (its ``points`` group: one
    row per point). Raises ValueError if ``path`` is neither or has no such group. See
    :func:`licsim.analysis.open_result`; :mod:`licsim.analysis` summarises a sweep per point
    (``sweep_summary``), compares its points with one (``compare_points``), plots them
    (``plot_sweep``) and estimates Sobol' indices from it (``sobol_sweep``).
    """
    from .analysis import open_result

    return open_result(path, group=group)
