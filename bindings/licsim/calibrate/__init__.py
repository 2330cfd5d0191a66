"""Calibration of a scenario against published targets (``scenarios/calibration/targets.toml``).

A target names a metric computed from a run (:data:`METRICS`, each defined in terms of the
output variables of docs/output.md), a published value and a band ``[lower, upper]``; every
metric is computed over an evaluation window (calendar dates) so that a warm-up can precede it.

:func:`evaluate` runs a scenario with a fixed seed and reports each target: the model value
(mean over replicates, with a 2.5-97.5% interval), the published value, the band, and whether
the mean is inside it. :func:`calibrate` fits chosen scenario keys to the targets that have a
positive weight: it minimises the weighted sum of squared standardized residuals

    sum_t  w_t * (z_t ** 2 + 10 * o_t ** 2),   z_t = (model_t - published_t) / halfwidth_t,
                                               o_t = (distance of model_t outside [lower_t, upper_t]) / halfwidth_t,

with halfwidth_t = (upper_t - lower_t) / 2 (the published value is preferred, the band is
required: a published value may sit on an edge of its band, as "under 1%" does), using :func:`scipy.optimize.minimize` (bounded Nelder-Mead, a derivative-free simplex method)
over the keys rescaled to [0, 1]. Every evaluation uses the same seed and replicates (common
random numbers), so the objective is a deterministic function of the parameters and the
simplex compares like with like. :meth:`Calibration.write_scenario` writes the calibrated
scenario (``base = ...`` plus the fitted values, with a header saying how it was produced).

Command line::

    python -m licsim.calibrate scenarios/calibration/us_2019_prior.toml \\
        --param licensing.response=0.0:1.0 --out scenarios/us_2019.toml --report report.csv
"""

from __future__ import annotations

import argparse
import datetime as _dt
import math
import os
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from ..runner import run
from ..scenario import SCENARIOS_DIR, as_scenario, to_toml_value

#: The target file shipped with licsim.
TARGETS_FILE = SCENARIOS_DIR / "calibration" / "targets.toml"

#: Columns of the report of :func:`evaluate`.
REPORT_COLUMNS = ("id", "metric", "model", "low", "high", "published", "lower", "upper", "within", "status",
                  "weight")


# --- targets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One published value and the metric that corresponds to it (see targets.toml)."""

    id: str
    metric: str
    published: float
    lower: float
    upper: float
    weight: float = 1.0
    status: str = "fit"
    definition: str = ""
    population: str = ""
    period: str = ""
    source: str = ""
    why: str = ""

    @property
    def halfwidth(self) -> float:
        return (self.upper - self.lower) / 2.0

    def within(self, value: float) -> bool:
        return bool(np.isfinite(value) and self.lower <= value <= self.upper)


