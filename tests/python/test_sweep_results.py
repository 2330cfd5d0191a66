"""Sweep files as results: opened like run files, summarised and compared point by point,
plotted against the varied keys, Sobol' indices straight from a sampled sweep, and never
pooled over ``point`` by any function that would once have added the points together."""
import os
import subprocess
import tomllib
from pathlib import Path

import h5py
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import EPOCH, reseal

import licsim
from licsim import analysis
from licsim.analysis import claims

ROOT = Path(__file__).resolve().parents[2]
QUICK = ROOT / "tests" / "python" / "quick"

# 3 travel costs x 2 indemnities, common random numbers: the travel cost moves patients' cost and
# nothing else; the indemnity moves only what claims are paid (so the two are told apart).
GRID = f"""
[sweep]
name = "grid"
scenarios = ["{QUICK}/state_only.toml"]
seed = 5
replicates = 3
scale = 0.0002
days = 30
random_numbers = "common"

[grid]
"travel.cost_per_km_usd" = [0.2, 0.4, 0.8]
"malpractice.mean_indemnity_usd" = [100000, 400000]
"""

#: The grid's points, in plan order (the last axis varies fastest).
GRID_POINTS = [(0.2, 1e5), (0.2, 4e5), (0.4, 1e5), (0.4, 4e5), (0.8, 1e5), (0.8, 4e5)]

SAMPLED = {
    "sweep": {"scenarios": [str(QUICK / "state_only.toml")], "seed": 5, "scale": 0.0002, "days": 30,
              "random_numbers": "common"},
    "sample": {"method": "sobol", "points": 64,
               "ranges": {"travel.cost_per_km_usd": [0.1, 1.0], "malpractice.mean_indemnity_usd": [100000, 600000]}},
}

# A sample set under two grid cells: each cell is analysed on its own.
SAMPLED_BY_CELL = {
    "sweep": {"scenarios": [str(QUICK / "state_only.toml")], "seed": 3, "scale": 0.0002, "days": 20,
              "random_numbers": "common"},
    "grid": {"travel.time_cost_per_visit_usd": [10, 50]},
    "sample": {"method": "latin_hypercube", "points": 16,
               "ranges": {"travel.cost_per_km_usd": [0.1, 1.0], "malpractice.mean_indemnity_usd": [100000, 600000]}},
}

# The second point is invalid (two + three-plus license shares above 1): it fails, the first runs.
FAILING = {
    "sweep": {"scenarios": [str(QUICK / "state_only.toml")], "seed": 2, "replicates": 2, "scale": 0.0002, "days": 20},
    "grid": {"clinicians.two_licenses_share": [0.157, 0.99]},
}


@pytest.fixture(scope="module")
def grid_file(cli, tmp_path_factory):
    """The grid sweep, written by `licsim sweep` (the command line's file, not Python's)."""
    tmp = tmp_path_factory.mktemp("grid")
    (tmp / "grid.toml").write_text(GRID)
    out = tmp / "grid.h5"
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    subprocess.run([cli, "sweep", tmp / "grid.toml", "-o", out, "--threads", "2", "-q"], check=True, env=env)
    return out


@pytest.fixture(scope="module")
def grid(grid_file):
    return licsim.open(grid_file)


def _python_sweep(tmp_path_factory, name, spec):
    out = tmp_path_factory.mktemp(name) / f"{name}.h5"
    report = licsim.sweep(spec, out, threads=2, progress=False)
    return out, report


@pytest.fixture(scope="module")
def sampled_file(tmp_path_factory):
    out, report = _python_sweep(tmp_path_factory, "sampled", SAMPLED)
    assert report.failed == {}
    return out


@pytest.fixture(scope="module")
def failing_file(tmp_path_factory):
    out, report = _python_sweep(tmp_path_factory, "failing", FAILING)
    assert list(report.failed) == [1]
    return out


def raw(path, group="metrics"):
    """The group as plain xarray reads it: the independent reference."""
    return xr.load_dataset(path, group=group, engine="h5netcdf")


def per_replicate_total(path, variable):
    """[point, replicate] national totals over the run, computed here with plain xarray."""
    da = raw(path)[variable]
    return da.sum(["day", "jurisdiction"]).values.astype(float)


# --- opening ----------------------------------------------------------------------------------

