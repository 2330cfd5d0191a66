"""licsim.analysis: read licsim result files and turn them into tables and figures.

Typical use::

    from licsim import analysis
    ds = analysis.open_result("out.h5")             # metrics group as an xarray Dataset
    analysis.summary(ds)                            # mean and 95% interval of each total
    analysis.shares(ds, by_jurisdiction=True)       # cross-state share of telemedicine, ...
    analysis.compare("baseline.h5", "reform.h5")    # paired differences
    analysis.plot_timeseries(ds, "episodes", rolling=7)
"""

from .compare import compare
from .figures import national_series, plot_by_jurisdiction, plot_timeseries
from .results import GROUPS, check_result_file, open_result, open_results, run_info
from .tables import (
    ENCOUNTER_WEIGHTED,
    SERVED,
    SHARES,
    STOCKS,
    TELEHEALTH,
    replicate_totals,
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
    "check_result_file",
    "open_result",
    "open_results",
    "run_info",
    "tidy",
    "served",
    "totals",
    "replicate_totals",
    "shares",
    "summary",
    "summarize_values",
    "compare",
    "national_series",
    "plot_timeseries",
    "plot_by_jurisdiction",
]