@dataclass(frozen=True)
class Targets:
    """The targets of a file and the evaluation settings of its ``[window]`` table."""

    targets: tuple[Target, ...]
    start: str
    end: str
    scale: float = 0.001
    replicates: int = 4
    seed: int = 1
    unmapped: tuple[dict, ...] = ()

    def __iter__(self):
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    def get(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(f"no target {target_id!r} (have: {', '.join(t.id for t in self.targets)})")

    def select(self, ids: Sequence[str] | None) -> Targets:
        if ids is None:
            return self
        return Targets(tuple(self.get(i) for i in ids), self.start, self.end, self.scale, self.replicates, self.seed,
                       self.unmapped)


def load_targets(path: str | os.PathLike[str] | None = None) -> Targets:
    """Read a target file (default: the shipped ``calibration/targets.toml``).

    Raises ValueError naming the file and the target when a field is missing or wrong (an
    unknown metric, a band that does not contain the published value's side, ...).
    """
    path = Path(path) if path is not None else TARGETS_FILE
    with open(path, "rb") as f:
        data = tomllib.load(f)
    window = data.get("window", {})
    for key in ("start", "end"):
        if key not in window:
            raise ValueError(f"{path}: [window] needs '{key}' (a date YYYY-MM-DD)")
        _dt.date.fromisoformat(str(window[key]))
    targets = []
    for k, raw in enumerate(data.get("target", [])):
        where = f"{path}: target {raw.get('id', k)}"
        for key in ("id", "metric", "published", "lower", "upper"):
            if key not in raw:
                raise ValueError(f"{where}: missing '{key}'")
        if raw["metric"] not in METRICS:
            raise ValueError(f"{where}: unknown metric {raw['metric']!r} (have: {', '.join(sorted(METRICS))})")
        if not raw["lower"] <= raw["upper"]:
            raise ValueError(f"{where}: lower > upper")
        status = raw.get("status", "fit")
        if status not in ("fit", "miss"):
            raise ValueError(f"{where}: status must be 'fit' or 'miss', got {status!r}")
        targets.append(Target(
            id=str(raw["id"]), metric=raw["metric"], published=float(raw["published"]), lower=float(raw["lower"]),
            upper=float(raw["upper"]), weight=float(raw.get("weight", 1.0)), status=status,
            definition=" ".join(str(raw.get("definition", "")).split()), population=raw.get("population", ""),
            period=raw.get("period", ""), source=raw.get("source", ""), why=" ".join(str(raw.get("why", "")).split())))
    ids = [t.id for t in targets]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: target ids must be unique")
    return Targets(tuple(targets), str(window["start"]), str(window["end"]), float(window.get("scale", 0.001)),
                   int(window.get("replicates", 4)), int(window.get("seed", 1)), tuple(data.get("unmapped", [])))


# --- metrics ------------------------------------------------------------------------------------


class Window:
    """The days and months of a result that fall in [start, end] (dates, end inclusive).

    Monthly arrays are counted for the months whose first simulated day is in the window, so
    the window should start on the first of a month.
    """

    def __init__(self, result, start: str, end: str) -> None:
        day0 = _dt.date.fromisoformat(result.start_date)
        first = (_dt.date.fromisoformat(start) - day0).days
        last = (_dt.date.fromisoformat(end) - day0).days
        if first < 0 or last >= result.days or first > last:
            raise ValueError(f"window {start}..{end} is not inside the run ({result.start_date}, {result.days} days)")
        self.first, self.last = first, last
        self.days = slice(first, last + 1)
        self.months = np.array([first <= d <= last for d in result.month_start_day])


def _daily(result, name: str) -> np.ndarray:
    return result.daily[..., _daily_index(name)]


def _daily_index(name: str) -> int:
    return [m[0] for m in _core.daily_metrics].index(name)


def _b(result, name: str) -> np.ndarray:
    return result.breakdown[..., [m[0] for m in _core.breakdown_metrics].index(name)]


_SERVED = ("served_in_person", "served_telehealth_in_state", "served_telehealth_cross_state",
           "served_telehealth_international")
_PAYER = {name: k for k, name in enumerate(_core.payer_names)}
_PATHWAY = {name: k for k, name in enumerate(_core.pathway_names)}


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _per_rep(a: np.ndarray) -> np.ndarray:
    """Sum every axis but the first (replicate)."""
    return a.reshape(a.shape[0], -1).sum(axis=1)


def _breakdown_window(result, w: Window, name: str) -> np.ndarray:
    # [replicate, month, jurisdiction, payer, area, specialty]
    return _b(result, name)[:, w.months]


# The claims studies (Andino et al. 2022) compare the beneficiary's home state with the
# clinician's practice state: served_telehealth_out_of_home_state, not where the patient was.
def medicare_cross_state_share_of_telehealth(result, w: Window) -> np.ndarray:
    m = _PAYER["medicare"]
    cross = _per_rep(_breakdown_window(result, w, "served_telehealth_out_of_home_state")[:, :, :, m])
    tele = _per_rep(_breakdown_window(result, w, "served_telehealth")[:, :, :, m])
    return _ratio(cross, tele)


def medicare_cross_state_telehealth_share_of_visits(result, w: Window) -> np.ndarray:
    m = _PAYER["medicare"]
    cross = _per_rep(_breakdown_window(result, w, "served_telehealth_out_of_home_state")[:, :, :, m])
    served = _per_rep(_breakdown_window(result, w, "served_telehealth")[:, :, :, m] +
                      _breakdown_window(result, w, "served_in_person")[:, :, :, m])
    return _ratio(cross, served)


def telehealth_share_of_visits(result, w: Window) -> np.ndarray:
    tele = sum(_per_rep(_daily(result, n)[:, w.days]) for n in _SERVED[1:])
    served = tele + _per_rep(_daily(result, "served_in_person")[:, w.days])
    return _ratio(tele, served)


def medicare_primary_care_telehealth_share(result, w: Window) -> np.ndarray:
    m = _PAYER["medicare"]
    s = list(result.specialties).index("primary_care")
    tele = _per_rep(_breakdown_window(result, w, "served_telehealth")[:, :, :, m, :, s])
    person = _per_rep(_breakdown_window(result, w, "served_in_person")[:, :, :, m, :, s])
    return _ratio(tele, tele + person)


def license_stock_change_per_year(result, w: Window) -> np.ndarray:
    stock = _daily(result, "authorizations_active").sum(axis=2)  # [replicate, day]
    before = stock[:, w.first - 1] if w.first > 0 else stock[:, 0]
    change = _ratio(stock[:, w.last], before) - 1.0
    return change * 365.0 / (w.last - w.first + 1)


def licenses_per_physician(result, w: Window) -> np.ndarray:
    stock = _daily(result, "authorizations_active").sum(axis=2)  # [replicate, day]
    return stock[:, w.last] / max(1, result.licensed_clinicians)


def _pathway_window(result, w: Window, pathway: str, quantity: int) -> np.ndarray:
    """[replicate, month in window, jurisdiction] of one pathway quantity (1 granted, 2 days).

    Indexed in two steps: a boolean mask and integer indices separated by a slice would move
    the masked axis to the front (NumPy's advanced-indexing rule), mixing months and replicates.
    """
    return result.by_pathway[..., _PATHWAY[pathway], quantity][:, w.months]


def _granted(result, w: Window, pathway: str) -> np.ndarray:
    return _pathway_window(result, w, pathway, 1)


def compact_licenses_issued_per_year(result, w: Window) -> np.ndarray:
    years = (w.last - w.first + 1) / 365.0
    return _per_rep(_granted(result, w, "compact")) / result.scale / years


def _days_to(result, w: Window, pathway: str) -> np.ndarray:
    days = _per_rep(_pathway_window(result, w, pathway, 2))
    return _ratio(days, _per_rep(_granted(result, w, pathway)))


def days_to_full_license(result, w: Window) -> np.ndarray:
    return _days_to(result, w, "full_license")


def days_to_compact_license(result, w: Window) -> np.ndarray:
    return _days_to(result, w, "compact")


def indemnity_per_claim(result, w: Window) -> np.ndarray:
    return _ratio(_per_rep(_daily(result, "indemnity_usd")[:, w.days]),
                  _per_rep(_daily(result, "malpractice_claims")[:, w.days]))


def new_patient_wait_days(result, w: Window) -> np.ndarray:
    return _ratio(_per_rep(_breakdown_window(result, w, "new_patient_wait_days")),
                  _per_rep(_breakdown_window(result, w, "new_patient_in_person")))


#: Metric name -> function(result, window) giving one value per replicate.
METRICS: dict[str, Callable[[Any, Window], np.ndarray]] = {
    f.__name__: f
    for f in (
        medicare_cross_state_share_of_telehealth,
        medicare_cross_state_telehealth_share_of_visits,
        telehealth_share_of_visits,
        medicare_primary_care_telehealth_share,
        license_stock_change_per_year,
        licenses_per_physician,
        compact_licenses_issued_per_year,
        days_to_full_license,
        days_to_compact_license,
        indemnity_per_claim,
        new_patient_wait_days,
    )
}


# --- evaluation ---------------------------------------------------------------------------------


def _interval(values: np.ndarray) -> tuple[float, float, float]:
    v = values[np.isfinite(values)]
    if v.size == 0:
        return math.nan, math.nan, math.nan
    return float(v.mean()), float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))


