"""Tables from result Datasets: tidy long form, per-replicate totals, summaries and shares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from .. import _core

#: Encounter counts by modality; their sum is every episode served.
SERVED = (
    "served_in_person",
    "served_telehealth_in_state",
    "served_telehealth_cross_state",
    "served_telehealth_international",
)
#: Telemedicine encounters by where clinician and patient were.
TELEHEALTH = SERVED[1:]

#: Variables recorded at the end of each day (stocks): their total is the end-of-run value.
STOCKS = frozenset({"authorizations_active", "applications_pending", "waiting"})

#: Means and the variables whose sum weights them (the output schema's ``per``:
#: ``wait_days_mean`` is a mean over the episodes served that day, ``days_to_authorization_mean``
#: over the authorizations granted), so a total of one is the mean weighted by its denominators.
MEANS = {v["name"]: tuple(v["per"]) for g in _core.output_schema for v in g["variables"] if v["per"]}
ENCOUNTER_WEIGHTED = frozenset(MEANS)

#: Derived shares computed by :func:`shares`, with what they divide.
SHARES = {
    "cross_state_share_of_telemedicine": "cross-state telemedicine encounters / all telemedicine encounters",
    "telemedicine_share_of_encounters": "telemedicine encounters / all encounters served",
    "unmet_share": "episodes forgone / episodes arising",
}

_TIME_DIMS = ("day", "month")

#: Dimensions whose entries are separate runs: a sweep's ``point`` and the ``run`` of
#: :func:`licsim.analysis.open_results`. Their values are never added up or averaged
#: together: totals, tables and summaries keep them, or a function refuses them by name.
SERIES_DIMS = ("run", "point")


def series_dims(data: xr.Dataset | xr.DataArray | pd.DataFrame | pd.Series) -> list[str]:
    """The :data:`SERIES_DIMS` that ``data`` has (as dimensions, or as index levels of a table)."""
    names = data.index.names if isinstance(data, (pd.DataFrame, pd.Series)) else data.dims
    return [d for d in SERIES_DIMS if d in names]


def refuse_series(data: xr.Dataset | xr.DataArray | pd.DataFrame | pd.Series, what: str) -> None:
    """Raise ValueError when ``data`` holds several runs (a ``point`` or ``run`` dimension), which
    ``what`` would otherwise pool into one set of numbers."""
    dims = series_dims(data)
    if dims:
        d = dims[0]
        raise ValueError(f"{what}: the data has a '{d}' dimension (one entry per {'sweep point' if d == 'point' else d}), "
                         f"which would be pooled into one value; select one first (e.g. .sel({d}=...)) "
                         "or use a function that works per point (licsim.analysis.sweep_summary, compare_points)")


def _variables(ds: xr.Dataset, variables: str | Iterable[str] | None) -> list[str]:
    if variables is None:
        return [str(v) for v in ds.data_vars]
    names = [variables] if isinstance(variables, str) else list(variables)
    unknown = [v for v in names if v not in ds.data_vars]
    if unknown:
        raise KeyError(f"no variable {', '.join(map(repr, unknown))} in this dataset (have: {', '.join(map(str, ds.data_vars))})")
    return names


def served(ds: xr.Dataset) -> xr.DataArray:
    """Encounters served (in person plus all telemedicine), same dimensions as the inputs."""
    return sum((ds[v] for v in SERVED[1:]), ds[SERVED[0]]).rename("served")


def tidy(ds: xr.Dataset, variables: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Long ("tidy") table: one row per cell of each variable.

    Columns are the variable's dimensions (e.g. ``replicate``, ``day``, ``jurisdiction``),
    then ``metric`` (the variable name), ``value`` and ``units``. ``variables`` is one name,
    several, or None for every variable of the Dataset.
    """
    frames = []
    for name in _variables(ds, variables):
        da = ds[name]
        frame = da.to_dataframe(name="value").reset_index()[[*da.dims, "value"]]
        frame.insert(len(da.dims), "metric", name)
        frame["units"] = da.attrs.get("units", "")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _reduce(ds: xr.Dataset, name: str, keep: Sequence[str]) -> xr.DataArray:
    # skipna=False: a sweep's failed point holds NaN (its _FillValue) everywhere, and its
    # totals must stay NaN, not become 0. Waits are NaN on days without encounters; their
    # weights are 0 there, so they are filled first.
    da = ds[name]
    over = [d for d in da.dims if d not in keep]
    if name in STOCKS:
        time = [d for d in over if d in _TIME_DIMS]
        if time:
            da = da.isel({time[0]: -1}, drop=True)
            over = [d for d in over if d != time[0]]
        out = da.sum(over, skipna=False)
    elif name in MEANS:
        weight = sum((ds[v] for v in MEANS[name][1:]), ds[MEANS[name][0]])
        num = (da.fillna(0.0) * weight).sum(over, skipna=False)
        den = weight.sum(over, skipna=False)
        out = (num / den.where(den > 0)).astype(float)
    else:
        out = da.sum(over, skipna=False)
    out.attrs = dict(da.attrs)
    return out.rename(name)


