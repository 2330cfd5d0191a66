"""licsim sweep / merge from the command line: resume after a kill, MPI ranks,
shards and failing points all give the file one uninterrupted process gives."""
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

ROOT = Path(__file__).resolve().parents[2]

# 2 scenarios x 3 values x 2 values = 12 small points; one value makes an
# invalid combination (two + three-plus license shares above 1): those points fail.
SWEEP = """
[sweep]
name = "test"
scenarios = ["{root}/tests/python/quick/state_only.toml", "{root}/tests/python/quick/imlc.toml"]
seed = 11
replicates = 1
scale = 0.0002
days = {days}

[grid]
"compact.loq_fee_usd" = [350, 700, 1400]
"clinicians.two_licenses_share" = [0.157, {bad}]
"""


REFERENCE_SECONDS: list[float] = []  # how long the uninterrupted sweep took


def write_sweep(tmp_path, days=45, bad=0.2):
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP.format(root=ROOT, days=days, bad=bad))
    return path


def sweep(cli, *args, env=None, check=True):
    e = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", OMP_NUM_THREADS="1")
    e.update(env or {})
    proc = subprocess.run([cli, "sweep", *map(str, args)], capture_output=True, text=True, env=e)
    if check and proc.returncode not in (0, 3):
        raise AssertionError(f"rc={proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def same_file(a, b):
    return Path(a).read_bytes() == Path(b).read_bytes()


@pytest.fixture(scope="module")
def whole(cli, tmp_path_factory):
    """The reference: one process, uninterrupted."""
    tmp = tmp_path_factory.mktemp("whole")
    spec = write_sweep(tmp)
    out = tmp / "whole.h5"
    start = time.perf_counter()
    proc = sweep(cli, spec, "-o", out, "--threads", "1")
    assert proc.returncode == 0, proc.stderr
    REFERENCE_SECONDS.append(time.perf_counter() - start)
    return spec, out


def test_sweep_file_has_a_point_dimension_with_the_varied_keys_as_coordinates(whole):
    _, out = whole
    ds = xr.open_dataset(out, group="metrics", engine="h5netcdf")
    assert ds.sizes["point"] == 12
    assert list(ds.scenario.values[:6]) == ["state_only"] * 6 and list(ds.scenario.values[6:]) == ["imlc"] * 6
    # Row-major grid: the last axis varies fastest.
    assert list(ds["compact.loq_fee_usd"].values[:6]) == [350, 350, 700, 700, 1400, 1400]
    assert list(ds["clinicians.two_licenses_share"].values[:2]) == [0.157, 0.2]
    assert ds.episodes.dims == ("point", "replicate", "day", "jurisdiction")
    points = xr.open_dataset(out, group="points", engine="h5netcdf")
    assert set(points.status.values) == {"ok"}
    # Independent seeds: every point its own.
    assert len(set(points.seed.values.tolist())) == 12
    # Each point's scenario is stored, with its overrides applied.
    assert "loq_fee_usd = 1400" in points.scenario_toml.values[4]
    with h5py.File(out) as f:
        assert "[grid]" in f.attrs["sweep_file_toml"]
        assert f.attrs["licsim_file"] == "sweep"


def test_a_point_equals_the_same_run_done_alone(cli, whole, tmp_path):
    _, out = whole
    points = xr.open_dataset(out, group="points", engine="h5netcdf")
    seed = int(points.seed.values[9])  # imlc, fee 700, two-license share 0.2
    single = tmp_path / "single.h5"
    subprocess.run([cli, "run", ROOT / "tests/python/quick/imlc.toml", "-o", single, "--seed", str(seed), "--scale", "0.0002",
                    "--days", "45", "--threads", "1", "-q", "--set", "compact.loq_fee_usd=700",
                    "--set", "clinicians.two_licenses_share=0.2"], check=True)
    a = xr.open_dataset(out, group="metrics", engine="h5netcdf").episodes.isel(point=9).values
    b = xr.open_dataset(single, group="metrics", engine="h5netcdf").episodes.values
    np.testing.assert_array_equal(a, b)


def test_killed_sweep_resumed_equals_the_uninterrupted_one(cli, whole, tmp_path):
    spec, ref = whole
    out = tmp_path / "resumed.h5"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", OMP_NUM_THREADS="1")
    proc = subprocess.Popen([cli, "sweep", spec, "-o", out, "--threads", "1", "-q"], env=env)
    parts = Path(str(out) + ".parts")
    deadline = time.time() + 60
    while time.time() < deadline and len(list(parts.glob("point-*.h5"))) < 3:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("point-*.h5")))
    assert 3 <= done < 12, "the kill should land part-way"
    assert not out.exists()
    # Without --resume the interrupted work is not thrown away silently.
    refused = sweep(cli, spec, "-o", out, check=False)
    assert refused.returncode == 2 and "--resume" in refused.stderr
    resumed = sweep(cli, spec, "-o", out, "--resume", "--threads", "1")
    assert f"{done} already done" in resumed.stderr
    assert same_file(out, ref)
    assert not parts.exists()


