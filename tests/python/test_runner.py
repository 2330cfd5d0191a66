"""licsim.run_to_file / resolved_scenario / open: the Python front end of the engine."""

from __future__ import annotations

import math
import os
import textwrap
import tomllib

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from conftest import SCENARIO, SMALL, assert_same_results, fixed_creation_time, licsim, interrupt_child

HEADLINE_METRICS = [
    "episodes",
    "served in person",
    "telehealth, in state",
    "telehealth, cross-state",
    "telehealth, international",
    "unmet (forgone)",
    "unmet share of episodes",
    "telehealth share of served",
    "cross-state share of telehealth",
    "mean wait",
    "adverse events",
    "adverse events (expected)",
    "malpractice claims",
    "malpractice claims (expected)",
    "claims, cross-border (expected)",
    "indemnity",
    "uncovered exposure",
    "uncovered exposure (expected)",
    "licensure spend",
    "patient cost",
    "payer cost",
    "boards' processing cost",
    "platforms' compliance cost",
    "unauthorized encounters",
    "unauthorized declined",
    "unauthorized detected",
    "unauthorized detected (expected)",
    "authorizations active (end)",
    "applications pending (end)",
]


def test_public_api():
    assert set(licsim.__all__) >= {
        "__version__", "LicsimError", "ScenarioError", "DataError", "OutputError", "UsageError",
        "run_to_file", "resolved_scenario", "open",
    }
    for name in licsim.__all__:
        assert hasattr(licsim, name), name
    assert isinstance(licsim.__version__, str) and licsim.__version__.count(".") == 2


def test_exception_hierarchy():
    for cls in (licsim.ScenarioError, licsim.DataError, licsim.OutputError, licsim.UsageError):
        assert issubclass(cls, licsim.LicsimError)
    assert issubclass(licsim.LicsimError, Exception)


# --- overrides in TOML syntax ------------------------------------------------------------


@pytest.mark.parametrize(
    "value, toml",
    [
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (-2, "-2"),
        (0.1, "0.1"),
        (1e-5, "1e-05"),
        (2.0, "2.0"),
        (float("inf"), "inf"),
        ("FL=0.5,TX=0.5", '"FL=0.5,TX=0.5"'),
        ('say "hi"\\\n', '"say \\"hi\\"\\\\\\n"'),
        ([0.25, 0.25, 0.5], "[0.25, 0.25, 0.5]"),
        ((1, 2), "[1, 2]"),
        ([[1, 2], ["a"]], '[[1, 2], ["a"]]'),
        (np.float64(0.5), "0.5"),
        (np.int32(7), "7"),
        (np.bool_(True), "true"),
        (np.array([1.5, 2.5]), "[1.5, 2.5]"),
    ],
)
def test_to_toml_value(value, toml):
    assert licsim.to_toml_value(value) == toml


@pytest.mark.parametrize("value", [0.1, 1e-5, 123456.789, 1 / 3, -0.0])
def test_to_toml_value_floats_read_back_exactly(value):
    assert tomllib.loads(f"x = {licsim.to_toml_value(value)}")["x"] == value


def test_to_toml_value_strings_read_back_exactly():
    text = 'tab\there "quoted" back\\slash \u00e9 \x01 end'
    assert tomllib.loads(f"x = {licsim.to_toml_value(text)}")["x"] == text


@pytest.mark.parametrize("value", [None, {"a": 1}, b"bytes", object()])
def test_to_toml_value_rejects_other_types(value):
    with pytest.raises(TypeError):
        licsim.to_toml_value(value)


def test_override_of_unsupported_type_names_the_key():
    with pytest.raises(TypeError, match="population.lep_share"):
        licsim.resolved_scenario(SCENARIO, {"population.lep_share": None})


