"""licsim.analysis on a small real run, checked against plain xarray/numpy arithmetic."""

from __future__ import annotations

import dataclasses

import h5py
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import xarray as xr

from conftest import SCENARIO, fixed_creation_time, licsim
from licsim import analysis

SERVED = [
    "served_in_person",
    "served_telehealth_in_state",
    "served_telehealth_cross_state",
    "served_telehealth_international",
]
TELE = SERVED[1:]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def ds(small_run):
    return analysis.open_result(small_run.path)


def per_replicate_sum(metrics, name):
    return metrics[name].sum(["day", "jurisdiction"]).values


def weighted_wait(metrics, dims=("day", "jurisdiction")):
    served = sum(metrics[v] for v in SERVED)
    return ((metrics["wait_days_mean"].fillna(0) * served).sum(dims) / served.sum(dims)).values


def test_backend_is_agg():
    assert matplotlib.get_backend().lower() == "agg"


# --- opening files -----------------------------------------------------------------------


def test_open_result_reads_every_group(small_run, metrics):
    ds = analysis.open_result(small_run.path)
    xr.testing.assert_equal(ds, metrics)
    assert ds.attrs["seed"] == small_run.seed
    assert ds.attrs["source"] == str(small_run.path)
    assert ds.attrs["licsim_version"] == licsim.__version__
    for group in analysis.GROUPS:
        assert analysis.open_result(small_run.path, group).data_vars


def test_open_result_rejects_a_text_file(tmp_path):
    path = tmp_path / "notes.h5"
    path.write_text("hello")
    with pytest.raises(ValueError, match=f"{path}: not a licsim result file"):
        analysis.open_result(path)


def test_open_result_rejects_hdf5_from_elsewhere(tmp_path):
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f.create_group("metrics").create_dataset("x", data=[1, 2, 3])
    with pytest.raises(ValueError, match=f"{path}: not a licsim result file .an HDF5 file without licsim's seal"):
        analysis.open_result(path)


def test_open_result_names_a_missing_group(small_run):
    with pytest.raises(ValueError, match="no group 'nope'.*breakdown, flows, metrics"):
        analysis.open_result(small_run.path, "nope")


def test_open_result_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.h5"):
        analysis.open_result(tmp_path / "absent.h5")


def test_run_info(small_run):
    info = analysis.run_info(small_run.path)
    assert info["seed"] == small_run.seed
    assert info["replicates"] == small_run.replicates
    assert info["scale"] == small_run.scale
    assert info["scenario"]["meta"]["name"] == "state_only"


@pytest.fixture(scope="module")
def second_run(tmp_path_factory, small_run):
    """The small run with privately insured patients far likelier to forgo care, from Python, same seed."""
    output = tmp_path_factory.mktemp("second") / "reform.h5"
    with fixed_creation_time():
        licsim.run_to_file(
            SCENARIO, output, seed=small_run.seed, replicates=small_run.replicates, scale=small_run.scale,
            days=small_run.days, overrides={"coverage.private.forgo_prob": 0.5},
        )
    return output


def test_open_results_stacks_runs(small_run, second_run):
    both = analysis.open_results({"base": small_run.path, "reform": second_run})
    assert both["episodes"].dims == ("run", "replicate", "day", "jurisdiction")
    assert list(both["run"].values) == ["base", "reform"]
    xr.testing.assert_equal(both["unmet"].sel(run="reform", drop=True), analysis.open_result(second_run)["unmet"])
    by_name = analysis.open_results([small_run.path, second_run])
    assert list(by_name["run"].values) == ["small", "reform"]


def test_open_results_refuses_different_days(small_run, tmp_path):
    short = tmp_path / "short.h5"
    licsim.run_to_file(SCENARIO, short, days=10, replicates=small_run.replicates, scale=small_run.scale)
    with pytest.raises(ValueError, match="coordinate 'day' differs"):
        analysis.open_results([small_run.path, short])


def test_open_results_refuses_duplicate_labels(small_run):
    with pytest.raises(ValueError, match="duplicate labels"):
        analysis.open_results([small_run.path, small_run.path])


# --- tables ------------------------------------------------------------------------------


def test_tidy_one_variable(ds, metrics):
    table = analysis.tidy(ds, "episodes")
    assert list(table.columns) == ["replicate", "day", "jurisdiction", "metric", "value", "units"]
    assert len(table) == metrics["episodes"].size
    assert table["value"].sum() == int(metrics["episodes"].sum())
    row = table[(table.replicate == 1) & (table.jurisdiction == "TX")].sort_values("day").iloc[4]
    assert row["value"] == int(metrics["episodes"].sel(replicate=1, jurisdiction="TX").isel(day=4))
    assert set(table["units"]) == {"1"}


def test_tidy_several_variables(ds):
    table = analysis.tidy(ds, ["unmet", "indemnity_usd"])
    assert set(table["metric"]) == {"unmet", "indemnity_usd"}
    assert set(table.loc[table.metric == "indemnity_usd", "units"]) == {"USD"}
    with pytest.raises(KeyError, match="nonsense"):
        analysis.tidy(ds, "nonsense")