def totals(ds: xr.Dataset, keep: Sequence[str] | None = None, variables: str | Iterable[str] | None = None) -> xr.Dataset:
    """Totals of each variable over every dimension not in ``keep``.

    Counts and money are summed; stocks (``authorizations_active``, ``applications_pending``,
    ``waiting``) take their value at the end of the run; ``wait_days_mean`` becomes the mean
    weighted by the encounters served (NaN where none were). ``keep`` defaults to the
    ``replicate`` dimension; add ``jurisdiction`` for per-jurisdiction totals. A sweep's
    ``point`` and the ``run`` of :func:`licsim.analysis.open_results` are always kept (totals
    of different runs are never added up).
    """
    if keep is None:
        keep = [d for d in ("replicate",) if d in ds.dims]
    keep = [*(d for d in series_dims(ds) if d not in keep), *keep]
    return xr.Dataset({name: _reduce(ds, name, keep) for name in _variables(ds, variables)})


def replicate_totals(ds: xr.Dataset, by_jurisdiction: bool = False) -> pd.DataFrame:
    """Per-replicate totals of every variable as a DataFrame (one row per replicate).

    Rules as in :func:`totals`. With ``by_jurisdiction`` the index is (replicate,
    jurisdiction); a sweep's ``point`` or the ``run`` of :func:`open_results` is kept as the
    first index level (one row per point and replicate).
    """
    keep = [d for d in (*SERIES_DIMS, "replicate") if d in ds.dims]
    if by_jurisdiction:
        keep.append("jurisdiction")
    t = totals(ds, keep)
    columns = [str(v) for v in ds.data_vars]
    if not keep:  # a single replicate selected away: one row
        return pd.DataFrame([{name: t[name].item() for name in columns}])
    return t.to_dataframe(dim_order=keep)[columns]


def shares(data: xr.Dataset | pd.DataFrame, by_jurisdiction: bool = False) -> pd.DataFrame:
    """Derived shares per replicate (and per jurisdiction with ``by_jurisdiction``).

    ``data`` is a metrics Dataset, or a table of totals such as :func:`replicate_totals`
    (summed over replicates first to get pooled shares). Columns:
    ``cross_state_share_of_telemedicine``, ``telemedicine_share_of_encounters`` and
    ``unmet_share`` (see :data:`SHARES`), with the index of the totals; NaN where the
    denominator is zero.
    """
    t = data if isinstance(data, pd.DataFrame) else replicate_totals(data, by_jurisdiction)
    tele = t[list(TELEHEALTH)].sum(axis=1)
    all_served = t[list(SERVED)].sum(axis=1)

    def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
        return num.astype(float) / den.astype(float).where(den > 0)

    return pd.DataFrame(
        {
            "cross_state_share_of_telemedicine": ratio(t["served_telehealth_cross_state"], tele),
            "telemedicine_share_of_encounters": ratio(tele, all_served),
            "unmet_share": ratio(t["unmet"], t["episodes"]),
        }
    )


def units_of(ds: xr.Dataset | None, name: str) -> str:
    """Units of a total or share ``name`` (a variable's ``units`` attribute; "1" for shares)."""
    if name in SHARES:
        return "1"
    if ds is not None and name in ds.data_vars:
        return str(ds[name].attrs.get("units", ""))
    return ""


