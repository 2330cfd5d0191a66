"""Evaluating a scenario against the targets, the objective, and the fit (bounded Nelder-Mead
with common random numbers)."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..runner import run
from ..scenario import as_scenario, to_toml_value
from .metrics import METRICS, Window
from .targets import Targets, load_targets

#: Columns of the report of :func:`evaluate`.
REPORT_COLUMNS = ("id", "metric", "model", "low", "high", "published", "lower", "upper", "within", "status",
                  "weight")


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