def test_licsim_open_reads_the_command_lines_sweep_file(grid_file, grid):
    plain = raw(grid_file)
    assert grid.sizes["point"] == 6 and grid.unmet.dims == ("point", "replicate", "day", "jurisdiction")
    xr.testing.assert_equal(grid.unmet, plain.unmet)
    assert [(float(a), float(b)) for a, b in zip(grid["travel.cost_per_km_usd"].values,
                                                  grid["malpractice.mean_indemnity_usd"].values)] == GRID_POINTS
    assert grid.attrs["licsim_file"] == "sweep" and grid.attrs["replicates"] == 3
    assert "[grid]" in grid.attrs["sweep_file_toml"]
    for group in ("breakdown", "flows", "regimes"):
        assert licsim.open(grid_file, group).sizes["point"] == 6
    # The report of a Python sweep opens the same way.
    assert analysis.open_result(grid_file, "points").sizes["point"] == 6


def test_run_info_of_a_sweep_has_its_design_plan_and_points(grid_file):
    info = analysis.run_info(grid_file)
    assert info["licsim_file"] == "sweep" and info["seed"] == 5 and info["replicates"] == 3
    assert info["sweep_spec"]["grid"] == tomllib.loads(GRID)["grid"]
    assert [p["set"]["travel.cost_per_km_usd"] for p in info["sweep_plan"]["point"]] == [x for x, _ in GRID_POINTS]
    points = info["points"]
    assert list(points.columns) == ["scenario", "scenario_file", "seed", "travel.cost_per_km_usd",
                                    "malpractice.mean_indemnity_usd", "status", "error"]
    assert list(points["status"]) == ["ok"] * 6 and set(points["seed"]) == {5}
    assert analysis.varied_keys(grid_file) == ["travel.cost_per_km_usd", "malpractice.mean_indemnity_usd"]
    assert analysis.is_sweep(grid_file)


def test_run_files_are_still_run_files(small_run):
    assert not analysis.is_sweep(small_run.path)
    assert "scenario" in analysis.run_info(small_run.path)
    with pytest.raises(ValueError, match="a licsim run file, not a sweep file"):
        analysis.sweep_points(small_run.path)


def test_a_sweep_file_without_its_plan_is_refused_by_name(grid_file, tmp_path):
    forged = tmp_path / "forged.h5"
    forged.write_bytes(grid_file.read_bytes())
    with h5py.File(forged, "r+") as f:
        del f.attrs["sweep_plan_toml"]
    reseal(forged, 2)
    with pytest.raises(ValueError, match="forged.h5: not a licsim sweep file .no root attribute sweep_plan_toml"):
        licsim.open(forged)


def test_failed_points_are_listed_with_their_error(failing_file):
    points = analysis.sweep_points(failing_file)
    assert list(points["status"]) == ["ok", "failed"]
    assert points["error"].iloc[0] == "" and "two_licenses_share" in points["error"].iloc[1]


# --- tables: per point, never pooled ----------------------------------------------------------

def test_summary_of_a_sweep_is_per_point(grid):
    table = analysis.summary(grid)
    assert table.index.names == ["point", "metric"]
    cost = per_replicate_total(grid.attrs["source"], "patient_cost_usd")
    got = table.xs("patient_cost_usd", level="metric")
    np.testing.assert_allclose(got["mean"], cost.mean(axis=1))
    np.testing.assert_allclose(got["low"], np.percentile(cost, 2.5, axis=1))
    assert got["mean"].nunique() == 3  # three travel costs: pooling would give one number
    for p in range(6):  # each point as the single run it is
        pd.testing.assert_frame_equal(table.xs(p, level="point"), analysis.summary(grid.sel(point=p)))


def test_shares_of_a_sweep_are_per_point_and_replicate(grid):
    shares = analysis.shares(grid)
    assert shares.index.names == ["point", "replicate"] and len(shares) == 18
    per_point = analysis.summary(shares)
    assert per_point.index.names == ["point", "metric"]
    for p in (0, 5):
        pd.testing.assert_frame_equal(per_point.xs(p, level="point"),
                                      analysis.summary(analysis.shares(grid.sel(point=p))))


def test_a_failed_points_totals_are_nan_not_zero(failing_file):
    # Its cells are NaN (_FillValue): a sum that skipped them would report 0 episodes.
    summary = analysis.summary(licsim.open(failing_file))
    assert summary.xs(1, level="point")["mean"].isna().all()
    assert summary.loc[(0, "episodes"), "mean"] > 0


