"""Global (Sobol) sensitivity analysis of scenario parameters with SALib.

Three steps, each usable alone: :func:`sobol_sample` draws parameter sets (Saltelli's scheme),
:func:`run_samples` runs the scenario once per set (keys set as overrides, checked like
``--set``) and records outputs, :func:`sobol_analyze` estimates first-order and total indices.
:func:`sobol` does all three. :func:`sobol_sweep` estimates first-order indices straight from a
sweep file that samples ranges (``licsim sweep`` with a ``[sample]`` table). SALib is needed (``pip install SALib``); runs are sequential,
each using the engine's threads (no fork: GCC's OpenMP runtime is unsafe after fork).
"""

from __future__ import annotations

import warnings

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Union

import numpy as np
import pandas as pd

#: Outputs :func:`run_samples` knows by name: any metrics variable (its national total,
#: rules of :func:`licsim.analysis.totals`) or any share of :data:`licsim.analysis.SHARES`.
Output = Union[str, Callable[[Any], float]]

#: Columns of the table :func:`sobol_analyze` returns.
SOBOL_COLUMNS = ("output", "parameter", "S1", "S1_conf", "ST", "ST_conf")


def _problem(parameters: Mapping[str, tuple[float, float]]) -> dict:
    if not parameters:
        raise ValueError("sensitivity: name at least one parameter with its (low, high) bounds")
    names, bounds = [], []
    for key, value in parameters.items():
        try:
            low, high = (float(v) for v in value)
        except (TypeError, ValueError):
            raise ValueError(f"sensitivity: parameter '{key}': expected (low, high), got {value!r}") from None
        if not low < high:
            raise ValueError(f"sensitivity: parameter '{key}': expected low < high, got ({low}, {high})")
        names.append(str(key))
        bounds.append([low, high])
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def _salib():
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("licsim.analysis sensitivity functions need SALib: pip install SALib") from err
    return sample, analyze


def sobol_sample(
    parameters: Mapping[str, tuple[float, float]], n: int = 8, *, second_order: bool = False, seed: int = 0
) -> pd.DataFrame:
    """Saltelli/Sobol' sample of ``parameters`` (dotted scenario keys -> (low, high) bounds).

    ``n`` is the base sample size (a power of two); the table has ``n * (D + 2)`` rows (``n *
    (2D + 2)`` with ``second_order``) for D parameters, one column per parameter, in the
    order :func:`sobol_analyze` expects.
    """
    sample, _ = _salib()
    problem = _problem(parameters)
    if n < 2 or n & (n - 1):
        raise ValueError(f"sensitivity: n must be a power of two (>= 2), got {n}")
    values = sample.sample(problem, n, calc_second_order=second_order, scramble=True, seed=seed)
    return pd.DataFrame(values, columns=problem["names"])


def _output_value(result, output: Output, metrics) -> float:
    if callable(output):
        return float(output(result))
    from .tables import SHARES, replicate_totals, shares

    if output in SHARES:
        return float(shares(metrics)[output].mean())
    if output not in metrics.data_vars:
        known = sorted([*map(str, metrics.data_vars), *SHARES])
        raise KeyError(f"sensitivity: unknown output {output!r} (have: {', '.join(known)})")
    return float(replicate_totals(metrics)[output].mean())


