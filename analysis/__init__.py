"""licsim.analysis: read licsim result files and turn them into tables and figures.

Typical use::

    from licsim import analysis
    ds = analysis.open_result("out.h5")             # metrics group as an xarray Dataset
    analysis.summary(ds)                            # mean and 95% interval of each total
    analysis.shares(ds, by_jurisdiction=True)       # cross-state share of telemedicine, ...
    analysis.compare("baseline.h5", "reform.h5")    # paired differences
    analysis.plot_timeseries(ds, "episodes", rolling=7)
    analysis.plot_outcomes({"state only": a, "IMLC": b})  # access, cost, malpractice, harm
    analysis.plot_flows(licsim.open("out.h5", "flows"))   # cross-state telemedicine
    analysis.plot_tile_map(ds, "unmet")                   # any per-state metric on a US tile grid
    analysis.sobol("state_only.toml", {"regulator.license_fee_usd": (100, 1500)}, n=8)
    sweep = licsim.open("fees.h5")                       # a sweep file: a `point` dimension
    analysis.sweep_summary(sweep)                        # mean and interval per point
    analysis.compare_points(sweep, {"scenario": "state_only", "compact.loq_fee_usd": 700})
    analysis.plot_sweep(sweep, "unmet", x="compact.loq_fee_usd")
    analysis.sobol_sweep("sampled.h5", ["unmet_share"])  # a sweep with a [sample] table
    from licsim.analysis import claims                   # the claims studies' measures, 2017-2022
    claims.out_of_state_share_of_telehealth(result, "2020-01-01", "2020-12-31")
"""

from .compare import compare
from .figures import (
    OUTCOME_PANELS,
    national_series,
    plot_by_jurisdiction,
    plot_flows,
    plot_outcomes,
    plot_sweep,
    plot_timeseries,
)
from .maps import US_TILE_GRID, plot_tile_map, per_jurisdiction
from .results import (
    GROUPS,
    as_dataset,
    check_result_file,
    is_sweep,
    open_result,
    open_results,
    run_info,
    sweep_points,
    varied_keys,
)
from .sensitivity import SobolValidityWarning, run_samples, sobol, sobol_analyze, sobol_sample, sobol_sweep
from .sweeps import as_sweep, compare_points, point_coordinates, reference_point, sweep_summary
from .tables import (
    ENCOUNTER_WEIGHTED,
    SERIES_DIMS,
    SERVED,
    SHARES,
    STOCKS,
    TELEHEALTH,
    replicate_totals,
    flow_table,
    served,
    shares,
    summarize_values,
    summary,
    tidy,
    totals,
)

__all__ = [
    "GROUPS",
    "SERVED",
    "TELEHEALTH",
    "STOCKS",
    "ENCOUNTER_WEIGHTED",
    "SHARES",
    "SERIES_DIMS",
    "OUTCOME_PANELS",
    "US_TILE_GRID",
    "as_dataset",
    "check_result_file",
    "open_result",
    "open_results",
    "run_info",
    "is_sweep",
    "sweep_points",
    "varied_keys",
    "tidy",
    "served",
    "totals",
    "replicate_totals",
    "shares",
    "summary",
    "summarize_values",
    "compare",
    "as_sweep",
    "sweep_summary",
    "compare_points",
    "reference_point",
    "point_coordinates",
    "plot_sweep",
    "national_series",
    "plot_timeseries",
    "plot_by_jurisdiction",
    "plot_outcomes",
    "plot_flows",
    "plot_tile_map",
    "per_jurisdiction",
    "flow_table",
    "sobol_sample",
    "run_samples",
    "sobol_analyze",
    "sobol",
    "sobol_sweep",
    "SobolValidityWarning",
]
