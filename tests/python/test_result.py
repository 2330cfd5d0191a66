"""licsim.run and licsim.Result: the same numbers and the same file as the CLI, without copies."""

from __future__ import annotations

import gc
import textwrap
import threading
import time
import tomllib

import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import SCENARIO, SMALL, fixed_creation_time, licsim, interrupt_child


@pytest.fixture(scope="module")
def result():
    """The conftest's small CLI run (state_only, seed 7, 3 replicates, 62 days), from Python."""
    return licsim.run(SCENARIO, **SMALL)


def test_saved_file_is_byte_identical_to_the_cli_file(result, small_run, tmp_path):
    output = tmp_path / "python.h5"
    with fixed_creation_time():
        assert result.save(output) == output
    assert output.read_bytes() == small_run.path.read_bytes()


def test_run_from_text_and_dict_equals_run_from_file(result, tmp_path):
    text = licsim.run(licsim.Scenario(SCENARIO.read_text(), base_dir=SCENARIO.parent), **SMALL)
    from_dict = licsim.run({"base": SCENARIO.as_posix()}, **SMALL)
    for other in (text, from_dict):
        np.testing.assert_array_equal(other.daily, result.daily)
        np.testing.assert_array_equal(other.flows, result.flows)


@pytest.mark.parametrize("group", licsim.GROUPS)
def test_to_xarray_matches_the_file(result, small_run, group):
    ds = result.to_xarray(group)
    on_disk = licsim.open(small_run.path, group)
    for name in ("source", "created_utc"):
        on_disk.attrs.pop(name)
    xr.testing.assert_identical(ds, on_disk)
    plain = xr.load_dataset(small_run.path, group=group, engine="h5netcdf")
    assert sorted(ds.data_vars) == sorted(plain.data_vars)  # the file lists them alphabetically
    for name in plain.data_vars:
        assert ds[name].dtype == plain[name].dtype, name  # int32 counts, float64 otherwise
        assert ds[name].dims == plain[name].dims, name
        assert ds[name].attrs == plain[name].attrs, name
    for name in plain.coords:
        assert ds[name].attrs == plain[name].attrs, name
        assert ds[name].dtype.kind == plain[name].dtype.kind or {ds[name].dtype.kind, plain[name].dtype.kind} == {"O", "U"}
    assert ds.attrs["description"] == plain.attrs["description"]


def test_to_xarray_rejects_other_groups(result):
    with pytest.raises(ValueError, match="groups: metrics, breakdown, flows, regimes"):
        result.to_xarray("nope")


def test_arrays_are_read_only_views_of_the_engine_results(result):
    daily = result.daily
    assert daily.shape == (3, 62, 51, len(licsim.DAILY_METRICS))
    assert daily.dtype == np.float64 and daily.flags.c_contiguous
    assert not daily.flags.writeable and not daily.flags.owndata
    assert np.shares_memory(daily, result.daily)  # the same C++ buffer each time: no copy
    with pytest.raises(ValueError):
        daily[0, 0, 0, 0] = 1.0
    episodes = result.metric("episodes")
    assert np.shares_memory(episodes, daily)
    assert result.flows.shape == (3, result.to_xarray("flows").sizes["month"], len(result.places), len(result.places), 2)
    assert result.breakdown.shape[:3] == (3, 3, 51)
    assert result.by_authority.shape[-2:] == (11, 2) and result.by_pathway.shape[-2:] == (5, 4)


def test_float_variables_of_the_metrics_dataset_are_views(result):
    ds = result.to_xarray()
    assert np.shares_memory(ds["indemnity_usd"].values, result.daily)


def test_arrays_outlive_the_result():
    r = licsim.run(SCENARIO, days=5, scale=0.0002)
    daily, expected = r.daily, r.daily.copy()
    del r
    gc.collect()
    np.testing.assert_array_equal(daily, expected)


def test_headline_matches_the_data(result):
    headline = result.headline().set_index("metric")
    episodes = result.metric("episodes").sum(axis=(1, 2))
    assert headline.loc["episodes", "mean"] == pytest.approx(episodes.mean() / result.scale)
    assert headline.loc["indemnity", "units"] == "USD"
    agents = result.headline(national=False).set_index("metric")
    assert agents.loc["episodes", "mean"] == pytest.approx(episodes.mean())
    assert agents.loc["episodes", "basis"] == "agents"
    # Waits and shares do not scale.
    for name in ("mean wait", "telehealth share of served"):
        assert agents.loc[name, "mean"] == headline.loc[name, "mean"]
    assert "1:2,000 (scale 0.0005)" in result.headline().attrs["note"]
    assert "over 3 replicates" in result.headline().attrs["note"]


