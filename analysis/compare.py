"""Scenario against baseline: differences of totals over paired replicates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from .results import PathLike, as_dataset
from .tables import refuse_series, units_of, replicate_totals, shares as shares_of

_TIME_DIMS = ("day", "month")


def _as_dataset(data: xr.Dataset | PathLike) -> xr.Dataset:
    return as_dataset(data, "metrics")


def _mean(values: np.ndarray) -> float:
    """Mean of the values that are not NaN (NaN if none are)."""
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")


def _label(ds: xr.Dataset, fallback: str) -> str:
    return str(ds.attrs.get("source", fallback))


def _check_paired(baseline: xr.Dataset, scenario: xr.Dataset) -> None:
    b, s = _label(baseline, "baseline"), _label(scenario, "scenario")
    # A sweep's points would be pooled into one difference: compare_points compares each
    # point of a sweep with a reference point.
    refuse_series(baseline, "compare")
    refuse_series(scenario, "compare")
    for name in ("replicate", "jurisdiction", *_TIME_DIMS):
        in_b, in_s = name in baseline.coords, name in scenario.coords
        if in_b != in_s or (in_b and not baseline[name].equals(scenario[name])):
            what = {"replicate": "replicates", "jurisdiction": "jurisdictions"}.get(name, "days")
            raise ValueError(f"compare: {b} and {s} have different {what}; paired replicates need the same run length, places and replicates")


def compare(
    baseline: xr.Dataset | PathLike,
    scenario: xr.Dataset | PathLike,
    *,
    low: float = 2.5,
    high: float = 97.5,
    include_shares: bool = True,
) -> pd.DataFrame:
    """Difference (scenario minus baseline) of each total, with an interval over paired replicates.

    ``baseline`` and ``scenario`` are metrics Datasets, :class:`licsim.Result` objects or
    result file paths with the same
    days, jurisdictions and replicates. Replicate *i* of one is paired with replicate *i* of
    the other, which removes most noise when both ran with the same seed (common random
    numbers). Totals follow :func:`licsim.analysis.totals`; with ``include_shares`` the
    derived :func:`licsim.analysis.shares` are compared too.

    Returns one row per metric with columns ``baseline`` and ``scenario`` (means over
    replicates), ``difference`` (mean paired difference), ``low`` and ``high`` (its
    percentiles over replicates), ``relative`` (difference / baseline mean; NaN when that is
    zero) and ``units``. A sweep (a ``point`` dimension) is refused: compare its points with
    :func:`licsim.analysis.compare_points`.
    """
    b, s = _as_dataset(baseline), _as_dataset(scenario)
    _check_paired(b, s)
    tb, ts = replicate_totals(b), replicate_totals(s)
    if include_shares:
        tb = tb.join(shares_of(b))
        ts = ts.join(shares_of(s))
    common = [c for c in tb.columns if c in ts.columns]
    rows = {}
    for name in common:
        vb = tb[name].to_numpy(dtype=float)
        vs = ts[name].to_numpy(dtype=float)
        diff = vs - vb
        diff = diff[~np.isnan(diff)]
        base_mean, mean_diff = _mean(vb), _mean(diff)
        lo, hi = np.percentile(diff, [low, high]) if diff.size else (np.nan, np.nan)
        rows[name] = {
            "baseline": base_mean,
            "scenario": _mean(vs),
            "difference": mean_diff,
            "low": lo,
            "high": hi,
            "relative": mean_diff / base_mean if base_mean != 0 else np.nan,
            "units": units_of(b, name),
        }
    table = pd.DataFrame.from_dict(
        rows, orient="index", columns=["baseline", "scenario", "difference", "low", "high", "relative", "units"]
    )
    table.index.name = "metric"
    return table