def report(result, targets: Targets) -> pd.DataFrame:
    """The report of :func:`evaluate` for a finished run (one row per target)."""
    w = Window(result, targets.start, targets.end)
    rows = []
    for t in targets:
        mean, low, high = _interval(np.asarray(METRICS[t.metric](result, w), dtype=float))
        rows.append((t.id, t.metric, mean, low, high, t.published, t.lower, t.upper, t.within(mean), t.status,
                     t.weight))
    return pd.DataFrame(rows, columns=list(REPORT_COLUMNS))


def evaluate(
    scenario,
    targets: Targets | str | os.PathLike[str] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    seed: int | None = None,
    replicates: int | None = None,
    scale: float | None = None,
    threads: int = 0,
) -> pd.DataFrame:
    """Run ``scenario`` and report every target: ``id``, ``metric``, ``model`` (mean over
    replicates), ``low``/``high`` (2.5/97.5 percentiles over replicates), ``published``,
    ``lower``/``upper`` (the band), ``within`` (the mean is in the band), ``status``, ``weight``.

    Seed, replicates and scale default to the target file's ``[window]`` settings. The run
    must cover the window (the scenario's ``simulation.start_date`` and ``days``).
    """
    t = targets if isinstance(targets, Targets) else load_targets(targets)
    result = run(scenario, seed=t.seed if seed is None else seed, replicates=replicates or t.replicates,
                 scale=scale or t.scale, threads=threads, overrides=overrides, progress=False)
    return report(result, t)


