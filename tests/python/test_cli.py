"""The licsim command line: help, exit codes, error messages, overwrite protection, signals."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from conftest import EPOCH, SCENARIO, child_env, licsim

RUN_OPTIONS = ["--output", "--seed", "--replicates", "--threads", "--scale", "--days", "--set", "--force", "--quiet"]


def write_scenario(folder: Path, body: str, name: str = "scenario.toml") -> Path:
    """A scenario file that starts from state_only.toml and adds ``body``."""
    path = folder / name
    path.write_text(f'base = "{SCENARIO.as_posix()}"\n{body}')
    return path


def test_help_lists_commands(run_cli):
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    for command in ("run", "validate", "params", "schema", "--version"):
        assert command in result.stdout


def test_run_help_lists_options(run_cli):
    result = run_cli("run", "--help")
    assert result.returncode == 0, result.stderr
    for option in RUN_OPTIONS:
        assert option in result.stdout


def test_version_matches_package(run_cli):
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"licsim {licsim.__version__}"


def test_no_arguments_is_a_usage_error(run_cli):
    result = run_cli()
    assert result.returncode == 2
    assert "usage: licsim" in result.stderr


def test_unknown_command_is_a_usage_error(run_cli):
    result = run_cli("simulate")
    assert result.returncode == 2
    assert "unknown command 'simulate'" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["run"], "missing SCENARIO.toml"),
        (["run", SCENARIO], "missing -o OUT.h5"),
        (["run", SCENARIO, "-o", "x.h5", "--bogus"], "--bogus"),
        (["run", SCENARIO, "-o", "x.h5", "--days", "-3"], "--days: expected an integer"),
        (["run", SCENARIO, "-o", "x.h5", "--replicates", "0"], "--replicates: expected an integer in [1, 100000], got 0"),
        (["run", SCENARIO, "-o", "x.h5", "--scale", "2"], "--scale: expected a number in (0, 1]"),
        (["run", SCENARIO, "-o", "x.h5", "--set", "population.lep_share"], "expected key=value"),
    ],
)
def test_bad_run_options_exit_2(run_cli, tmp_path, args, message):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not (tmp_path / "x.h5").exists()


def test_unknown_key_names_file_line_key_and_suggestion(run_cli, tmp_path):
    scenario = write_scenario(tmp_path, "[population]\nlep_shar = 0.1\n", name="typo.toml")
    result = run_cli("run", scenario.name, "-o", "out.h5", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "licsim: typo.toml:3: key 'population.lep_shar': unknown key (did you mean 'population.lep_share'?)"
    )
    assert not (tmp_path / "out.h5").exists()


def test_out_of_range_value_names_key_and_range(run_cli, tmp_path):
    scenario = write_scenario(tmp_path, "[population]\nlep_share = 1.5\n")
    result = run_cli("run", scenario, "-o", tmp_path / "out.h5")
    assert result.returncode == 2
    assert f"{scenario}:3: key 'population.lep_share'" in result.stderr
    assert "expected a number in [0, 1], got 1.5" in result.stderr


def test_set_bad_value_names_set(run_cli, tmp_path):
    result = run_cli("run", SCENARIO, "-o", tmp_path / "out.h5", "--set", "population.lep_share=2")
    assert result.returncode == 2
    assert result.stderr.strip() == "licsim: --set: key 'population.lep_share': expected a number in [0, 1], got 2"


def test_set_unknown_key_suggests(run_cli, tmp_path):
    result = run_cli("run", SCENARIO, "-o", tmp_path / "out.h5", "--set", "regulator.license_fee=100")
    assert result.returncode == 2
    assert "--set: key 'regulator.license_fee': unknown key (did you mean 'regulator.license_fee_usd'?)" in result.stderr


def test_missing_scenario_file_exits_2(run_cli, tmp_path):
    result = run_cli("run", "absent.toml", "-o", "out.h5", cwd=tmp_path)
    assert result.returncode == 2
    assert "absent.toml" in result.stderr


def test_missing_output_folder_exits_2(run_cli, tmp_path):
    result = run_cli("run", SCENARIO, "-o", tmp_path / "absent" / "out.h5", "--days", "2")
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_existing_output_needs_force(run_cli, tmp_path):
    output = tmp_path / "out.h5"
    output.write_bytes(b"keep me")
    result = run_cli("run", SCENARIO, "-o", output, "--days", "5", "-q")
    assert result.returncode == 2
    assert f"{output}: already exists (use --force to overwrite)" in result.stderr
    assert output.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.h5"]

    result = run_cli("run", SCENARIO, "-o", output, "--days", "5", "-q", "--force")
    assert result.returncode == 0, result.stderr
    with h5py.File(output, "r") as f:
        assert f.attrs["licsim_version"] == licsim.__version__


def test_run_prints_summary_unless_quiet(run_cli, tmp_path):
    loud = run_cli("run", SCENARIO, "-o", tmp_path / "loud.h5", "--days", "5", "--scale", "0.0002")
    assert loud.returncode == 0, loud.stderr
    assert "episodes" in loud.stdout
    assert f"wrote {tmp_path / 'loud.h5'}" in loud.stdout
    quiet = run_cli("run", SCENARIO, "-o", tmp_path / "quiet.h5", "--days", "5", "--scale", "0.0002", "-q")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == ""


def test_validate_accepts_the_baseline(run_cli):
    result = run_cli("validate", SCENARIO)
    assert result.returncode == 0, result.stderr
    assert re.search(r": ok \(\d+ keys, 51 jurisdictions, \d+ foreign locations\)", result.stdout)


def test_validate_rejects_a_bad_scenario(run_cli, tmp_path):
    scenario = write_scenario(tmp_path, "[regulator]\napproval_prob = -0.5\n")
    result = run_cli("validate", scenario)
    assert result.returncode == 2
    assert "key 'regulator.approval_prob'" in result.stderr


def test_params_lists_documented_keys(run_cli):
    plain = run_cli("params")
    assert plain.returncode == 0
    assert "population.lep_share" in plain.stdout
    markdown = run_cli("params", "--markdown")
    assert markdown.returncode == 0
    assert "|" in markdown.stdout and "population.lep_share" in markdown.stdout


def test_schema_lists_the_variables_of_the_file(run_cli, small_run):
    """`licsim schema` names every variable the file holds, in every group, with its dimensions."""
    import h5py

    listing = run_cli("schema")
    assert listing.returncode == 0, listing.stderr
    with h5py.File(small_run.path, "r") as f:
        for group in ("metrics", "breakdown", "flows", "regimes"):
            for name, item in f[group].items():
                if "DIMENSION_LIST" in item.attrs:  # a variable, not a dimension scale
                    assert f"  {name} (" in listing.stdout, (group, name)
    one = run_cli("schema", "--markdown", "flows")
    assert one.returncode == 0 and "| `encounters_by_home` |" in one.stdout and "`episodes`" not in one.stdout
    bad = run_cli("schema", "nope")
    assert bad.returncode == 2 and "no output group 'nope' (groups: metrics, breakdown, flows, regimes)" in bad.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_exits_130_and_leaves_no_file(cli, tmp_path, signum):
    output = tmp_path / "long.h5"
    process = subprocess.Popen(
        [str(cli), "run", str(SCENARIO), "-o", str(output), "--scale", "0.01", "--days", "3650", "-q"],
        env=child_env(SOURCE_DATE_EPOCH=EPOCH),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    assert process.poll() is None, "the long run finished before it could be interrupted"
    process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("licsim did not stop within 30 s of the signal")
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert list(tmp_path.iterdir()) == []  # neither long.h5 nor long.h5.tmp-PID


def test_run_summary_is_national_and_says_so(run_cli, tmp_path):
    """The summary reads like a report: national figures with the scale stated, thousands
    separators, shares as percentages; its episodes are the file's agents times 1 / scale."""
    out = tmp_path / "s.h5"
    result = run_cli("run", SCENARIO, "-o", out, "--days", "10", "--scale", "0.0005", "--replicates", "2")
    assert result.returncode == 0, result.stderr
    assert "National figures: totals over the 10 days from" in result.stdout
    assert "scaled up from agents at 1:2,000 (scale 0.0005); mean and 95% interval over 2 replicates" in result.stdout
    rows = {line[:34].strip(): line[34:52].strip() for line in result.stdout.splitlines() if line.endswith("]")}
    episodes = licsim.open(out)["episodes"].sum(["day", "jurisdiction"]).values.mean() / 0.0005
    assert rows["episodes"] == f"{episodes:,.0f}"
    assert rows["unmet share of episodes"].endswith("%")
    assert rows["patient cost"].startswith("$") and "," in rows["patient cost"]