def test_replicate_totals(ds, metrics, small_run):
    totals = analysis.replicate_totals(ds)
    assert list(totals.index) == list(range(small_run.replicates))
    assert set(totals.columns) == set(metrics.data_vars)
    for name in ("episodes", "unmet", "served_telehealth_cross_state", "indemnity_usd", "applications_submitted"):
        np.testing.assert_allclose(totals[name].to_numpy(), per_replicate_sum(metrics, name))
    for stock in ("authorizations_active", "applications_pending", "waiting"):
        end = metrics[stock].isel(day=-1).sum("jurisdiction").values
        np.testing.assert_array_equal(totals[stock].to_numpy(), end)
        assert (totals[stock].to_numpy() != per_replicate_sum(metrics, stock)).any()
    np.testing.assert_allclose(totals["wait_days_mean"].to_numpy(), weighted_wait(metrics))


def test_replicate_totals_conserve_episodes(small_run, run_cli, tmp_path):
    # From an empty history (no spin-up), every episode that ends also arose in the file.
    empty = dataclasses.replace(small_run, path=tmp_path / "empty.h5",
                                overrides={**small_run.overrides, "simulation.spinup_days": "0"})
    assert run_cli("run", *empty.cli_args(empty.path)).returncode == 0
    t = analysis.replicate_totals(analysis.open_result(empty.path))
    np.testing.assert_array_equal(t["episodes"], t[SERVED].sum(axis=1) + t["unmet"] + t["waiting"])


def test_replicate_totals_by_jurisdiction(ds, metrics):
    t = analysis.replicate_totals(ds, by_jurisdiction=True)
    assert t.index.names == ["replicate", "jurisdiction"]
    assert len(t) == metrics.sizes["replicate"] * 51
    assert t.loc[(2, "CA"), "episodes"] == int(metrics["episodes"].sel(replicate=2, jurisdiction="CA").sum())
    np.testing.assert_allclose(
        t["wait_days_mean"].to_numpy(), weighted_wait(metrics, ("day",)).ravel(), equal_nan=True
    )
    national = t.groupby("replicate").sum()
    np.testing.assert_array_equal(national["episodes"], per_replicate_sum(metrics, "episodes"))


def test_summary_mean_and_percentiles(ds, metrics):
    table = analysis.summary(ds)
    assert list(table.columns) == ["mean", "low", "high", "units"]
    values = per_replicate_sum(metrics, "unmet")
    assert table.loc["unmet", "mean"] == pytest.approx(values.mean())
    assert table.loc["unmet", "low"] == pytest.approx(np.percentile(values, 2.5))
    assert table.loc["unmet", "high"] == pytest.approx(np.percentile(values, 97.5))
    assert table.loc["patient_cost_usd", "units"] == "USD"
    wider = analysis.summary(ds, low=0, high=100)
    assert wider.loc["unmet", "low"] == values.min() and wider.loc["unmet", "high"] == values.max()


def test_summary_agrees_with_the_engine_headline(ds, small_run, tmp_path):
    headline = licsim.run_to_file(
        SCENARIO, tmp_path / "again.h5", seed=small_run.seed, replicates=small_run.replicates,
        scale=small_run.scale, days=small_run.days,
    ).set_index("metric")
    table = analysis.summary(ds)
    pairs = {
        "episodes": "episodes",
        "served in person": "served_in_person",
        "telehealth, cross-state": "served_telehealth_cross_state",
        "unmet (forgone)": "unmet",
        "mean wait": "wait_days_mean",
        "patient cost": "patient_cost_usd",
        "authorizations active (end)": "authorizations_active",
        "applications pending (end)": "applications_pending",
    }
    for engine_name, name in pairs.items():
        national = 1 if engine_name == "mean wait" else 1 / small_run.scale  # the headline is national
        for column in ("mean", "low", "high"):
            assert table.loc[name, column] * national == pytest.approx(headline.loc[engine_name, column], rel=1e-9), (
                name, column)


def test_shares(ds, metrics):
    shares = analysis.shares(ds)
    assert list(shares.columns) == list(analysis.SHARES)
    tele = sum(per_replicate_sum(metrics, v) for v in TELE)
    served = sum(per_replicate_sum(metrics, v) for v in SERVED)
    np.testing.assert_allclose(shares["cross_state_share_of_telemedicine"], per_replicate_sum(metrics, "served_telehealth_cross_state") / tele)
    np.testing.assert_allclose(shares["telemedicine_share_of_encounters"], tele / served)
    np.testing.assert_allclose(shares["unmet_share"], per_replicate_sum(metrics, "unmet") / per_replicate_sum(metrics, "episodes"))
    assert ((shares >= 0) & (shares <= 1)).all().all()


def test_shares_by_jurisdiction_are_nan_without_telemedicine(ds):
    shares = analysis.shares(ds, by_jurisdiction=True)
    totals = analysis.replicate_totals(ds, by_jurisdiction=True)
    no_tele = totals[TELE].sum(axis=1) == 0
    assert shares.loc[no_tele, "cross_state_share_of_telemedicine"].isna().all()
    assert shares.loc[~no_tele, "cross_state_share_of_telemedicine"].notna().all()


