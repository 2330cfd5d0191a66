"""Shipped scenarios by name, `validate` on sweep files and with --set, `params` filtered with
the baseline's values, and a warning for an override that changes nothing (issue 19)."""

from __future__ import annotations

import warnings
from pathlib import Path

import h5py
import pytest

from conftest import SHIPPED, SOURCE_DIR, licsim

SWEEP = SOURCE_DIR / "scenarios" / "sweeps" / "regimes_fee_processing.toml"


def test_run_accepts_a_shipped_scenario_by_name(run_cli, tmp_path):
    out = tmp_path / "imlc.h5"
    result = run_cli("run", "imlc", "-o", out, "--days", "3", "--scale", "0.0001", "-q")
    assert result.returncode == 0, result.stderr
    with h5py.File(out, "r") as f:
        stored = f.attrs["scenario_file"]
        stored = stored.decode() if isinstance(stored, bytes) else stored
    assert Path(stored).name == "imlc.toml" and Path(stored).is_file()
    assert Path(stored).read_text() == (SOURCE_DIR / "scenarios" / "imlc.toml").read_text()


def test_an_unknown_name_lists_the_shipped_ones(run_cli, tmp_path):
    result = run_cli("run", "imlcc", "-o", tmp_path / "x.h5")
    assert result.returncode == 2
    assert "no shipped scenario of that name" in result.stderr
    for name in licsim.available_scenarios():
        assert name in result.stderr
    assert not (tmp_path / "x.h5").exists()


def test_a_file_in_the_working_folder_wins_over_a_shipped_name(run_cli, tmp_path):
    (tmp_path / "imlc").write_text("[regulator]\napproval_prob = -0.5\n")  # a file named like one
    result = run_cli("validate", "imlc", cwd=tmp_path)
    assert result.returncode == 2 and "regulator.approval_prob" in result.stderr


def test_python_accepts_shipped_names():
    assert licsim.Scenario("imlc").source == str(licsim.scenario_path("imlc"))
    assert licsim.Scenario("imlc.toml").source == str(licsim.scenario_path("imlc"))
    result = licsim.run("imlc", days=2, scale=0.0001)
    assert result.days == 2


def test_validate_recognises_a_sweep_file(run_cli):
    result = run_cli("validate", SWEEP)
    assert result.returncode == 0, result.stderr
    assert "ok (sweep 'regimes_fee_processing', 27 points over 3 scenario(s), 2 replicate(s) each)" in result.stdout


def test_validate_checks_a_sweep_files_values(run_cli, tmp_path):
    sweep = tmp_path / "bad.toml"
    sweep.write_text(f'[sweep]\nname = "bad"\nscenarios = ["{SHIPPED.as_posix()}"]\nreplicates = 1\nscale = 0.001\n'
                     '[grid]\n"regulator.approval_prob" = [0.5, 2.0]\n')
    result = run_cli("validate", sweep)
    assert result.returncode == 2
    assert "regulator.approval_prob" in result.stderr and "unknown key" not in result.stderr


def test_validate_takes_set(run_cli):
    good = run_cli("validate", SHIPPED, "--set", "compact.enabled=true")
    assert good.returncode == 0, good.stderr
    bad = run_cli("validate", SHIPPED, "--set", "regulator.approval_prob=2")
    assert bad.returncode == 2 and "regulator.approval_prob" in bad.stderr


def test_set_on_a_switched_off_module_warns(run_cli, tmp_path):
    off = run_cli("validate", SHIPPED, "--set", "compact.loq_fee_usd=900")
    assert off.returncode == 0, off.stderr
    assert "warning: --set compact.loq_fee_usd: the compact regime is switched off" in off.stderr
    on = run_cli("validate", SHIPPED, "--set", "compact.enabled=true", "--set", "compact.loq_fee_usd=900")
    assert on.returncode == 0 and "warning" not in on.stderr
    baseline_key = run_cli("validate", SHIPPED, "--set", "regulator.approval_prob=0.9")
    assert "warning" not in baseline_key.stderr


def test_python_override_on_a_switched_off_module_warns():
    with pytest.warns(licsim.IneffectiveOverrideWarning, match="compact.loq_fee_usd: the compact regime is switched off"):
        licsim.Scenario(SHIPPED, {"compact.loq_fee_usd": 900})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        licsim.Scenario(SHIPPED, {"compact.enabled": True, "compact.loq_fee_usd": 900})


def test_params_filters_and_shows_the_baseline_values(run_cli):
    result = run_cli("params", "compact.loq")
    assert result.returncode == 0, result.stderr
    keys = [line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert keys and all("compact.loq" in k for k in keys)
    assert "baseline: 700  (state_only.toml:228)" in result.stdout.replace(".0  (", "  (")
    none = run_cli("params", "no_such_key_anywhere")
    assert none.returncode == 2 and "no key contains" in none.stderr


def test_params_shows_every_value_of_a_pattern(run_cli):
    result = run_cli("params", "specialty.*.physician_share")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("baseline: specialty.") >= 2