def test_result_properties(result):
    assert (result.seed, result.replicates, result.days, result.scale) == (7, 3, 62, 0.0005)
    assert result.start_date == result.scenario["simulation.start_date"]
    assert result.jurisdictions == result.scenario.jurisdictions
    assert result.month_start_day[0] == 0 and result.patients > 0
    assert "seed 7" in repr(result)


def test_results_do_not_depend_on_threads(result):
    one = licsim.run(SCENARIO, **{**SMALL, "threads": 1})
    np.testing.assert_array_equal(one.daily, result.daily)


def test_save_refuses_to_overwrite(result, tmp_path):
    output = tmp_path / "out.h5"
    output.write_bytes(b"keep")
    with pytest.raises(licsim.OutputError, match="already exists"):
        result.save(output)
    assert output.read_bytes() == b"keep"
    result.save(output, force=True)
    assert h5py.is_hdf5(output)


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"seed": -1}, r"--seed: expected an integer in \[0, 18446744073709551615\], got -1"),
        ({"seed": 2**64}, "--seed"),
        ({"seed": 1.5}, "--seed"),
        ({"replicates": 0}, "--replicates"),
        ({"days": -1}, "--days"),
        ({"scale": 0.0}, "--scale"),
        ({"threads": -1}, "--threads"),
    ],
)
def test_bad_settings_raise_usage_error(settings, message):
    with pytest.raises(licsim.UsageError, match=message):
        licsim.run(SCENARIO, **settings)


def test_seed_range_is_the_cli_range():
    licsim.run(SCENARIO, seed=2**64 - 1, days=1, scale=0.0002)


# --- progress, GIL, interruption ---------------------------------------------------------


def _spinup_days() -> int:
    return tomllib.loads(licsim.resolved_scenario(SCENARIO))["simulation"]["spinup_days"]


def test_progress_callback_is_rate_limited_and_ends_at_the_total():
    calls = []
    licsim.run(SCENARIO, days=30, replicates=2, scale=0.0002, progress=lambda done, total: calls.append((done, total)))
    total_days = 2 * (30 + _spinup_days())  # the spin-up is simulated too
    assert calls[-1] == (total_days, total_days)
    assert all(total == total_days for _, total in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) < 100  # at most every 0.1 s, and this run takes well under 10 s


def test_progress_callback_errors_propagate():
    def fail(done, total):
        raise RuntimeError("bar broke")

    with pytest.raises(RuntimeError, match="bar broke"):
        licsim.run(SCENARIO, days=5, scale=0.0002, progress=fail)


def test_progress_bar_with_tqdm(capsys):
    licsim.run(SCENARIO, days=5, scale=0.0002, progress=True)
    total_days = 5 + _spinup_days()
    assert f"{total_days}/{total_days}" in capsys.readouterr().err


def test_run_releases_the_gil():
    """Another Python thread keeps running while the engine simulates."""
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    thread = threading.Thread(target=count)
    thread.start()
    try:
        start = time.monotonic()
        licsim.run(SCENARIO, days=60, scale=0.01, threads=1, progress=False)
        end = time.monotonic()
    finally:
        stop.set()
        thread.join()
    during = [t for t in ticks if start < t < end]
    # Days of a few ms: holding the GIL would allow a tick only between two days (60 at most);
    # released, the thread ticks about once a millisecond all through the run.
    print(f"{len(during)} ticks in {end - start:.3f} s")
    assert end - start > 0.1
    assert len(during) > 0.3 * (end - start) / 0.001


def test_ctrl_c_interrupts_run():
    script = textwrap.dedent(
        f"""
        import licsim
        print("ready", flush=True)
        try:
            licsim.run({str(SCENARIO)!r}, scale=0.01, days=3650, progress=False)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        else:
            print("finished", flush=True)
        """
    )
    stdout, stderr, returncode = interrupt_child(script, "licsim.run")
    assert returncode == 0, stderr
    assert stdout.strip() == "interrupted"


def test_every_array_of_the_output_schema_is_shaped_by_its_dimensions(result):
    for group in licsim._core.output_schema:
        ds = result.to_xarray(group["name"])
        for array in group["arrays"]:
            values = result.array(array["name"])
            shape = tuple(ds.sizes[d] for d in array["dims"])
            if len(array["slots"]) > 1:
                shape += (len(array["slots"]),)
            assert values.shape == shape, array["name"]
            assert not values.flags.writeable
    with pytest.raises(KeyError, match="no result array 'nope' \\(arrays: daily, breakdown"):
        result.array("nope")
    with pytest.raises(KeyError, match="group flows has no variable 'episodes'"):
        result._run.variable("flows", "episodes")