def test_totals_keep_the_points(grid):
    t = analysis.totals(grid, keep=["jurisdiction"], variables="patient_cost_usd")
    assert t.patient_cost_usd.dims == ("point", "jurisdiction")
    cost = raw(grid.attrs["source"]).patient_cost_usd.sum(["replicate", "day"])
    np.testing.assert_allclose(t.patient_cost_usd.values, cost.values)


def test_sweep_summary_names_each_point_by_its_keys(grid):
    table = analysis.sweep_summary(grid)
    assert list(table.columns) == ["scenario", "travel.cost_per_km_usd", "malpractice.mean_indemnity_usd",
                                   "mean", "low", "high", "units"]
    cost = table.xs("patient_cost_usd", level="metric")
    assert [(a, b) for a, b in zip(cost["travel.cost_per_km_usd"], cost["malpractice.mean_indemnity_usd"])] == GRID_POINTS
    assert set(cost["units"]) == {"USD"}
    np.testing.assert_allclose(cost["mean"], analysis.summary(grid).xs("patient_cost_usd", level="metric")["mean"])
    share = table.xs("unmet_share", level="metric")
    np.testing.assert_allclose(share["mean"], analysis.summary(analysis.shares(grid)).xs("unmet_share", level="metric")["mean"])


POOLED = "'point' dimension .* would be pooled"


def test_sweep_functions_refuse_a_single_run(small_run):
    for f in (analysis.sweep_summary, lambda p: analysis.compare_points(p, 0),
              lambda p: analysis.plot_sweep(p, "unmet")):
        with pytest.raises(ValueError, match=r"small.h5: not a sweep \(no 'point' dimension\)"):
            f(small_run.path)


def test_tables_that_would_pool_the_points_refuse_them(grid_file, grid):
    with pytest.raises(ValueError, match=POOLED):
        analysis.summarize_values(analysis.shares(grid))
    with pytest.raises(ValueError, match=POOLED):
        analysis.compare(grid, grid)
    with pytest.raises(ValueError, match=POOLED):
        analysis.flow_table(licsim.open(grid_file, "flows"))
    with pytest.raises(ValueError, match=POOLED):
        analysis.per_jurisdiction(grid, "unmet")
    with pytest.raises(ValueError, match=POOLED):
        claims.visits(grid_file, "2019-01-01", "2019-01-31")
    with pytest.raises(ValueError, match=POOLED):
        claims.disrupted_relationships(grid_file, "2019-01-01", "2019-01-31")


def test_figures_that_would_pool_the_points_refuse_them(grid_file, grid):
    with pytest.raises(ValueError, match=POOLED):
        analysis.plot_flows(licsim.open(grid_file, "flows"))
    with pytest.raises(ValueError, match=POOLED):
        analysis.plot_by_jurisdiction(grid, "unmet")
    with pytest.raises(ValueError, match=POOLED):
        analysis.plot_tile_map(grid, "unmet")
    # It names the dimension there is (it named a 'run' dimension a sweep does not have).
    with pytest.raises(ValueError, match=r"select one value of point first \(e.g. ds.sel\(point=...\)\)"):
        analysis.plot_timeseries(grid, "unmet")
    plt.close("all")


# --- a point against a reference point ----------------------------------------------------------

def paired(path, variable, point, reference):
    """Mean paired difference and its 95% t interval, computed here from plain xarray."""
    from scipy import stats

    totals = per_replicate_total(path, variable)
    diff = totals[point] - totals[reference]
    half = stats.t.ppf(0.975, diff.size - 1) * diff.std(ddof=1) / np.sqrt(diff.size)
    return diff.mean(), diff.mean() - half, diff.mean() + half


def test_compare_points_pairs_replicates_against_the_reference(grid_file):
    table = analysis.compare_points(grid_file, {"travel.cost_per_km_usd": 0.2, "malpractice.mean_indemnity_usd": 1e5})
    assert table.attrs["reference"] == 0 and table.attrs["common_random_numbers"] is True
    assert table.index.names == ["point", "metric"] and sorted(set(table.index.get_level_values("point"))) == [1, 2, 3, 4, 5]
    assert list(table.columns) == ["scenario", "travel.cost_per_km_usd", "malpractice.mean_indemnity_usd",
                                   *analysis.sweeps.COMPARISON_COLUMNS]
    row = table.loc[(4, "patient_cost_usd")]  # travel cost 0.8 against 0.2
    mean, low, high = paired(grid_file, "patient_cost_usd", 4, 0)
    assert row["difference"] == pytest.approx(mean) and row["low"] == pytest.approx(low) and row["high"] == pytest.approx(high)
    assert row["travel.cost_per_km_usd"] == 0.8 and row["replicates"] == 3 and row["units"] == "USD"
    assert row["resolved"] and row["difference"] > 0
    assert row["relative"] == pytest.approx(mean / per_replicate_total(grid_file, "patient_cost_usd")[0].mean())
    # The indemnity changes nothing but payments: under common random numbers the episodes
    # forgone are the same, the interval is [0, 0] and the sweep does not resolve a difference.
    same = table.loc[(1, "unmet")]
    assert (same["difference"], same["low"], same["high"], same["resolved"]) == (0.0, 0.0, 0.0, False)
    for (point, metric), r in table.iterrows():
        assert r["resolved"] == (r["low"] > 0 or r["high"] < 0), (point, metric)