def test_resolved_scenario_applies_typed_overrides():
    text = licsim.resolved_scenario(
        SCENARIO,
        {
            "population.lep_share": 0.2,
            "population.age_band_share": [0.25, 0.25, 0.25, 0.25],
            "population.snowbird_destinations": "FL=1",
            "controlled_substances.in_person_rule": False,
            "simulation.days": 30,
        },
    )
    scenario = tomllib.loads(text)
    assert scenario["population"]["lep_share"] == 0.2
    assert scenario["population"]["age_band_share"] == [0.25] * 4
    assert scenario["population"]["snowbird_destinations"] == "FL=1"
    assert scenario["controlled_substances"]["in_person_rule"] is False
    assert scenario["simulation"]["days"] == 30
    assert tomllib.loads(licsim.resolved_scenario(SCENARIO))["population"]["lep_share"] == 0.08


def test_resolved_scenario_accepts_path_objects():
    assert licsim.resolved_scenario(SCENARIO) == licsim.resolved_scenario(str(SCENARIO))


# --- errors ------------------------------------------------------------------------------


def test_bad_override_key_raises_scenario_error(tmp_path):
    output = tmp_path / "out.h5"
    with pytest.raises(licsim.ScenarioError) as info:
        licsim.run_to_file(SCENARIO, output, days=3, overrides={"population.lep_shar": 0.1})
    assert "population.lep_shar" in str(info.value)
    assert "did you mean 'population.lep_share'" in str(info.value)
    assert not output.exists()


def test_bad_override_value_raises_scenario_error(tmp_path):
    with pytest.raises(licsim.ScenarioError, match=r"population\.lep_share.*expected a number in \[0, 1\], got 1\.5"):
        licsim.run_to_file(SCENARIO, tmp_path / "out.h5", days=3, overrides={"population.lep_share": 1.5})


def test_override_of_wrong_type_raises_scenario_error():
    with pytest.raises(licsim.ScenarioError, match="population.lep_share"):
        licsim.resolved_scenario(SCENARIO, {"population.lep_share": "0.1"})


def test_bad_key_in_file_raises_scenario_error(tmp_path):
    scenario = tmp_path / "typo.toml"
    scenario.write_text(f'base = "{SCENARIO.as_posix()}"\n[regulator]\nlicense_fee = 1\n')
    with pytest.raises(licsim.ScenarioError, match=r"typo\.toml:3: key 'regulator\.license_fee'"):
        licsim.resolved_scenario(scenario)


def test_existing_output_raises_output_error(tmp_path):
    output = tmp_path / "out.h5"
    output.write_bytes(b"keep me")
    with pytest.raises(licsim.OutputError, match="already exists"):
        licsim.run_to_file(SCENARIO, output, days=3, scale=0.0002)
    assert output.read_bytes() == b"keep me"
    licsim.run_to_file(SCENARIO, output, days=3, scale=0.0002, force=True)
    assert licsim.open(output).sizes["day"] == 3


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"days": -1}, "--days"),
        ({"replicates": 0}, "--replicates"),
        ({"scale": 0.0}, "--scale"),
        ({"threads": -1}, "--threads"),
    ],
)
def test_bad_run_settings_raise_usage_error(tmp_path, settings, message):
    with pytest.raises(licsim.UsageError, match=message):
        licsim.run_to_file(SCENARIO, tmp_path / "out.h5", **settings)
    assert not (tmp_path / "out.h5").exists()


# --- runs --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def python_run(tmp_path_factory, small_run):
    """The small run again, from Python, with the scenario named by a different path."""
    output = tmp_path_factory.mktemp("python") / "small.h5"
    relative = os.path.relpath(SCENARIO)  # same file, another spelling than the CLI run's
    with fixed_creation_time():
        headline = licsim.run_to_file(
            relative, output, seed=small_run.seed, replicates=small_run.replicates,
            threads=small_run.threads, scale=small_run.scale, days=small_run.days,
        )
    return output, relative, headline


def test_python_run_equals_cli_run(python_run, small_run):
    output, relative, _ = python_run
    assert_same_results(small_run.path, output, ignore_attrs=("scenario_file",))
    assert licsim.open(output).attrs["scenario_file"] == relative


