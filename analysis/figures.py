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

from .tables import SHARES, refuse_series, totals, units_of

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
        extra = [str(d) for d in series.dims if d not in (time, "replicate")]
        if extra:
            hint = " or draw every point with plot_outcomes" if "point" in extra else ""
            raise ValueError(f"plot_timeseries: select one value of {', '.join(extra)} first "
                             f"(e.g. ds.sel({extra[0]}=...)){hint}")
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
    refuse_series(data, "plot_by_jurisdiction")  # its bars average over replicates only
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


#: The standard outcome panels of :func:`plot_outcomes`: (title, variable), national daily totals.
OUTCOME_PANELS = (
    ("Access: episodes forgone", "unmet"),
    ("Access: cross-state telemedicine", "served_telehealth_cross_state"),
    ("Cost: patients' out-of-pocket cost", "patient_cost_usd"),
    ("Cost: clinicians' licensure spend", "licensure_spend_usd"),
    ("Malpractice: claims filed", "malpractice_claims"),
    ("Safety: adverse events", "adverse_events"),
)


def _labelled_datasets(data) -> dict[str, xr.Dataset]:
    """``data`` (a Dataset, possibly with a ``run`` or ``point`` dimension; a Result; a path; or
    a mapping of label to any of these) as {label: metrics Dataset of one run}."""
    from collections.abc import Mapping

    from .results import as_dataset
    from .sweeps import point_coordinates, point_label

    if isinstance(data, Mapping):
        runs = {str(label): as_dataset(d) for label, d in data.items()}
        for label, ds in runs.items():
            refuse_series(ds, f"plot_outcomes ({label!r})")
        return runs
    ds = as_dataset(data)
    if "run" in ds.dims:
        return {str(r): ds.sel(run=r) for r in ds["run"].values}
    if "point" in ds.dims:
        coords = point_coordinates(ds)
        varying = coords.loc[:, coords.nunique() > 1]  # what is the same at every point labels nothing
        coords = varying if varying.shape[1] else coords
        return {point_label(row): ds.sel(point=p) for p, row in coords.iterrows()}
    return {str(ds.attrs.get("scenario_file", "run")): ds}