#: Extra weight on the part of a residual outside the band: the band is the requirement, the
#: published value the preference (it can sit on an edge, e.g. "under 1%" has band [0, 1%]).
OUTSIDE_BAND_PENALTY = 10.0


def objective(table: pd.DataFrame) -> float:
    """Weighted sum of squared standardized residuals of a report (targets with weight > 0),
    plus OUTSIDE_BAND_PENALTY times the squared standardized distance outside the band."""
    fitted = table[table["weight"] > 0]
    half = (fitted["upper"] - fitted["lower"]) / 2.0
    z = (fitted["model"] - fitted["published"]) / half
    outside = np.maximum(np.maximum(fitted["lower"] - fitted["model"], fitted["model"] - fitted["upper"]), 0.0) / half
    z = z.fillna(10.0)  # a metric with nothing to measure counts as far off
    outside = outside.fillna(10.0)
    return float((fitted["weight"] * (z**2 + OUTSIDE_BAND_PENALTY * outside**2)).sum())


# --- calibration --------------------------------------------------------------------------------


@dataclass
class Calibration:
    """What :func:`calibrate` found."""

    scenario: Any
    source: str | None
    parameters: dict[str, tuple[float, float]]
    values: dict[str, float]
    objective: float
    report: pd.DataFrame
    evaluations: int
    method: str
    settings: dict[str, Any]
    history: list[tuple[dict[str, float], float]] = field(default_factory=list)

    def overrides(self) -> dict[str, float]:
        return dict(self.values)

    def write_scenario(self, path: str | os.PathLike[str], *, base: str | None = None, name: str | None = None,
                       description: str | None = None, extra_header: str = "") -> Path:
        """Write the calibrated scenario: ``base = ...`` (default: the calibrated file, relative
        to ``path``) and the fitted values, each with a comment, under a header that says how it
        was produced. Returns the path."""
        path = Path(path)
        if base is None:
            if self.source is None:
                raise ValueError("the scenario was not a file: give base=")
            base = os.path.relpath(self.source, path.resolve().parent)
        fitted = ", ".join(f"{k} in [{lo:g}, {hi:g}]" for k, (lo, hi) in self.parameters.items())
        s = self.settings
        lines = [
            "# Calibrated with licsim.calibrate (bindings/licsim/calibrate/; docs/calibration.md):",
            f"#   python -m licsim.calibrate {self.source or base} {' '.join(f'--param {k}={lo:g}:{hi:g}' for k, (lo, hi) in self.parameters.items())}",
            f"#    {' --targets ' + str(s['targets']) if s.get('targets') else ''} --seed {s['seed']} --replicates {s['replicates']} --scale {s['scale']:g}"
            f" --maxfev {s['maxfev']}" + "".join(f" --start {k}={v:g}" for k, v in s.get("x0", {}).items()),
            f"# Method: {self.method}; {self.evaluations} model evaluations, each with seed {s['seed']} and"
            f" {s['replicates']} replicates",
            "#   (common random numbers: the objective is deterministic). Objective: sum over the targets with",
            "#   weight > 0 of weight * (z^2 + 10 o^2), z = (model - published) / half-band, o = distance outside the band / half-band; final value "
            f"{self.objective:.4g}.",
            f"# Fitted: {fitted}. Every other value comes from the base file(s), with their sources.",
            "# Targets and model values: see the report below (mean over replicates, 2.5-97.5% interval).",
        ]
        for _, row in self.report.iterrows():
            lines.append(f"#   {row['id']:<6} {row['metric']:<48} model {row['model']:.4g} [{row['low']:.4g}, "
                         f"{row['high']:.4g}]  published {row['published']:.4g} band [{row['lower']:.4g}, "
                         f"{row['upper']:.4g}]  {'within' if row['within'] else 'OUTSIDE'} ({row['status']})")
        if extra_header:
            lines += ["#"] + [f"# {line}" if line else "#" for line in extra_header.splitlines()]
        lines += ["", f"base = {to_toml_value(base)}", ""]
        if name or description:
            lines.append("[meta]")
            if name:
                lines.append(f"name = {to_toml_value(name)}")
            if description:
                lines.append(f"description = {to_toml_value(description)}")
            lines.append("")
        tables: dict[str, list[tuple[str, float]]] = {}
        for key, value in self.values.items():
            table, _, leaf = key.rpartition(".")
            tables.setdefault(table, []).append((leaf, value))
        for table, items in tables.items():
            lines.append(f"[{table}]")
            for leaf, value in items:
                lo, hi = self.parameters[f"{table}.{leaf}"]
                lines.append(f"{leaf} = {to_toml_value(_round(value))}   # fitted (bounds [{lo:g}, {hi:g}])")
            lines.append("")
        path.write_text("\n".join(lines))
        return path