def test_paired_interval_is_tighter_than_the_spread_of_the_points(grid_file):
    """Pairing matters: replicate i of a point against replicate i of the reference (the same
    random numbers) gives a far narrower interval than the spread of either point's replicates."""
    table = analysis.compare_points(grid_file, 0)
    row = table.loc[(2, "patient_cost_usd")]
    spread = per_replicate_total(grid_file, "patient_cost_usd")[[0, 2]].std(axis=1, ddof=1).min()
    assert row["high"] - row["low"] < spread


def test_reference_point_is_one_point(grid):
    assert analysis.reference_point(grid, 3) == 3
    assert analysis.reference_point(grid, {"travel.cost_per_km_usd": 0.4, "malpractice.mean_indemnity_usd": 4e5}) == 3
    with pytest.raises(ValueError, match=r"2 points \(0, 1\) of this sweep match"):
        analysis.compare_points(grid, {"travel.cost_per_km_usd": 0.2})
    with pytest.raises(ValueError, match="no point of this sweep match"):
        analysis.compare_points(grid, {"travel.cost_per_km_usd": 0.3, "malpractice.mean_indemnity_usd": 1e5})
    with pytest.raises(ValueError, match="no coordinate 'travel.cost'"):
        analysis.compare_points(grid, {"travel.cost": 0.2})
    with pytest.raises(ValueError, match="no point 6 in this sweep"):
        analysis.compare_points(grid, 6)


def test_one_replicate_resolves_nothing(sampled_file):
    table = analysis.compare_points(sampled_file, 0, include_shares=False)
    assert table["low"].isna().all() and table["high"].isna().all()
    assert not table["resolved"].any() and set(table["replicates"]) <= {0, 1}


def test_a_failed_point_is_not_compared_and_cannot_be_the_reference(failing_file):
    table = analysis.compare_points(failing_file, 0)
    assert table["difference"].isna().all() and not table["resolved"].any()
    assert set(table["replicates"]) == {0}
    with pytest.raises(ValueError, match="reference point 1 has no results"):
        analysis.compare_points(failing_file, 1)


# --- figures -------------------------------------------------------------------------------------

def test_plot_sweep_draws_each_grid_line_against_the_key(grid, tmp_path):
    ax = analysis.plot_sweep(grid, "patient_cost_usd", x="travel.cost_per_km_usd")
    lines = [line for line in ax.get_lines() if line.get_label().startswith("malpractice")]
    assert [line.get_label() for line in lines] == ["malpractice.mean_indemnity_usd=100000",
                                                    "malpractice.mean_indemnity_usd=400000"]
    means = analysis.sweep_summary(grid).xs("patient_cost_usd", level="metric")["mean"].to_numpy()
    np.testing.assert_allclose(lines[0].get_xdata(), [0.2, 0.4, 0.8])
    np.testing.assert_allclose(lines[0].get_ydata(), means[[0, 2, 4]])
    np.testing.assert_allclose(lines[1].get_ydata(), means[[1, 3, 5]])
    assert ax.get_xlabel() == "travel.cost_per_km_usd" and "USD" in ax.get_ylabel()
    ax.figure.savefig(tmp_path / "sweep.png")
    with pytest.raises(ValueError, match="name the key to plot against"):
        analysis.plot_sweep(grid, "unmet")
    with pytest.raises(ValueError, match="'seed' is not a key this sweep varies"):
        analysis.plot_sweep(grid, "unmet", x="seed")
    plt.close("all")