def plot_outcomes(
    data,
    panels: Iterable[tuple[str, str]] = OUTCOME_PANELS,
    *,
    rolling: int | None = 7,
    ncols: int = 2,
    band: bool = True,
    figsize: tuple[float, float] | None = None,
):
    """The standard figure: access, cost, malpractice and adverse events over time.

    One panel per (title, variable) in ``panels`` (default :data:`OUTCOME_PANELS`), each the
    national daily total with a trailing ``rolling``-day mean, mean over replicates with the
    2.5-97.5% band. ``data`` is a metrics Dataset, a :class:`licsim.Result`, a result path, a
    Dataset with a ``run`` dimension (:func:`licsim.analysis.open_results`), a sweep (its file
    or Dataset: one line per point, labelled by its scenario and varied keys) or a mapping of
    label to single runs: several runs are drawn as one line each, so regimes can be read
    against each other. Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    runs = _labelled_datasets(data)
    panels = list(panels)
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (5.5 * ncols, 2.8 * nrows), sharex=True,
                             layout="constrained", squeeze=False)
    for ax, (title, variable) in zip(axes.flat, panels):
        for label, ds in runs.items():
            series = national_series(ds, variable)
            time = "day" if "day" in series.dims else "month"
            if rolling and rolling > 1:
                series = series.rolling({time: rolling}).mean()
            (line,) = ax.plot(series[time].values, _replicate_mean(series), label=label)
            if band and "replicate" in series.dims and series.sizes["replicate"] > 1:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    lo, hi = np.nanpercentile(series.values, [2.5, 97.5], axis=series.get_axis_num("replicate"))
                ax.fill_between(series[time].values, lo, hi, color=line.get_color(), alpha=0.15, linewidth=0)
        unit = str(next(iter(runs.values()))[variable].attrs.get("units", ""))
        ax.set_title(title, fontsize="medium")
        ax.set_ylabel(f"{unit} per day" if unit not in ("", "1") else "per day")
        ax.grid(True, alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    first = next(iter(runs.values()))
    if np.issubdtype(first["day"].dtype, np.datetime64):
        import matplotlib.dates as mdates

        for ax in axes.flat:
            locator = mdates.AutoDateLocator(maxticks=6)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if len(runs) > 1:
        handles, labels = axes.flat[0].get_legend_handles_labels()
        per_row = 4 if max(map(len, labels)) <= 30 else 2  # long labels (a sweep's points) need the width
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(runs), per_row), fontsize="small")
    note = f" ({rolling}-day mean)" if rolling and rolling > 1 else ""
    fig.suptitle(f"National daily totals{note}, simulated agents", fontsize="medium")
    return fig


def plot_flows(
    flows: xr.Dataset,
    *,
    modality: str | None = "telehealth",
    top: int = 15,
    us_only: bool = True,
    ax: "Axes | None" = None,
    cmap: str = "viridis",
) -> "Axes":
    """Cross-state flows between states as a matrix: patients' location (rows) by clinicians'
    location (columns), for the ``top`` places with most cross-border encounters.

    ``flows`` is the ``flows`` group (``licsim.open(path, "flows")`` or
    ``result.to_xarray("flows")``); encounters of ``modality`` (None: both) are summed over
    months and averaged over replicates. Same-place cells are left blank, so the colours show
    only encounters across a border. Returns the Axes.
    """
    from .tables import flow_table

    table = flow_table(flows, modality, cross_border_only=True, us_only=us_only)
    volume = pd.concat([table.groupby("patient_location")["encounters"].sum(),
                        table.groupby("clinician_location")["encounters"].sum()]).groupby(level=0).sum()
    places = list(volume.sort_values(ascending=False, kind="stable").index[:top])
    matrix = (table[table["patient_location"].isin(places) & table["clinician_location"].isin(places)]
              .pivot_table(index="patient_location", columns="clinician_location", values="encounters", aggfunc="sum")
              .reindex(index=places, columns=places))
    ax = ax if ax is not None else _new_axes((7, 6))
    values = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    image = ax.imshow(values, cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(places)), places, rotation=90, fontsize="small")
    ax.set_yticks(range(len(places)), places, fontsize="small")
    ax.set_xlabel("clinician's location")
    ax.set_ylabel("patient's location")
    what = {"telehealth": "telemedicine", "in_person": "in-person"}.get(modality or "", "all")
    ax.set_title(f"Cross-border {what} encounters (mean over replicates)", fontsize="medium")
    ax.figure.colorbar(image, ax=ax, label="encounters (simulated agents)")
    return ax


def _sweep_axes(coords: pd.DataFrame, ds: xr.Dataset, x: str | None, by) -> tuple[str, list[str], bool]:
    """(x, the coordinates that split the points into lines, whether x was sampled) for
    :func:`plot_sweep`: by default every other grid axis splits, and the scenario when there
    are several; sampled ranges never do (each of their values comes once)."""
    from .sweeps import design

    varied = [c for c in coords.columns if c != "scenario"]
    if x is None:
        if len(varied) != 1:
            raise ValueError(f"plot_sweep: name the key to plot against, x= one of {', '.join(varied) or '(none)'}")
        x = varied[0]
    if x not in varied:
        raise ValueError(f"plot_sweep: {x!r} is not a key this sweep varies (it varies: {', '.join(varied) or 'none'})")
    try:
        sampled = set(design(ds)["sample"].get("ranges", {}))
    except ValueError:
        sampled = set()
    if by is None:
        by = [c for c in coords.columns if c != x and c not in sampled
              and (c != "scenario" or coords[c].nunique() > 1)]
    else:
        by = [by] if isinstance(by, str) else list(by)
        unknown = [c for c in by if c not in coords.columns]
        if unknown:
            raise ValueError(f"plot_sweep: by: no coordinate {', '.join(map(repr, unknown))} "
                             f"(coordinates: {', '.join(coords.columns)})")
    return x, by, x in sampled


def plot_sweep(
    sweep,
    metric: str,
    x: str | None = None,
    *,
    by: str | Iterable[str] | None = None,
    band: bool = True,
    ax: "Axes | None" = None,
) -> "Axes":
    """A total or share of every point of a sweep against one of its varied keys.

    ``sweep`` is a sweep file path or its metrics Dataset (:func:`licsim.open`); ``metric``
    a metrics variable (its national total over the run, rules of
    :func:`licsim.analysis.totals`) or a share of :data:`licsim.analysis.SHARES`; ``x`` the
    varied key on the horizontal axis (needed when the sweep varies several). Each point is
    its mean over replicates, with the 2.5-97.5 percentile interval over replicates as an
    error bar when ``band``. Points that differ in ``by`` (default: the other grid axes, and
    the scenario when there are several) are drawn as separate lines; against a sampled
    range the points are drawn unjoined. Returns the Axes.
    """
    from .sweeps import as_sweep, point_coordinates, sweep_summary

    ds = as_sweep(sweep)
    if metric not in ds.data_vars and metric not in SHARES:
        raise KeyError(f"plot_sweep: no metric {metric!r} (variables of the metrics group, or one of: {', '.join(SHARES)})")
    coords = point_coordinates(ds)
    x, by, sampled = _sweep_axes(coords, ds, x, by)
    table = sweep_summary(ds, include_shares=metric in SHARES).xs(metric, level="metric")
    ax = ax if ax is not None else _new_axes((7, 4))
    groups = table.groupby(by, sort=False) if by else [((), table)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        group = group.sort_values(x)
        label = ", ".join(f"{b}={v:g}" if isinstance(v, (float, np.floating)) else str(v) for b, v in zip(by, key))
        xs, mean = group[x].to_numpy(dtype=float), group["mean"].to_numpy(dtype=float)
        (line,) = ax.plot(xs, mean, marker="o", markersize=4, linestyle="none" if sampled else "-",
                          label=label or metric)
        if band:
            err = np.vstack([mean - group["low"].to_numpy(dtype=float), group["high"].to_numpy(dtype=float) - mean])
            ax.errorbar(xs, mean, yerr=err, fmt="none", ecolor=line.get_color(), capsize=3, linewidth=1)
    unit = units_of(ds, metric)
    ax.set_xlabel(x)
    ax.set_ylabel(metric.replace("_", " ") + (f" ({unit})" if unit not in ("", "1") else ""))
    ax.set_title(f"{metric.replace('_', ' ')}: each point's mean over {ds.sizes.get('replicate', 1)} replicate(s)",
                 fontsize="medium")
    if by:
        ax.legend(loc="best", fontsize="small")
    ax.grid(True, alpha=0.3)
    return ax
