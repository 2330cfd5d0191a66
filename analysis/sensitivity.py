"""Global (Sobol) sensitivity analysis of scenario parameters with SALib.

Three steps, each usable alone: :func:`sobol_sample` draws parameter sets (Saltelli's scheme),
:func:`run_samples` runs the scenario once per set (keys set as overrides, checked like
``--set``) and records outputs, :func:`sobol_analyze` estimates first-order and total indices.
:func:`sobol` does all three. SALib is needed (``pip install SALib``); runs are sequential,
each using the engine's threads (no fork: GCC's OpenMP runtime is unsafe after fork).
"""

from __future__ import annotations

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