def _round(value: float) -> float:
    """Four significant digits: finer than the objective can tell apart at 1:1000."""
    return float(f"{value:.4g}")


def calibrate(
    scenario,
    parameters: Mapping[str, tuple[float, float]],
    targets: Targets | str | os.PathLike[str] | None = None,
    *,
    ids: Sequence[str] | None = None,
    x0: Mapping[str, float] | None = None,
    seed: int | None = None,
    replicates: int = 2,
    scale: float | None = None,
    maxfev: int = 60,
    threads: int = 0,
    evaluate_replicates: int | None = None,
    model: Callable[[dict[str, float]], pd.DataFrame] | None = None,
    verbose: bool = False,
) -> Calibration:
    """Fit the scenario keys in ``parameters`` ({key: (low, high)}) to the targets.

    Minimises :func:`objective` with bounded Nelder-Mead (:func:`scipy.optimize.minimize`) over
    the keys rescaled to [0, 1], starting from ``x0`` (default: the scenario's values, clipped
    to the bounds), using at most ``maxfev`` model evaluations. Every evaluation runs the
    scenario with the same ``seed`` and ``replicates`` (common random numbers). ``ids`` picks
    targets (default: all; only those with weight > 0 enter the objective). The returned
    :class:`Calibration` holds the fitted values and a final report with
    ``evaluate_replicates`` replicates (default: the target file's).

    ``model`` replaces the simulation (tests, surrogates): a function of the parameter values
    returning a report like :func:`report`'s.
    """
    from scipy.optimize import minimize

    t = targets if isinstance(targets, Targets) else load_targets(targets)
    t = t.select(ids)
    keys = list(parameters)
    if not keys:
        raise ValueError("nothing to fit: give at least one parameter")
    lo = np.array([float(parameters[k][0]) for k in keys])
    hi = np.array([float(parameters[k][1]) for k in keys])
    if not np.all(hi > lo):
        raise ValueError("each parameter needs low < high")
    seed = t.seed if seed is None else seed
    scale = scale or t.scale
    base = None if model is not None else as_scenario(scenario)
    if x0 is None:
        x0 = {k: float(base[k]) if base is not None else (lo[i] + hi[i]) / 2 for i, k in enumerate(keys)}
    start = np.clip((np.array([float(x0[k]) for k in keys]) - lo) / (hi - lo), 0.0, 1.0)

    def simulate(values: dict[str, float], reps: int) -> pd.DataFrame:
        if model is not None:
            return model(values)
        result = run(base, seed=seed, replicates=reps, scale=scale, threads=threads, overrides=values, progress=False)
        return report(result, t)

    history: list[tuple[dict[str, float], float]] = []
    cache: dict[tuple, float] = {}

    def values_of(u: np.ndarray) -> dict[str, float]:
        x = lo + np.clip(u, 0.0, 1.0) * (hi - lo)
        return {k: _round(float(v)) for k, v in zip(keys, x)}

    def f(u: np.ndarray) -> float:
        values = values_of(u)
        key = tuple(values.values())
        if key not in cache:
            cache[key] = objective(simulate(values, replicates))
            history.append((values, cache[key]))
            if verbose:
                print(f"  [{len(history):3d}] {values} -> {cache[key]:.4g}", file=sys.stderr)
        return cache[key]

    # An initial simplex of a quarter of the box in each direction (the default 5% steps are
    # finer than the noise floor of a small-scale run).
    n = len(keys)
    simplex = [start]
    for i in range(n):
        step = np.zeros(n)
        step[i] = 0.25 if start[i] <= 0.75 else -0.25
        simplex.append(np.clip(start + step, 0.0, 1.0))
    res = minimize(f, start, method="Nelder-Mead", bounds=[(0.0, 1.0)] * n,
                   options={"maxfev": maxfev, "xatol": 1e-3, "fatol": 1e-3, "initial_simplex": np.array(simplex)})
    best = min(history, key=lambda h: h[1])
    values = best[0]
    final = simulate(values, evaluate_replicates or t.replicates) if model is None else simulate(values, 0)
    source = None
    if model is None and isinstance(scenario, (str, os.PathLike)) and not str(scenario).lstrip().startswith("["):
        source = os.fspath(scenario) if Path(os.fspath(scenario)).is_file() else None
    method = ("scipy.optimize.minimize(method='Nelder-Mead', bounds=[0, 1] per rescaled key, "
              f"initial simplex steps 0.25, xatol=fatol=1e-3, maxfev={maxfev}; stopped: {res.message})")
    return Calibration(scenario=scenario, source=source, parameters={k: (float(parameters[k][0]), float(parameters[k][1]))
                                                                      for k in keys},
                       values=values, objective=best[1], report=final, evaluations=len(history), method=method,
                       settings={"seed": seed, "replicates": replicates, "scale": scale, "maxfev": maxfev,
                                 "x0": {k: float(x0[k]) for k in keys},
                                 "targets": os.fspath(targets) if isinstance(targets, (str, os.PathLike)) else None},
                       history=history)