def summarize_values(values: pd.DataFrame, low: float = 2.5, high: float = 97.5, units: dict[str, str] | None = None) -> pd.DataFrame:
    """Mean and the ``low``/``high`` percentiles of each column of per-replicate values.

    Percentiles interpolate linearly between replicates (as ``licsim run`` reports them);
    NaN values (e.g. a share with a zero denominator) are left out. Raises ValueError for a
    table indexed by ``point`` or ``run`` (:func:`summary` summarises such a table per point).
    """
    refuse_series(values, "summarize_values")
    rows = {}
    for name in values.columns:
        v = values[name].to_numpy(dtype=float)
        v = v[~np.isnan(v)]
        lo, hi = np.percentile(v, [low, high]) if v.size else (np.nan, np.nan)
        rows[name] = {
            "mean": v.mean() if v.size else np.nan,
            "low": lo,
            "high": hi,
            "units": (units or {}).get(name, ""),
        }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["mean", "low", "high", "units"])
    table.index.name = "metric"
    return table


def summary(data: xr.Dataset | pd.DataFrame, low: float = 2.5, high: float = 97.5) -> pd.DataFrame:
    """Mean and percentile interval over replicates of each total (or of each column).

    ``data`` is a metrics Dataset (its :func:`replicate_totals` are summarised) or a
    DataFrame with one row per replicate, such as :func:`shares`. Returns one row per
    metric with columns ``mean``, ``low``, ``high`` (default: 2.5 and 97.5 percentiles) and
    ``units``. Several runs are summarised each on its own: a sweep (a ``point``
    dimension, or a table indexed by ``point`` such as ``shares`` of a sweep) gives a
    (point, metric) index, a Dataset with a ``run`` dimension a (run, metric) index.
    """
    dims = series_dims(data)
    if dims:
        return _summary_per(data, dims[0], low, high)
    if isinstance(data, xr.Dataset):
        values = replicate_totals(data)
        units = {name: units_of(data, name) for name in values.columns}
    else:
        values = data
        units = {name: units_of(None, name) for name in values.columns}
    return summarize_values(values, low, high, units)


def _summary_per(data: xr.Dataset | pd.DataFrame, dim: str, low: float, high: float) -> pd.DataFrame:
    """:func:`summary` of each entry of ``dim`` (a point or a run), stacked with ``dim`` first."""
    if isinstance(data, xr.Dataset):
        parts = {_label(v): summary(data.sel({dim: v}), low, high) for v in data[dim].values}
    else:
        parts = {_label(v): summary(_without_level(group, dim), low, high)
                 for v, group in data.groupby(level=dim, sort=False)}
    return pd.concat(parts, names=[dim])


def _without_level(table: pd.DataFrame, level: str) -> pd.DataFrame:
    return table.droplevel(level) if table.index.nlevels > 1 else table.reset_index(drop=True)


def _label(value) -> int | str:
    """A point's index as an int, a run's label as a str."""
    return int(value) if isinstance(value, (int, np.integer)) else str(value)


def flow_table(
    flows: xr.Dataset,
    modality: str | None = "telehealth",
    *,
    cross_border_only: bool = True,
    us_only: bool = False,
) -> pd.DataFrame:
    """Encounters between places, one row per (patient location, clinician location) pair.

    ``flows`` is the ``flows`` group of a result (``licsim.open(path, "flows")`` or
    ``result.to_xarray("flows")``). Encounters are summed over months and averaged over
    replicates; ``modality`` is ``telehealth``, ``in_person`` or None for both. With
    ``cross_border_only`` pairs within one place are left out; with ``us_only`` so are foreign
    locations. Columns: ``patient_location``, ``clinician_location``, ``encounters`` and
    ``share`` (of all encounters in the table), largest first.
    """
    da = flows["encounters"]
    if modality is not None:
        da = da.sel(modality=modality)
    else:
        da = da.sum("modality")
    refuse_series(da, "flow_table")
    da = da.sum("month")
    da = da.mean("replicate") if "replicate" in da.dims else da
    table = da.to_dataframe(name="encounters").reset_index()[["patient_location", "clinician_location", "encounters"]]
    if cross_border_only:
        table = table[table["patient_location"] != table["clinician_location"]]
    if us_only:
        us = {str(c) for c in flows["patient_location"].values if len(str(c)) == 2}
        table = table[table["patient_location"].isin(us) & table["clinician_location"].isin(us)]
    table = table[table["encounters"] > 0].sort_values("encounters", ascending=False, kind="stable")
    total = table["encounters"].sum()
    table["share"] = table["encounters"] / total if total > 0 else np.nan
    return table.reset_index(drop=True)