def test_plot_sweep_of_a_share_against_a_sampled_range(sampled_file):
    ax = analysis.plot_sweep(sampled_file, "unmet_share", x="travel.cost_per_km_usd")
    (line,) = [line for line in ax.get_lines() if line.get_label() == "unmet_share"]  # not the error bars' caps
    assert line.get_linestyle() == "None" and len(line.get_xdata()) == 64  # sampled: points, not a line
    expected = analysis.summary(analysis.shares(licsim.open(sampled_file))).xs("unmet_share", level="metric")["mean"]
    order = np.argsort(analysis.sweep_points(sampled_file)["travel.cost_per_km_usd"].to_numpy(), kind="stable")
    np.testing.assert_allclose(line.get_ydata(), expected.to_numpy()[order])
    plt.close("all")


def test_plot_outcomes_draws_one_line_per_point(grid_file):
    fig = analysis.plot_outcomes(grid_file)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert len(labels) == 6
    assert labels[4] == "travel.cost_per_km_usd=0.8, malpractice.mean_indemnity_usd=100000"
    plt.close(fig)


# --- Sobol' indices from a sweep file ------------------------------------------------------------

def test_sobol_sweep_is_salibs_rbd_fast_on_the_points(sampled_file):
    from SALib.analyze import rbd_fast

    table = analysis.sobol_sweep(sampled_file, ["patient_cost_usd", "unmet_share"])
    assert list(table.columns) == ["output", "parameter", "S1", "S1_conf"]
    names = ["travel.cost_per_km_usd", "malpractice.mean_indemnity_usd"]
    x = analysis.sweep_points(sampled_file)[names].to_numpy()
    y = per_replicate_total(sampled_file, "patient_cost_usd").mean(axis=1)
    problem = {"num_vars": 2, "names": names, "bounds": [[0.1, 1.0], [100000, 600000]]}
    expected = rbd_fast.analyze(problem, x, y, M=10, num_resamples=200, conf_level=0.95, seed=0)
    got = table[table.output == "patient_cost_usd"]
    np.testing.assert_allclose(got["S1"], expected["S1"])
    np.testing.assert_allclose(got["S1_conf"], expected["S1_conf"])
    # The travel cost alone moves patients' cost; the indemnity does not.
    s1 = got.set_index("parameter")["S1"]
    assert s1["travel.cost_per_km_usd"] > 0.9 and s1["malpractice.mean_indemnity_usd"] < 0.1
    assert table.attrs["estimator"] == "rbd_fast"


def test_sobol_sweep_analyses_each_grid_cell_on_its_own(tmp_path_factory):
    from SALib.analyze import rbd_fast

    out, _ = _python_sweep(tmp_path_factory, "by_cell", SAMPLED_BY_CELL)
    table = analysis.sobol_sweep(out, "patient_cost_usd", harmonics=3)
    assert list(table.columns) == ["travel.time_cost_per_visit_usd", "output", "parameter", "S1", "S1_conf"]
    assert list(table["travel.time_cost_per_visit_usd"]) == [10, 10, 50, 50]
    names = list(SAMPLED_BY_CELL["sample"]["ranges"])
    points = analysis.sweep_points(out)
    y = per_replicate_total(out, "patient_cost_usd").mean(axis=1)
    problem = {"num_vars": 2, "names": names, "bounds": list(SAMPLED_BY_CELL["sample"]["ranges"].values())}
    second = (points["travel.time_cost_per_visit_usd"] == 50).to_numpy()
    expected = rbd_fast.analyze(problem, points[names].to_numpy()[second], y[second], M=3, num_resamples=200,
                                conf_level=0.95, seed=0)
    np.testing.assert_allclose(table["S1"].to_numpy()[2:], expected["S1"])


def test_sobol_sweep_refuses_what_it_cannot_analyse(grid_file, sampled_file, failing_file):
    with pytest.raises(ValueError, match=r"no \[sample\] table: a grid"):
        analysis.sobol_sweep(grid_file)
    with pytest.raises(ValueError, match="64 points per sample set are too few for 16 harmonics"):
        analysis.sobol_sweep(sampled_file, harmonics=16)
    with pytest.raises(KeyError, match="unknown output 'unmett'"):
        analysis.sobol_sweep(sampled_file, "unmett")
    with pytest.raises(ValueError, match="no \\[sample\\] table"):
        analysis.sobol_sweep(failing_file)
    # A failed point's cells are NaN: the estimator needs every point, so it says which are missing.
    ds = licsim.open(sampled_file)
    ds["patient_cost_usd"][dict(point=3)] = np.nan
    with pytest.raises(ValueError, match=r"'patient_cost_usd' is NaN at point\(s\) 3 \(failed points"):
        analysis.sobol_sweep(ds, "patient_cost_usd")