def test_killed_again_and_again_at_random_moments_it_still_ends_with_the_same_file(cli, whole, tmp_path):
    """SIGKILL at random moments (while points run, while the file is assembled), resuming each
    time: the output path never holds a partial file, and the end result is the reference."""
    import random

    spec, ref = whole
    out = tmp_path / "hammered.h5"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", OMP_NUM_THREADS="1")
    rng = random.Random(4)
    kills = 0
    for attempt in range(40):
        proc = subprocess.Popen([cli, "sweep", spec, "-o", out, "--threads", "1", "-q", "--resume"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            # Moments spread over a whole run's time, so kills land in every phase.
            proc.wait(timeout=rng.uniform(0.02, 0.8) * REFERENCE_SECONDS[0])
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            kills += 1
        if out.exists():
            with h5py.File(out) as f:  # complete and readable whenever it is there
                assert f["points/status"].shape == (12,)
        if proc.returncode == 0:
            break
    assert proc.returncode == 0 and kills >= 1
    assert same_file(out, ref)
    assert not Path(str(out) + ".parts").exists()


def test_sigint_keeps_finished_points_and_resume_finishes(cli, whole, tmp_path):
    spec, ref = whole
    out = tmp_path / "sigint.h5"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", OMP_NUM_THREADS="1")
    proc = subprocess.Popen([cli, "sweep", spec, "-o", out, "--threads", "1", "-q"], env=env,
                            stderr=subprocess.PIPE, text=True)
    parts = Path(str(out) + ".parts")
    deadline = time.time() + 60
    while time.time() < deadline and len(list(parts.glob("point-*.h5"))) < 2:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130 and "--resume" in err
    sweep(cli, spec, "-o", out, "--resume", "--threads", "1")
    assert same_file(out, ref)


def test_resume_after_the_file_was_written_only_tidies_up(cli, whole, tmp_path):
    spec, ref = whole
    out = tmp_path / "written.h5"
    shutil.copyfile(ref, out)
    parts = Path(str(out) + ".parts")
    parts.mkdir()  # as if killed after the rename, before the folder was removed
    with h5py.File(ref) as f:
        (parts / "plan.toml").write_text(f.attrs["sweep_plan_toml"])
    proc = sweep(cli, spec, "-o", out, "--resume")
    assert proc.returncode == 0 and "already complete" in proc.stdout
    assert not parts.exists() and same_file(out, ref)


def test_resume_refuses_a_changed_sweep(cli, whole, tmp_path):
    spec, _ = whole
    out = tmp_path / "changed.h5"
    parts = Path(str(out) + ".parts")
    parts.mkdir()
    (parts / "plan.toml").write_text("something else")
    proc = sweep(cli, spec, "-o", out, "--resume", check=False)
    assert proc.returncode == 2 and "different sweep" in proc.stderr


def test_shards_merged_equal_the_whole(cli, whole, tmp_path):
    spec, ref = whole
    shards = []
    for i in range(3):
        out = tmp_path / f"shard{i}.h5"
        proc = sweep(cli, spec, "-o", out, "--shard", f"{i}/3", "--threads", "1")
        assert proc.returncode == 0, proc.stderr
        shards.append(out)
    with h5py.File(shards[1]) as f:
        assert list(f["points/point"][:]) == [1, 4, 7, 10]
    merged = tmp_path / "merged.h5"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    proc = subprocess.run([cli, "merge", "-o", merged, *shards[::-1]], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert same_file(merged, ref)
    # A missing shard is named, not papered over.
    proc = subprocess.run([cli, "merge", "-o", tmp_path / "partial.h5", *shards[:2]], capture_output=True, text=True)
    assert proc.returncode == 2 and "missing" in proc.stderr
    # Foreign and truncated files are named.
    text = tmp_path / "notes.h5"
    text.write_text("not HDF5")
    truncated = tmp_path / "truncated.h5"
    truncated.write_bytes(shards[2].read_bytes()[: shards[2].stat().st_size // 2])
    for bad in (text, truncated, ROOT / "scenarios/state_only.toml"):
        proc = subprocess.run([cli, "merge", "-o", tmp_path / "bad.h5", shards[0], shards[1], bad],
                              capture_output=True, text=True)
        assert proc.returncode in (1, 2) and str(bad) in proc.stderr, proc.stderr
        assert not (tmp_path / "bad.h5").exists()
    # The same point twice is refused.
    proc = subprocess.run([cli, "merge", "-o", tmp_path / "twice.h5", shards[0], shards[0]],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "in both" in proc.stderr


@pytest.mark.skipif(shutil.which("mpirun") is None, reason="Open MPI is not installed")
def test_mpirun_two_ranks_equal_one_process(cli, whole, tmp_path):
    spec, ref = whole
    out = tmp_path / "mpi.h5"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", OMPI_ALLOW_RUN_AS_ROOT="1",
               OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_btl_vader_single_copy_mechanism="none",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    proc = subprocess.run(["mpirun", "-n", "2", cli, "sweep", spec, "-o", out, "--threads", "1"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "on 2 ranks" in proc.stderr
    assert same_file(out, ref)


def test_failing_points_are_recorded_and_the_others_complete(cli, tmp_path):
    spec = write_sweep(tmp_path, days=20, bad=0.99)
    out = tmp_path / "failing.h5"
    dry = sweep(cli, spec, "--dry-run", check=False)
    assert dry.returncode == 3 and dry.stdout.count("-> would fail") == 6 and "12 point(s), 6 would fail" in dry.stdout
    proc = sweep(cli, spec, "-o", out, "--threads", "1")
    assert proc.returncode == 3
    assert "point 1 failed" in proc.stderr and "must not exceed 1" in proc.stderr
    points = xr.open_dataset(out, group="points", engine="h5netcdf")
    status = points.status.values
    assert list(status) == ["ok", "failed"] * 6
    assert "must not exceed 1" in points.error.values[1] and points.error.values[0] == ""
    metrics = xr.open_dataset(out, group="metrics", engine="h5netcdf")
    assert np.isnan(metrics.episodes.isel(point=1)).all()
    assert (metrics.episodes.isel(point=0) >= 0).all() and metrics.episodes.isel(point=0).sum() > 0


def test_bad_sweep_files_name_the_file_line_and_key(cli, tmp_path):
    cases = {
        '[sweep]\nscenarios = ["missing.toml"]\n': "no such scenario file",
        f'[sweep]\nscenarios = ["{ROOT}/scenarios/state_only.toml"]\nreplicate = 2\n': "did you mean 'sweep.replicates'",
        f'[sweep]\nscenarios = ["{ROOT}/scenarios/state_only.toml"]\n[grid]\n"compact.loq_fee" = [1]\n':
            "did you mean 'compact.loq_fee_usd'",
        f'[sweep]\nscenarios = ["{ROOT}/scenarios/state_only.toml"]\n[grid]\n"compact.loq_fee_usd" = [-5]\n':
            "expected a number in [0",
        f'[sweep]\nscenarios = ["{ROOT}/scenarios/state_only.toml"]\n[grid]\n"simulation.days" = [10]\n':
            "cannot be varied",
        f'[sweep]\nscenarios = ["{ROOT}/scenarios/state_only.toml"]\n[grid]\n"a.b" = [{", ".join(["1"] * 1001)}]\n'
        f'"compact.loq_fee_usd" = [{", ".join(["1"] * 1001)}]\n': "unknown scenario key",
        f'[sweep]\nscenarios = ["{ROOT}/scenarios/state_only.toml"]\n[sample]\nmethod = "sobol"\npoints = 4\n'
        '[sample.ranges]\n"compact.loq_fee_usd" = [10, 5]\n': "low < high",
        f'[sweep]\nscenarios = ["{ROOT}/scenarios/state_only.toml"]\n[grid]\n'
        f'"compact.loq_fee_usd" = [{", ".join(["1"] * 1001)}]\n"regulator.license_fee_usd" = [{", ".join(["1"] * 1001)}]\n':
            "more than 1000000 points",
    }
    for i, (text, expected) in enumerate(cases.items()):
        path = tmp_path / f"bad{i}.toml"
        path.write_text(text)
        proc = sweep(cli, path, "-o", tmp_path / f"bad{i}.h5", check=False)
        assert proc.returncode == 2, (text, proc.stderr)
        assert str(path) in proc.stderr and expected in proc.stderr, (text, proc.stderr)
        assert not (tmp_path / f"bad{i}.h5").exists() and not (tmp_path / f"bad{i}.h5.parts").exists()