def test_python_and_cli_agree_with_overrides(tmp_path, run_cli):
    cli_out, py_out = tmp_path / "cli.h5", tmp_path / "py.h5"
    result = run_cli("run", SCENARIO, "-o", cli_out, "--days", "20", "--scale", "0.0003", "--seed", "5", "-q",
                     "--set", "population.lep_share=0.3", "--set", "controlled_substances.in_person_rule=false",
                     "--set", "population.age_band_share=[0.25,0.25,0.25,0.25]")
    assert result.returncode == 0, result.stderr
    with fixed_creation_time():
        licsim.run_to_file(SCENARIO, py_out, days=20, scale=0.0003, seed=5, overrides={
            "population.lep_share": 0.3,
            "controlled_substances.in_person_rule": False,
            "population.age_band_share": [0.25, 0.25, 0.25, 0.25],
        })
    assert_same_results(cli_out, py_out)


def test_headline_table(python_run, metrics):
    _, _, headline = python_run
    assert isinstance(headline, pd.DataFrame)
    assert list(headline.columns) == ["metric", "units", "basis", "mean", "low", "high"]
    assert list(headline["metric"]) == HEADLINE_METRICS
    rows = headline.set_index("metric")
    # National figures: the agents' totals times 1 / scale.
    per_replicate = metrics["episodes"].sum(["day", "jurisdiction"]).values / SMALL["scale"]
    assert rows.loc["episodes", "mean"] == pytest.approx(per_replicate.mean())
    assert rows.loc["episodes", "low"] == pytest.approx(np.percentile(per_replicate, 2.5))
    assert rows.loc["episodes", "high"] == pytest.approx(np.percentile(per_replicate, 97.5))
    assert (rows["low"] <= rows["mean"] + 1e-9).all() and (rows["mean"] <= rows["high"] + 1e-9).all()
    assert rows.loc["indemnity", "units"] == "USD"
    assert rows.loc["mean wait", "units"] == "days"
    assert rows.loc["episodes", "basis"] == "national" and rows.loc["mean wait", "basis"] == "mean"
    unmet = metrics["unmet"].sum(["day", "jurisdiction"]).values
    episodes = metrics["episodes"].sum(["day", "jurisdiction"]).values
    assert rows.loc["unmet share of episodes", "mean"] == pytest.approx((unmet / episodes).mean())
    assert rows.loc["unmet share of episodes", "basis"] == "share"


def test_open_returns_the_metrics_dataset(small_run, metrics):
    ds = licsim.open(small_run.path)
    assert isinstance(ds, xr.Dataset)
    xr.testing.assert_equal(ds, metrics)
    assert ds.attrs["seed"] == small_run.seed
    flows = licsim.open(small_run.path, group="flows")
    assert "encounters" in flows


def test_open_rejects_other_files(tmp_path):
    path = tmp_path / "notes.h5"
    path.write_text("not hdf5")
    with pytest.raises(ValueError, match=str(path)):
        licsim.open(path)


def test_ctrl_c_raises_keyboard_interrupt_and_leaves_no_file(tmp_path):
    """SIGINT to a Python process inside run_to_file: KeyboardInterrupt, no output, no temporary file."""
    output = tmp_path / "long.h5"
    script = textwrap.dedent(
        f"""
        import sys, licsim
        print("ready", flush=True)
        try:
            licsim.run_to_file({str(SCENARIO)!r}, {str(output)!r}, scale=0.01, days=3650)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(0)
        print("finished", flush=True)
        """
    )
    stdout, stderr, returncode = interrupt_child(script, "run_to_file")
    assert returncode == 0, stderr
    assert stdout.strip() == "interrupted"
    assert list(tmp_path.iterdir()) == []


def test_headline_of_one_replicate_has_no_spread(tmp_path):
    headline = licsim.run_to_file(SCENARIO, tmp_path / "one.h5", days=5, scale=0.0002)
    assert (headline["low"] == headline["mean"]).all() and (headline["high"] == headline["mean"]).all()
    assert not headline["mean"].map(math.isnan).any()