def test_shares_of_pooled_totals(ds):
    pooled = analysis.replicate_totals(ds).sum()
    shares = analysis.shares(pooled.to_frame().T)
    expected = pooled["served_telehealth_cross_state"] / pooled[TELE].sum()
    assert shares["cross_state_share_of_telemedicine"].iloc[0] == pytest.approx(expected)


def test_summary_of_shares(ds):
    table = analysis.summary(analysis.shares(ds))
    assert set(table.index) == set(analysis.SHARES)
    assert set(table["units"]) == {"1"}


# --- compare -----------------------------------------------------------------------------


def test_compare_with_itself_is_zero(ds):
    table = analysis.compare(ds, ds)
    assert (table["difference"] == 0).all() and (table["low"] == 0).all() and (table["high"] == 0).all()
    assert table.loc["episodes", "baseline"] == table.loc["episodes", "scenario"]


def test_compare_paired_differences(small_run, second_run):
    table = analysis.compare(small_run.path, second_run)
    base = analysis.replicate_totals(analysis.open_result(small_run.path))
    reform = analysis.replicate_totals(analysis.open_result(second_run))
    diff = (reform["unmet"] - base["unmet"]).to_numpy(dtype=float)
    row = table.loc["unmet"]
    assert row["baseline"] == pytest.approx(base["unmet"].mean())
    assert row["scenario"] == pytest.approx(reform["unmet"].mean())
    assert row["difference"] == pytest.approx(diff.mean())
    assert row["low"] == pytest.approx(np.percentile(diff, 2.5))
    assert row["high"] == pytest.approx(np.percentile(diff, 97.5))
    assert row["relative"] == pytest.approx(diff.mean() / base["unmet"].mean())
    assert "unmet_share" in table.index
    # Direction check: a higher forgo probability leaves more episodes unmet in every replicate.
    assert row["low"] > 0


def test_compare_refuses_unpaired_runs(small_run, tmp_path):
    other = tmp_path / "two.h5"
    licsim.run_to_file(SCENARIO, other, days=small_run.days, replicates=2, scale=small_run.scale)
    with pytest.raises(ValueError, match="different replicates"):
        analysis.compare(small_run.path, other)


# --- figures -----------------------------------------------------------------------------


def test_timeseries_plots_the_national_daily_total(ds, metrics):
    ax = analysis.plot_timeseries(ds, "episodes")
    (line,) = ax.get_lines()
    expected = metrics["episodes"].sum("jurisdiction").mean("replicate").values
    np.testing.assert_allclose(line.get_ydata(), expected)
    assert len(line.get_xdata()) == metrics.sizes["day"]
    assert ax.get_legend() is not None


def test_timeseries_rolling_mean(ds, metrics):
    ax = analysis.plot_timeseries(ds, ["served_telehealth_in_state", "served_in_person"], rolling=7, band=False)
    lines = ax.get_lines()
    assert len(lines) == 4  # daily (faint) and 7-day mean for each variable
    daily = metrics["served_in_person"].sum("jurisdiction")
    expected = daily.rolling(day=7).mean().mean("replicate").values
    np.testing.assert_allclose(lines[3].get_ydata(), expected, equal_nan=True)
    assert np.isnan(lines[3].get_ydata()[:6]).all()
    assert "7-day mean" in lines[3].get_label()


def test_timeseries_band_over_replicates(ds):
    ax = analysis.plot_timeseries(ds, "unmet", band=True)
    assert len(ax.collections) == 1
    ax = analysis.plot_timeseries(ds.isel(replicate=[0]), "unmet", band=True)
    assert len(ax.collections) == 0


def test_timeseries_of_mean_wait_is_weighted(ds, metrics):
    ax = analysis.plot_timeseries(ds, "wait_days_mean", band=False)
    expected = np.nanmean(weighted_wait(metrics, ("jurisdiction",)), axis=0)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), expected, equal_nan=True)


def test_timeseries_draws_on_given_axes(ds):
    fig, ax = plt.subplots()
    assert analysis.plot_timeseries(ds, "episodes", ax=ax) is ax


def test_bar_chart_per_jurisdiction(ds, metrics):
    ax = analysis.plot_by_jurisdiction(ds, "episodes")
    bars = ax.patches
    assert len(bars) == 51
    heights = np.array([b.get_height() for b in bars])
    assert (np.diff(heights) <= 0).all()  # sorted, largest first
    labels = [t.get_text() for t in ax.get_xticklabels()]
    expected = metrics["episodes"].sum("day").mean("replicate").to_series()
    assert heights[labels.index("CA")] == pytest.approx(expected["CA"])
    assert heights[0] == pytest.approx(expected.max())


def test_bar_chart_of_a_series(ds):
    share = analysis.shares(ds, by_jurisdiction=True)["cross_state_share_of_telemedicine"].groupby("jurisdiction").mean()
    ax = analysis.plot_by_jurisdiction(share, sort=False)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(share.index)
    assert "cross state share" in ax.get_ylabel()


def test_bar_chart_needs_a_variable(ds):
    with pytest.raises(ValueError, match="variable"):
        analysis.plot_by_jurisdiction(ds)