# --- command line -------------------------------------------------------------------------------


def _parse_param(text: str) -> tuple[str, tuple[float, float]]:
    try:
        key, bounds = text.split("=", 1)
        low, high = (float(x) for x in bounds.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected KEY=LOW:HIGH, got {text!r}") from None
    return key.strip(), (low, high)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m licsim.calibrate",
        description="Fit scenario keys to published targets (bounded Nelder-Mead with common random numbers), "
                    "write the calibrated scenario and a report; with no --param, only evaluate.")
    parser.add_argument("scenario", help="scenario file to calibrate (or evaluate)")
    parser.add_argument("--param", action="append", type=_parse_param, default=[], metavar="KEY=LOW:HIGH",
                        help="a scenario key to fit and its bounds (repeatable)")
    parser.add_argument("--start", action="append", default=[], metavar="KEY=VALUE",
                        help="starting value of a fitted key (default: the scenario's value)")
    parser.add_argument("--targets", default=None, help="target file (default: the shipped calibration/targets.toml)")
    parser.add_argument("--ids", default=None, help="comma-separated target ids to use (default: all)")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: the target file's)")
    parser.add_argument("--replicates", type=int, default=2, help="replicates per evaluation while fitting (default 2)")
    parser.add_argument("--scale", type=float, default=None, help="agents per person (default: the target file's)")
    parser.add_argument("--maxfev", type=int, default=60, help="most model evaluations (default 60)")
    parser.add_argument("--out", default=None, help="write the calibrated scenario here")
    parser.add_argument("--name", default=None, help="meta.name of the calibrated scenario")
    parser.add_argument("--description", default=None, help="meta.description of the calibrated scenario")
    parser.add_argument("--report", default=None, help="write the report (CSV) here")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    targets = load_targets(args.targets)
    ids = args.ids.split(",") if args.ids else None
    try:
        if args.param:
            x0 = {k: float(v) for k, v in (item.split("=", 1) for item in args.start)} or None
            if x0 is not None:
                scenario = as_scenario(args.scenario)
                x0 = {k: x0.get(k, float(scenario[k])) for k, _ in args.param}
            cal = calibrate(args.scenario, dict(args.param), targets, ids=ids, seed=args.seed, x0=x0,
                            replicates=args.replicates, scale=args.scale, maxfev=args.maxfev, threads=args.threads,
                            verbose=not args.quiet)
            table = cal.report
            print(f"fitted after {cal.evaluations} evaluations (objective {cal.objective:.4g}): {cal.values}")
            if args.out:
                cal.settings["targets"] = args.targets
                cal.write_scenario(args.out, name=args.name, description=args.description)
                print(f"wrote {args.out}")
        else:
            table = evaluate(args.scenario, targets.select(ids), seed=args.seed, scale=args.scale, threads=args.threads)
    except _core.LicsimError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.report:
        table.to_csv(args.report, index=False)
    return 0


__all__ = ["Target", "Targets", "Calibration", "METRICS", "TARGETS_FILE", "load_targets", "evaluate", "report",
           "objective", "calibrate", "main"]