def run_samples(
    scenario: Any,
    samples: pd.DataFrame,
    outputs: Output | Sequence[Output] = ("unmet_share", "cross_state_share_of_telemedicine"),
    *,
    seed: int = 1,
    replicates: int = 1,
    scale: float = 0.0002,
    days: int = 0,
    threads: int = 0,
    overrides: Mapping[str, Any] | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Run ``scenario`` once per row of ``samples`` (columns are dotted scenario keys) and record
    ``outputs``: names of metrics variables (national totals, mean over replicates), names of
    derived shares, or callables ``f(result) -> float`` (named by ``__name__``).

    Every run uses the same ``seed`` (common random numbers), so differences between rows
    come from the parameters. ``overrides`` are applied to every run before the sample's
    values. Integer-valued keys get rounded values. Returns ``samples`` with one column per
    output appended.
    """
    import licsim

    outputs = [outputs] if isinstance(outputs, str) or callable(outputs) else list(outputs)
    names = [o if isinstance(o, str) else getattr(o, "__name__", f"output_{i}") for i, o in enumerate(outputs)]
    base = licsim.Scenario(scenario, overrides) if not isinstance(scenario, licsim.Scenario) else (
        scenario.with_overrides(overrides) if overrides else scenario)
    integer_keys = {k for k in samples.columns if k in base and isinstance(base[k], int) and not isinstance(base[k], bool)}
    rows = []
    iterator = samples.itertuples(index=False, name=None)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, total=len(samples), desc="sobol runs", unit="run")
    for values in iterator:
        setting = {k: (int(round(v)) if k in integer_keys else float(v)) for k, v in zip(samples.columns, values)}
        result = licsim.run(base, seed=seed, replicates=replicates, scale=scale, days=days, threads=threads,
                            overrides=setting, progress=False)
        metrics = result.to_xarray()
        rows.append([_output_value(result, o, metrics) for o in outputs])
    return pd.concat([samples.reset_index(drop=True), pd.DataFrame(rows, columns=names)], axis=1)


class SobolValidityWarning(UserWarning):
    """Sobol' indices that are not valid shares of variance: too few samples, or no variance."""


def _warn_if_invalid(table: pd.DataFrame, runs: int) -> None:
    """Indices are shares of variance, in [0, 1]; an index or its interval outside that range
    (beyond rounding) means the sample is too small for the estimate to be read."""
    slack = 0.05
    bad = []
    for _, row in table.dropna(subset=["S1", "ST"]).iterrows():
        for index in ("S1", "ST"):
            low, high = row[index] - row[f"{index}_conf"], row[index] + row[f"{index}_conf"]
            if low < -slack or high > 1 + slack:
                bad.append(f"{row['output']}/{row['parameter']} {index} = {row[index]:.2f} "
                           f"[{low:.2f}, {high:.2f}]")
    if bad:
        warnings.warn(f"Sobol: {len(bad)} index or interval outside [0, 1] with {runs} runs "
                      f"({'; '.join(bad[:4])}{' ...' if len(bad) > 4 else ''}): not valid shares of "
                      "variance; raise n (a power of two) before reading them",
                      SobolValidityWarning, stacklevel=3)


def sobol_analyze(
    runs: pd.DataFrame,
    parameters: Mapping[str, tuple[float, float]],
    outputs: str | Sequence[str] | None = None,
    *,
    second_order: bool = False,
    confidence: float = 0.95,
    resamples: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """Sobol' indices from the table of :func:`run_samples` (rows in sample order).

    Returns a tidy table, one row per (output, parameter): ``S1`` (first-order index: the
    share of the output's variance due to the parameter alone), ``ST`` (total index,
    interactions included) and their bootstrap half-widths ``S1_conf``, ``ST_conf``. An
    output that does not vary gives NaN indices. With ``second_order``, pairs are in
    ``table.attrs["S2"]`` (a table with ``parameter_1``, ``parameter_2``, ``S2``, ``S2_conf``).
    """
    _, analyze = _salib()
    problem = _problem(parameters)
    names = problem["names"]
    if outputs is None:
        outputs = [c for c in runs.columns if c not in names]
    outputs = [outputs] if isinstance(outputs, str) else list(outputs)
    rows, pairs = [], []
    for output in outputs:
        y = runs[output].to_numpy(dtype=float)
        if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
            warnings.warn(f"Sobol: {output} does not vary over the {len(y)} runs (or is not finite): "
                          "no indices (NaN); widen the ranges or run at a larger scale",
                          SobolValidityWarning, stacklevel=2)
            rows += [[output, p, np.nan, np.nan, np.nan, np.nan] for p in names]
            continue
        si = analyze.analyze(problem, y, calc_second_order=second_order, num_resamples=resamples,
                             conf_level=confidence, print_to_console=False, seed=seed)
        for i, p in enumerate(names):
            rows.append([output, p, si["S1"][i], si["S1_conf"][i], si["ST"][i], si["ST_conf"][i]])
        if second_order:
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    pairs.append([output, names[i], names[j], si["S2"][i, j], si["S2_conf"][i, j]])
    table = pd.DataFrame(rows, columns=list(SOBOL_COLUMNS))
    _warn_if_invalid(table, len(runs))
    if second_order:
        table.attrs["S2"] = pd.DataFrame(pairs, columns=["output", "parameter_1", "parameter_2", "S2", "S2_conf"])
    return table


def sobol(
    scenario: Any,
    parameters: Mapping[str, tuple[float, float]],
    outputs: Output | Sequence[Output] = ("unmet_share", "cross_state_share_of_telemedicine"),
    *,
    n: int = 8,
    second_order: bool = False,
    sample_seed: int = 0,
    **run_settings: Any,
) -> pd.DataFrame:
    """Sobol' sensitivity of ``outputs`` to ``parameters`` in one call: sample, run, analyse.

    ``parameters`` maps dotted scenario keys to (low, high) bounds; ``n`` is the base sample
    size (``n * (D + 2)`` runs for D parameters); ``run_settings`` go to :func:`run_samples`
    (``scale``, ``days``, ``replicates``, ``seed``, ``overrides``, ``progress``...). Returns
    the tidy table of :func:`sobol_analyze`; the runs (inputs and outputs) are in
    ``table.attrs["runs"]``.
    """
    samples = sobol_sample(parameters, n, second_order=second_order, seed=sample_seed)
    runs = run_samples(scenario, samples, outputs, **run_settings)
    output_names = [c for c in runs.columns if c not in samples.columns]
    table = sobol_analyze(runs, parameters, output_names, second_order=second_order, seed=sample_seed)
    table.attrs["runs"] = runs
    return table


#: Columns of the table :func:`sobol_sweep` returns, after those of the scenario and grid cell.
SWEEP_SOBOL_COLUMNS = ("output", "parameter", "S1", "S1_conf")

#: The ``[sample]`` methods of a sweep file (docs/sweeps.md) :func:`sobol_sweep` analyses.
SWEEP_SAMPLE_METHODS = ("sobol", "latin_hypercube")


def _sweep_sample(ds) -> dict[str, tuple[float, float]]:
    """The ranges a sweep samples, as {key: (low, high)}; ValueError for a design SALib cannot
    analyse from the points alone."""
    from .sweeps import design

    sample = design(ds)["sample"]
    if not sample:
        raise ValueError("sobol_sweep: this sweep has no [sample] table: a grid (every value with every value) is not "
                         "a sample of ranges, which SALib's estimators need; sample the keys with [sample] method = "
                         "\"sobol\" or \"latin_hypercube\" and [sample.ranges], or use analysis.sobol (Saltelli's "
                         "design, run from Python)")
    method = sample.get("method")
    if method not in SWEEP_SAMPLE_METHODS:
        raise ValueError(f"sobol_sweep: the sweep's sample method {method!r} is not one SALib can analyse from its "
                         f"points (known: {', '.join(SWEEP_SAMPLE_METHODS)})")
    return {str(k): (float(v[0]), float(v[1])) for k, v in sample["ranges"].items()}


def _point_outputs(ds, outputs: Sequence[str]) -> pd.DataFrame:
    """Each output per point (index ``point``): its national total or share, mean over the
    point's replicates (as :func:`run_samples` records a run)."""
    from .tables import SHARES, replicate_totals, shares

    unknown = [o for o in outputs if o not in ds.data_vars and o not in SHARES]
    if unknown:
        known = sorted([*map(str, ds.data_vars), *SHARES])
        raise KeyError(f"sobol_sweep: unknown output {', '.join(map(repr, unknown))} (have: {', '.join(known)})")
    values = replicate_totals(ds)
    if any(o in SHARES for o in outputs):
        values = values.join(shares(ds))
    return values[list(outputs)].groupby(level="point", sort=False).mean()


def sobol_sweep(
    sweep: Any,
    outputs: str | Sequence[str] = ("unmet_share", "cross_state_share_of_telemedicine"),
    *,
    harmonics: int = 10,
    confidence: float = 0.95,
    resamples: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """First-order Sobol' indices of ``outputs`` to the ranges a sweep file samples, from its points.

    ``sweep`` is a sweep file path or its metrics Dataset (:func:`licsim.open`), with a
    ``[sample]`` table (method ``sobol`` or ``latin_hypercube``, docs/sweeps.md); ``outputs``
    are metrics variables (national totals) or shares of :data:`licsim.analysis.SHARES`, each
    the mean over a point's replicates. A sweep's Sobol design is the first points of the
    Sobol sequence, a space-filling sample and not Saltelli's cross-sampled matrices, so
    SALib's Saltelli estimator (:func:`sobol_analyze`) cannot read it; SALib's RBD-FAST
    estimates the first-order indices from any such sample (Tarantola et al. 2006, with
    Tissot and Prieur's bias correction), from ``harmonics`` harmonics (the sample set needs
    more than 4 x ``harmonics`` points). Total indices need Saltelli's design: run
    :func:`sobol` for them. A grid alone is not a sample of ranges: ValueError.

    The sample set is repeated for every scenario and grid cell (docs/sweeps.md), and each
    repetition is analysed on its own. Returns one row per (scenario and grid cell,) output
    and parameter: the ``scenario`` and grid keys where they vary, then ``output``,
    ``parameter``, ``S1`` and its bootstrap half-width ``S1_conf`` at ``confidence``. An output
    that does not vary gives NaN. Raises ValueError if an output is NaN at a point (a failed
    point, or a share whose denominator is zero): the estimator needs every point.
    """
    from .sweeps import as_sweep, point_coordinates

    _salib()  # the clear ImportError when SALib is missing
    from SALib.analyze import rbd_fast

    ds = as_sweep(sweep)
    parameters = _sweep_sample(ds)
    problem = _problem(parameters)
    outputs = [outputs] if isinstance(outputs, str) else list(outputs)
    coords = point_coordinates(ds)
    cells = [c for c in coords.columns if c not in parameters and coords[c].nunique() > 1]
    y_all = _point_outputs(ds, outputs)
    rows = []
    for key, cell in (coords.groupby(cells, sort=False) if cells else [((), coords)]):
        key = key if isinstance(key, tuple) else (key,)
        x = cell[problem["names"]].to_numpy(dtype=float)
        _check_sample_size(len(cell), harmonics)
        for output in outputs:
            y = y_all.loc[cell.index, output].to_numpy(dtype=float)
            missing = list(cell.index[~np.isfinite(y)])
            if missing:
                raise ValueError(f"sobol_sweep: {output!r} is NaN at point(s) {', '.join(map(str, missing))} (failed "
                                 "points, or a share whose denominator is zero); the estimator needs every point")
            if np.ptp(y) == 0:
                rows += [[*key, output, p, np.nan, np.nan] for p in problem["names"]]
                continue
            si = rbd_fast.analyze(problem, x, y, M=harmonics, num_resamples=resamples, conf_level=confidence,
                                  print_to_console=False, seed=seed)
            rows += [[*key, output, p, si["S1"][i], si["S1_conf"][i]] for i, p in enumerate(problem["names"])]
    table = pd.DataFrame(rows, columns=[*cells, *SWEEP_SOBOL_COLUMNS])
    table.attrs.update(estimator="rbd_fast", harmonics=harmonics, confidence=confidence)
    return table


def _check_sample_size(points: int, harmonics: int) -> None:
    """RBD-FAST's bias correction divides by 1 - 2M/N, and its bootstrap draws half the points."""
    if harmonics < 1:
        raise ValueError(f"sobol_sweep: harmonics must be at least 1, got {harmonics}")
    if points <= 4 * harmonics:
        raise ValueError(f"sobol_sweep: {points} points per sample set are too few for {harmonics} harmonics "
                         f"(RBD-FAST needs more than {4 * harmonics}); sample more points or pass "
                         f"harmonics={max(1, (points - 1) // 4)}")
