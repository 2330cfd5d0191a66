"""Matplotlib figures of result Datasets: national time series and per-jurisdiction bars.

Functions draw on ``ax`` when given, else on a new figure from pyplot, and return the Axes.
In scripts and tests, select a non-interactive backend first (``MPLBACKEND=Agg``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from .tables import totals

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _new_axes(figsize: tuple[float, float]) -> "Axes":
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def national_series(ds: xr.Dataset, variable: str) -> xr.DataArray:
    """National value of ``variable`` per replicate and time step.

    Counts, money and stocks are summed over jurisdictions; ``wait_days_mean`` is averaged
    weighted by the encounters served (the rules of :func:`licsim.analysis.totals`).
    """
    keep = [d for d in ds[variable].dims if d != "jurisdiction"]
    return totals(ds, keep=keep, variables=variable)[variable]


def _replicate_mean(series: xr.DataArray) -> np.ndarray:
    return (series.mean("replicate") if "replicate" in series.dims else series).values


def plot_timeseries(
    ds: xr.Dataset,
    variables: str | Iterable[str],
    *,
    rolling: int | None = None,
    band: bool = True,
    ax: "Axes | None" = None,
    labels: dict[str, str] | None = None,
    logy: bool = False,
) -> "Axes":
    """National daily total of one or more metrics over time (mean over replicates).

    With ``rolling`` (e.g. 7), the daily mean is drawn faintly and its trailing
    ``rolling``-day mean on top. With ``band`` and several replicates, the 2.5-97.5
    percentile band over replicates is shaded. ``labels`` renames variables in the legend.
    """
    names = [variables] if isinstance(variables, str) else list(variables)
    ax = ax if ax is not None else _new_axes((9, 4))
    time = "day" if "day" in ds.dims else "month"
    units = set()
    for name in names:
        units.add(str(ds[name].attrs.get("units", "")))
        label = (labels or {}).get(name, name.replace("_", " "))
        series = national_series(ds, name)
        extra = [d for d in series.dims if d not in (time, "replicate")]
        if extra:
            raise ValueError(f"plot_timeseries: select one value of {', '.join(map(str, extra))} first (e.g. ds.sel(run=...))")
        x = series[time].values
        if rolling and rolling > 1:
            (faint,) = ax.plot(x, _replicate_mean(series), alpha=0.3, linewidth=0.8)
            series = series.rolling({time: rolling}).mean()
            (line,) = ax.plot(x, _replicate_mean(series), color=faint.get_color(), label=f"{label} ({rolling}-day mean)")
        else:
            (line,) = ax.plot(x, _replicate_mean(series), label=label)
        if band and "replicate" in series.dims and series.sizes["replicate"] > 1:
            axis = series.get_axis_num("replicate")
            with warnings.catch_warnings():  # the first days of a rolling mean are all NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                lo, hi = np.nanpercentile(series.values, [2.5, 97.5], axis=axis)
            ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
    if logy:
        ax.set_yscale("log")
    unit = units.pop() if len(units) == 1 else ""
    ax.set_ylabel(unit if unit not in ("", "1") else f"per {time}")
    ax.set_xlabel("")
    if np.issubdtype(ds[time].dtype, np.datetime64):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(loc="best", fontsize="small")
    ax.grid(True, alpha=0.3)
    return ax


def plot_by_jurisdiction(
    data: xr.Dataset | pd.Series,
    variable: str | None = None,
    *,
    sort: bool = True,
    ax: "Axes | None" = None,
    ylabel: str | None = None,
) -> "Axes":
    """Bar chart of a per-jurisdiction value.

    ``data`` is a metrics Dataset with ``variable`` (its per-jurisdiction total, mean over
    replicates, as in :func:`licsim.analysis.totals`) or a pandas Series indexed by
    jurisdiction (plotted as given). Bars are sorted by value unless ``sort`` is False.
    """
    if isinstance(data, xr.Dataset):
        if variable is None:
            raise ValueError("plot_by_jurisdiction: name the variable to plot")
        per_replicate = totals(data, keep=["replicate", "jurisdiction"], variables=variable)[variable]
        values = per_replicate.mean("replicate").to_series()
        unit = str(data[variable].attrs.get("units", ""))
    else:
        values = data
        variable = variable or str(data.name or "")
        unit = ""
    if ylabel is None:
        ylabel = variable.replace("_", " ") + (f" ({unit})" if unit not in ("", "1") else "")
    if sort:
        values = values.sort_values(ascending=False)
    ax = ax if ax is not None else _new_axes((12, 4))
    ax.bar([str(i) for i in values.index], values.to_numpy(dtype=float))
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=90, labelsize="small")
    ax.margins(x=0.01)
    return ax
