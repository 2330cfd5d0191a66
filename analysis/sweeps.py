"""Sweeps as results: a table per point, and each point against a reference point.

A sweep file (``licsim sweep``, :func:`licsim.sweep`) holds many runs along a ``point``
dimension, with the base ``scenario`` and the varied keys as coordinates (docs/sweeps.md).
Every function here keeps the points apart: nothing is pooled over ``point``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from .results import as_dataset
from .tables import replicate_totals, shares, summarize_values, units_of

#: Columns of :func:`compare_points` after the point's coordinates.
COMPARISON_COLUMNS = ("reference", "value", "difference", "low", "high", "relative", "resolved", "replicates", "units")


def as_sweep(data: Any, group: str = "metrics") -> xr.Dataset:
    """``group`` of a sweep (a sweep file path or a Dataset with a ``point`` dimension), else
    ValueError: single runs have :func:`licsim.analysis.summary` and :func:`licsim.analysis.compare`."""
    ds = as_dataset(data, group)
    if "point" not in ds.dims:
        source = ds.attrs.get("source", "the data")
        raise ValueError(f"{source}: not a sweep (no 'point' dimension); for a single run use summary() or compare()")
    return ds


def point_coordinates(ds: xr.Dataset) -> pd.DataFrame:
    """What tells a sweep's points apart, one row per point (index ``point``): ``scenario``
    (the base scenario's label) and each varied key, in the sweep file's order."""
    names = [str(c) for c in ds.coords if c != "point" and ds[c].dims == ("point",)]
    try:  # the keys in the plan's order (grid axes, then ranges), not the file's alphabetical one
        spec = design(ds)
        order = ["scenario", *spec["grid"], *spec["sample"].get("ranges", {})]
    except ValueError:
        order = ["scenario"]
    names.sort(key=lambda c: order.index(c) if c in order else len(order))
    table = pd.DataFrame({c: ds[c].values for c in names}, index=pd.Index(ds["point"].values, name="point"))
    return table


def point_label(coordinates: pd.Series, varied: bool = True) -> str:
    """A point's row of :func:`point_coordinates` as a legend label, e.g.
    ``imlc, compact.loq_fee_usd=350``."""
    parts = [str(coordinates["scenario"])] if "scenario" in coordinates.index else []
    if varied:
        parts += [f"{k}={_number(v)}" for k, v in coordinates.items() if k != "scenario"]
    return ", ".join(parts)


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (float, np.floating)) else str(value)


def design(ds: xr.Dataset) -> dict[str, Any]:
    """The sweep file's design, parsed from the ``sweep_file_toml`` attribute that
    :func:`licsim.open` copies onto a sweep's Dataset: its ``sweep``, ``grid`` and ``sample``
    tables (absent ones empty). ValueError when the Dataset does not carry it."""
    text = ds.attrs.get("sweep_file_toml")
    if not text:
        raise ValueError("the sweep's design is unknown: open the sweep file with licsim.open (its Dataset carries "
                         "the attribute sweep_file_toml)")
    spec = tomllib.loads(str(text))
    return {"sweep": spec.get("sweep", {}), "grid": spec.get("grid", {}), "sample": spec.get("sample", {})}


def _per_replicate(ds: xr.Dataset, include_shares: bool) -> pd.DataFrame:
    """Per-replicate totals (and shares), indexed by (point, replicate)."""
    values = replicate_totals(ds)
    return values.join(shares(ds)) if include_shares else values


def sweep_summary(
    sweep: Any, *, low: float = 2.5, high: float = 97.5, include_shares: bool = True
) -> pd.DataFrame:
    """Mean and percentile interval over replicates of each total, for every point of a sweep.

    ``sweep`` is a sweep file path or its metrics Dataset (:func:`licsim.open`). Totals
    follow :func:`licsim.analysis.totals`; with ``include_shares`` the derived
    :func:`licsim.analysis.shares` are summarised too. Returns one row per (point, metric)
    with the point's ``scenario`` and varied keys, then ``mean``, ``low``, ``high`` (default:
    2.5 and 97.5 percentiles) and ``units``. A failed point has NaN values.
    """
    ds = as_sweep(sweep)
    values = _per_replicate(ds, include_shares)
    units = {name: units_of(ds, name) for name in values.columns}
    parts = {int(p): summarize_values(group.droplevel("point"), low, high, units)
             for p, group in values.groupby(level="point", sort=False)}
    table = pd.concat(parts, names=["point"])
    coords = point_coordinates(ds)
    return table.join(coords, on="point")[[*coords.columns, *table.columns]]


def reference_point(ds: xr.Dataset, reference: int | Mapping[str, Any]) -> int:
    """The index of the point ``reference`` names: a point index, or a mapping of coordinates
    to values (``{"scenario": "state_only", "compact.loq_fee_usd": 700}``) that exactly one
    point matches. ValueError otherwise, listing what there is."""
    points = [int(p) for p in ds["point"].values]
    if not isinstance(reference, Mapping):
        if isinstance(reference, bool) or not isinstance(reference, (int, np.integer)) or int(reference) not in points:
            raise ValueError(f"compare_points: no point {reference!r} in this sweep (points {points[0]}..{points[-1]}); "
                             "name one by its index or by {coordinate: value}")
        return int(reference)
    coords = point_coordinates(ds)
    unknown = [k for k in reference if k not in coords.columns]
    if unknown:
        raise ValueError(f"compare_points: no coordinate {', '.join(map(repr, unknown))} in this sweep "
                         f"(coordinates: {', '.join(coords.columns)})")
    match = np.ones(len(coords), dtype=bool)
    for key, value in reference.items():
        match &= (coords[key] == value).to_numpy()
    found = list(coords.index[match])
    if len(found) != 1:
        what = "no point" if not found else f"{len(found)} points ({', '.join(map(str, found))})"
        raise ValueError(f"compare_points: {what} of this sweep match {dict(reference)}; the reference must be one "
                         "point (give every varied key, or the point's index)")
    return int(found[0])


def mean_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float, int]:
    """Mean of the finite ``values``, its Student-t ``confidence`` interval, and how many there
    were; the interval is NaN with fewer than two (no spread to judge it by)."""
    from scipy import stats

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(x.mean())
    if x.size < 2:
        return mean, np.nan, np.nan, 1
    half = float(stats.t.ppf(0.5 + confidence / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half, int(x.size)


def compare_points(
    sweep: Any,
    reference: int | Mapping[str, Any],
    *,
    confidence: float = 0.95,
    include_shares: bool = True,
) -> pd.DataFrame:
    """Each point of a sweep against a reference point: the mean paired difference of each total
    with its ``confidence`` interval, and whether the sweep resolves it.

    ``sweep`` is a sweep file path or its metrics Dataset; ``reference`` a point index or
    ``{coordinate: value}`` matching one point (:func:`reference_point`). Replicate *i* of a
    point is paired with replicate *i* of the reference: with ``random_numbers = "common"``
    both drew the same random numbers, so most of the noise cancels (with independent seeds
    the pairing is still valid, only less tight). The interval is Student's t over the
    paired differences (NaN with one replicate). Totals follow :func:`licsim.analysis.totals`;
    with ``include_shares`` the derived shares are compared too.

    Returns one row per (point, metric), the reference left out, with the point's
    ``scenario`` and varied keys, then ``reference`` and ``value`` (means over replicates),
    ``difference`` (mean of point minus reference), ``low``/``high`` (its interval),
    ``relative`` (difference / reference mean; NaN when that is zero), ``resolved`` (False
    when the interval includes zero, or there is none: the sweep cannot tell the point from
    the reference), ``replicates`` (pairs used: those where both values exist) and ``units``.
    ``table.attrs`` has ``reference`` (its index), ``confidence`` and
    ``common_random_numbers`` (True, False, or None when the Dataset does not say).
    """
    if not 0 < confidence < 1:
        raise ValueError(f"compare_points: confidence must be between 0 and 1, got {confidence}")
    ds = as_sweep(sweep)
    ref = reference_point(ds, reference)
    values = _per_replicate(ds, include_shares)
    base = values.xs(ref, level="point")
    if base.isna().all().all():
        raise ValueError(f"compare_points: the reference point {ref} has no results (a failed point: see "
                         "licsim.analysis.sweep_points for its error)")
    rows = {}
    for point, group in values.groupby(level="point", sort=False):
        if point == ref:
            continue
        other = group.droplevel("point")
        for name in values.columns:
            rows[(int(point), name)] = _compared(base[name], other[name], confidence, units_of(ds, name))
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(COMPARISON_COLUMNS))
    table.index = pd.MultiIndex.from_tuples(table.index, names=["point", "metric"])
    coords = point_coordinates(ds)
    table = table.join(coords, on="point")[[*coords.columns, *COMPARISON_COLUMNS]]
    table.attrs.update(reference=ref, confidence=confidence, common_random_numbers=_common_numbers(ds))
    return table


def _compared(base: pd.Series, other: pd.Series, confidence: float, units: str) -> dict[str, Any]:
    """One metric of one point against the reference, paired by replicate (aligned on it)."""
    diff = (other - base).to_numpy(dtype=float)
    mean, low, high, n = mean_interval(diff, confidence)
    ref_mean = float(np.nanmean(base.to_numpy(dtype=float))) if base.notna().any() else np.nan
    value = float(np.nanmean(other.to_numpy(dtype=float))) if other.notna().any() else np.nan
    return {
        "reference": ref_mean,
        "value": value,
        "difference": mean,
        "low": low,
        "high": high,
        "relative": mean / ref_mean if ref_mean != 0 else np.nan,
        "resolved": bool(low > 0 or high < 0),  # NaN compares False: no interval, not resolved
        "replicates": n,
        "units": units,
    }


def _common_numbers(ds: xr.Dataset) -> bool | None:
    try:
        return design(ds)["sweep"].get("random_numbers", "independent") == "common"
    except ValueError:
        return None
