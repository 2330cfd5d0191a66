"""Sobol sensitivity analysis (SALib) of scenario parameters, on tiny real runs."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import SCENARIO, licsim
from licsim import analysis

PARAMETERS = {"regulator.license_fee_usd": (100.0, 1500.0), "population.lep_share": (0.0, 0.3)}


def test_sample_has_saltelli_shape_and_bounds():
    samples = analysis.sobol_sample(PARAMETERS, n=8, seed=1)
    assert list(samples.columns) == list(PARAMETERS)
    assert len(samples) == 8 * (len(PARAMETERS) + 2)
    for key, (low, high) in PARAMETERS.items():
        assert samples[key].between(low, high).all()
    assert len(analysis.sobol_sample(PARAMETERS, n=4, second_order=True)) == 4 * (2 * len(PARAMETERS) + 2)


@pytest.mark.parametrize(
    "parameters, n, message",
    [({}, 8, "at least one parameter"), ({"a.b": (1, 1)}, 8, "low < high"), ({"a.b": 3}, 8, r"\(low, high\)"),
     (PARAMETERS, 6, "power of two")],
)
def test_bad_designs(parameters, n, message):
    with pytest.raises(ValueError, match=message):
        analysis.sobol_sample(parameters, n=n)


def test_sobol_end_to_end():
    def lep_episodes(result):
        return float(result.metric("episodes").sum())

    table = analysis.sobol(SCENARIO, PARAMETERS, ["unmet_share", "patient_cost_usd", lep_episodes], n=4, days=20,
                           scale=0.0002)
    assert list(table.columns) == ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert len(table) == 3 * len(PARAMETERS)
    runs = table.attrs["runs"]
    assert len(runs) == 4 * (len(PARAMETERS) + 2)
    assert list(runs.columns) == [*PARAMETERS, "unmet_share", "patient_cost_usd", "lep_episodes"]
    # the outputs are those of a plain run with the same overrides
    first = runs.iloc[0]
    again = licsim.run(SCENARIO, days=20, scale=0.0002, overrides={k: float(first[k]) for k in PARAMETERS})
    assert first["patient_cost_usd"] == pytest.approx(float(again.to_xarray()["patient_cost_usd"].sum()))
    ok = table.dropna()
    assert not ok.empty and np.isfinite(ok[["S1", "ST"]].to_numpy()).all()


def test_an_output_that_does_not_vary_gets_nan_indices():
    samples = analysis.sobol_sample(PARAMETERS, n=2)
    runs = samples.assign(constant=1.0)
    with pytest.warns(analysis.SobolValidityWarning, match="constant does not vary"):
        table = analysis.sobol_analyze(runs, PARAMETERS, "constant")
    assert table["S1"].isna().all() and table["ST"].isna().all()


def test_indices_outside_zero_one_warn_and_valid_ones_do_not():
    """Noise sampled too sparsely gives 'indices' outside [0, 1]: a warning says they cannot
    be read. An additive function sampled densely gives valid ones, with no warning."""
    import warnings

    names = list(PARAMETERS)
    sparse = analysis.sobol_sample(PARAMETERS, n=8)
    noise = sparse.assign(noise=np.random.default_rng(1).normal(size=len(sparse)))
    with pytest.warns(analysis.SobolValidityWarning, match=r"outside \[0, 1\] with 32 runs"):
        analysis.sobol_analyze(noise, PARAMETERS, "noise")
    dense = analysis.sobol_sample(PARAMETERS, n=1024)
    lows = {k: lo for k, (lo, _) in PARAMETERS.items()}
    additive = dense.assign(y=sum((dense[k] - lows[k]) / (hi - lo) * (i + 1)
                                  for i, (k, (lo, hi)) in enumerate(PARAMETERS.items())))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = analysis.sobol_analyze(additive, PARAMETERS, "y")
    assert ((table["S1"] >= 0) & (table["ST"] <= 1.05)).all()
    assert table.set_index("parameter").loc[names[-1], "S1"] > table.set_index("parameter").loc[names[0], "S1"]


def test_unknown_output_is_named():
    samples = analysis.sobol_sample(PARAMETERS, n=2).head(1)
    with pytest.raises(KeyError, match="no_such_output"):
        analysis.run_samples(SCENARIO, samples, "no_such_output", days=2)


def test_bad_parameter_key_raises_the_cli_message():
    samples = analysis.sobol_sample({"regulator.license_fee": (1.0, 2.0)}, n=2).head(1)
    with pytest.raises(licsim.ScenarioError, match="--set: key 'regulator.license_fee'"):
        analysis.run_samples(SCENARIO, samples, days=2)
