"""Reliability (issue #7): hostile scenario files, resource limits, runs killed at any moment,
write errors, and result files that are truncated, foreign or of another format version.

Each test can fail if the behaviour regresses: a crash or hang on bad input, an output file that
exists but cannot be read, a temporary left behind by a clean stop, a stale temporary of a killed
run never cleaned up (or something not ours removed), an overwrite without --force, a run that
starts although it cannot fit in memory or on disk. See docs/reliability.md.
"""

from __future__ import annotations

import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import h5py
import pytest

from conftest import EPOCH, SCENARIO, SOURCE_DIR, child_env, find_cli, licsim, reseal
from licsim import analysis
BASE = f'base = "{SCENARIO}"\n'


# --- scenario files ------------------------------------------------------------------------------

def _deep_key(n: int) -> str:
    return ".".join(["a"] * n)


#: (name, file bytes, expected message after "<file>:") for `licsim validate`.
BAD_SCENARIOS = [
    ("empty", b"", r": key 'meta\.name': missing"),
    ("typo", (BASE + "[population]\nlep_shar = 0.1\n").encode(),
     r":3: key 'population\.lep_shar': unknown key \(did you mean 'population\.lep_share'\?\)"),
    ("nan", (BASE + "[population]\nlep_share = nan\n").encode(), r":3: key 'population\.lep_share': expected a number in \[0, 1\], got nan"),
    ("inf", (BASE + "[specialty.primary_care]\nvisit_share = inf\n").encode(), r":3: key 'specialty\.primary_care\.visit_share'.*got inf"),
    ("negative size", (BASE + "[simulation]\ndays = -5\n").encode(), r":3: key 'simulation\.days': expected an integer in \[1, 3650\], got -5"),
    ("absurd size", (BASE + "[simulation]\ndays = 99999999999999999999\n").encode(), r":3: invalid TOML"),
    ("date out of range", (BASE + '[simulation]\nstart_date = "1850-01-01"\n').encode(),
     r":3: key 'simulation\.start_date': expected a date YYYY-MM-DD"),
    ("impossible date", (BASE + '[simulation]\nstart_date = "2021-02-30"\n').encode(), r":3: key 'simulation\.start_date'"),
    ("unquoted date", (BASE + "[simulation]\nstart_date = 2021-02-03\n").encode(), r":3: key 'simulation\.start_date': expected .*date/time"),
    ("unknown jurisdiction", (BASE + "[jurisdiction.XX]\nlicense_fee_usd = 100\n").encode(),
     r":3: key 'jurisdiction\.XX\.license_fee_usd': unknown jurisdiction 'XX'"),
    ("non-UTF-8", (BASE + "[meta]\nname = \"caf").encode() + b"\xe9\xff\"\n", r":3: invalid TOML"),
    ("binary junk", bytes(range(256)) * 64, r": invalid TOML|:1: invalid TOML"),
    ("deep table", (BASE + "[" + _deep_key(200000) + "]\n").encode(), r":2: a key nested too deeply \(200000 levels; at most 32\)"),
    ("deep inline key", (BASE + "x = {" + _deep_key(200000) + " = 1}\n").encode(), r":2: a key nested too deeply"),
    ("deep arrays", (BASE + "x = " + "[" * 200000 + "]" * 200000 + "\n").encode(), r":2: invalid TOML.*nested value depth"),
    ("nested tables", (BASE + "[a.b.c.d.e.f.g.h.i.j]\nk = 1\n").encode(), r"tables nested too deeply"),
    ("huge array", (BASE + "[population]\nage_band_share = [" + ", ".join(["0.1"] * 500000) + "]\n").encode(),
     r":3: key 'population\.age_band_share': expected an array of 4 numbers.*\(500000 values\)$"),
    ("huge file", (BASE + "# " + "x" * (17 << 20) + "\n").encode(), r": too large \(17\.0 MiB; a scenario or data file may be at most 16\.0 MiB\)"),
    ("array of tables", (BASE + "[[population]]\nx = 1\n").encode(), r":2: key 'population': arrays of tables are not used"),
    ("base is /dev/zero", b'base = "/dev/zero"\n', r"/dev/zero: not a regular file \(a character device\)"),
    ("base is a folder", b'base = "/"\n', r"/: not a regular file \(a folder\)"),
    ("data file is /dev/zero", (BASE + '[world]\njurisdictions_file = "/dev/zero"\n').encode(),
     r"/dev/zero \(named by world\.jurisdictions_file\): not a regular file"),
    ("base cycle", b'base = "cycle.toml"\n', r"cycle\.toml:1: key 'base': base files form a cycle"),
]


@pytest.mark.parametrize("name,content,expected", BAD_SCENARIOS, ids=[b[0] for b in BAD_SCENARIOS])
def test_bad_scenario_files_get_a_clear_error(run_cli, tmp_path, name, content, expected):
    import re

    path = tmp_path / ("cycle.toml" if name == "base cycle" else "bad.toml")
    path.write_bytes(content)
    result = run_cli("validate", path, cwd=tmp_path, timeout=120)  # the timeout catches a hang
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    message = result.stderr.strip().splitlines()[-1]
    assert len(message) < 600, "error messages stay short whatever the input"
    assert re.search(expected, message), message


def test_a_fifo_as_base_file_does_not_hang(run_cli, tmp_path):
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "s.toml").write_text('base = "fifo.toml"\n')
    result = run_cli("validate", tmp_path / "s.toml", timeout=30)
    assert result.returncode == 2
    assert "fifo.toml: not a regular file (a FIFO)" in result.stderr


def test_conflicting_modules_are_explained_not_refused(run_cli, tmp_path):
    path = tmp_path / "both.toml"
    path.write_text(BASE + "[compact]\nenabled = true\n[national_license]\nenabled = true\n[waiver]\nenabled = true\n")
    result = run_cli("validate", path)
    assert result.returncode == 0, result.stderr
    assert "note: national_license and compact overlap" in result.stdout


def test_python_gets_the_same_errors_for_hostile_text():
    with pytest.raises(licsim.ScenarioError, match="a key nested too deeply"):
        licsim.Scenario(BASE + "[" + _deep_key(100000) + "]\n")
    with pytest.raises(licsim.ScenarioError, match="expected a number in \\[0, 1\\], got nan"):
        licsim.Scenario(BASE + "[population]\nlep_share = nan\n")


# --- memory and disk, checked before the run --------------------------------------------------------

def test_a_run_that_would_not_fit_in_memory_is_refused_up_front(run_cli, tmp_path):
    out = tmp_path / "out.h5"
    env = child_env(LICSIM_MEMORY_LIMIT="10M")
    result = subprocess.run([str(find_cli()), "run", SCENARIO, "-o", out, "--scale", "0.01"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "--scale 0.01, --replicates 1: the run needs an estimated " in result.stderr
    assert "patients x" in result.stderr and "but only 10.0 MiB is available (LICSIM_MEMORY_LIMIT)" in result.stderr
    assert not out.exists()


def test_python_run_is_refused_too(monkeypatch):
    monkeypatch.setenv("LICSIM_MEMORY_LIMIT", "10M")
    with pytest.raises(licsim.UsageError, match="the run needs an estimated .* is available"):
        licsim.run(SCENARIO, scale=0.01, days=5, progress=False)


def _peak_rss_of(args: list[str]) -> int:
    """Peak resident memory in bytes of one child process (a fresh parent, so no other child counts)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True, timeout=300)
    return int(out.stdout.strip()) * 1024


def test_the_memory_estimate_is_honest_at_1_to_100(tmp_path):
    """The estimate is neither far below the real peak (a run would be let through and then die)
    nor far above it (runs that fit would be refused). Measured in docs/reliability.md."""
    estimate = licsim._core.estimate_memory(licsim.Scenario(SCENARIO)._scenario, licsim._core.RunSettings(scale=0.01))
    peak = _peak_rss_of([str(find_cli()), "run", str(SCENARIO), "-o", str(tmp_path / "m.h5"), "-q", "--scale", "0.01",
                         "--threads", "2"])
    assert 0.9 * peak <= estimate["bytes"] <= 1.5 * peak, (estimate["description"], peak)


def _try_small_tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def test_a_full_disk_is_reported_before_the_run(run_cli, tmp_path):
    disk = tmp_path / "disk"
    mounted = _try_small_tmpfs(disk, "256k")
    try:
        if mounted:
            out, extra = disk / "out.h5", []
        else:  # no tmpfs: ask for more than the disk holds (10 years x 20000 replicates)
            out, extra = tmp_path / "out.h5", ["--days", "3650", "--replicates", "20000"]
            if shutil.disk_usage(tmp_path).free > 2**40:
                pytest.skip("cannot mount a small tmpfs and the disk is larger than 1 TiB")
        start = time.monotonic()
        result = run_cli("run", SCENARIO, "-o", out, "-q", *extra)
        # The run asked for would take hours: finishing within minutes means it never started.
        assert time.monotonic() - start < 300, "the check comes before the run"
        assert result.returncode == 2, result.stderr
        assert f"{out}: the output needs up to " in result.stderr and " free; free space" in result.stderr
        assert not out.exists()
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=False)


def _limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))


def test_a_write_error_at_the_end_is_clear_and_leaves_nothing(cli, tmp_path):
    out = tmp_path / "out.h5"
    result = subprocess.run([str(cli), "run", SCENARIO, "-o", out, "-q", "--days", "60"], env=child_env(),
                            preexec_fn=_limit_file_size, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert f"licsim: {out}: writing the output failed (" in result.stderr
    assert "File too large" in result.stderr and f"nothing was written at {out}" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_or_missing_folder_is_reported_before_the_run(run_cli, tmp_path):
    result = run_cli("run", SCENARIO, "-o", tmp_path / "no" / "such" / "out.h5")
    assert result.returncode == 2 and "does not exist" in result.stderr
    result = run_cli("run", SCENARIO, "-o", tmp_path)
    assert result.returncode == 2 and "is a folder" in result.stderr
    result = run_cli("run", SCENARIO, "-o", tmp_path, "--force")
    assert result.returncode == 2 and "is a folder" in result.stderr
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        result = run_cli("run", SCENARIO, "-o", locked / "out.h5")
        assert result.returncode == 2 and "is not writable" in result.stderr


# --- never overwrite without force ---------------------------------------------------------------------

def test_existing_output_is_never_overwritten_without_force(run_cli, small_run, tmp_path):
    out = tmp_path / "out.h5"
    out.write_bytes(b"precious")
    result = run_cli("run", SCENARIO, "-o", out, "-q", "--days", "5")
    assert result.returncode == 2 and "already exists (use --force to overwrite)" in result.stderr
    assert out.read_bytes() == b"precious"

    calls = []
    with pytest.raises(licsim.OutputError, match="already exists"):
        licsim.run_to_file(SCENARIO, out, days=30, progress=lambda done, total: calls.append(done))
    assert calls == [], "run_to_file checks before it runs (no day was simulated)"
    result = licsim.run(SCENARIO, days=5, scale=0.0002, progress=False)
    with pytest.raises(licsim.OutputError, match="already exists"):
        result.save(out)
    assert out.read_bytes() == b"precious"
    result.save(out, force=True)
    assert analysis.check_result_file(out) == out


# --- killed at any moment --------------------------------------------------------------------------------

#: A run of a second or two (kill moments are drawn over it, the write included).
KILL_REPLICATES, KILL_DAYS = 3, 90
KILL_ARGS = ["--scale", "0.0001", "--replicates", str(KILL_REPLICATES), "--days", str(KILL_DAYS), "--threads", "2", "-q"]


def _assert_nothing_or_complete(out: Path, replicates: int = KILL_REPLICATES, days: int = KILL_DAYS) -> bool:
    """The invariant: nothing at the output path, or a complete file that reads back."""
    if not out.exists():
        return False
    analysis.check_result_file(out)  # raises on a truncated or partial file
    ds = licsim.open(out)
    assert ds.sizes["replicate"] == replicates and ds.sizes["day"] == days
    return True


def _temporaries(out: Path) -> list[Path]:
    return sorted(out.parent.glob(out.name + ".tmp-*"))


def _kill_at(cli: Path, out: Path, sig: int, when: float | str, force: bool = True) -> int:
    """Start `licsim run`, send `sig` after `when` seconds, or as soon as its temporary file
    appears when `when` is "write"; return the exit status."""
    args = [str(cli), "run", str(SCENARIO), "-o", str(out), *KILL_ARGS] + (["--force"] if force else [])
    process = subprocess.Popen(args, env=child_env(SOURCE_DATE_EPOCH=EPOCH), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    if when == "write":
        while process.poll() is None and not _temporaries(out) and time.monotonic() < deadline:
            time.sleep(0.0005)
    else:
        time.sleep(float(when))
    if process.poll() is None:
        process.send_signal(sig)
    process.communicate(timeout=60)
    return process.returncode


@pytest.fixture(scope="module")
def run_seconds(cli, tmp_path_factory) -> float:
    """Wall time of one uninterrupted run (kill moments are drawn over it)."""
    out = tmp_path_factory.mktemp("timing") / "t.h5"
    start = time.monotonic()
    subprocess.run([str(cli), "run", str(SCENARIO), "-o", str(out), *KILL_ARGS], check=True, env=child_env(),
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - start


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"])
def test_a_run_killed_at_any_moment_leaves_nothing_or_a_complete_file(cli, tmp_path, run_seconds, sig):
    rng = random.Random(sig)
    moments: list[float | str] = ["write", "write"] + [rng.uniform(0, 1.1 * run_seconds) for _ in range(3)]
    outcomes = []
    for i, when in enumerate(moments):
        out = tmp_path / f"out{i}.h5"
        code = _kill_at(cli, out, sig, when)
        complete = _assert_nothing_or_complete(out)
        left = _temporaries(out)
        if sig == signal.SIGKILL:
            assert code in (0, -signal.SIGKILL)
            if left:  # killed during the write: the next run to the same path cleans up
                subprocess.run([str(cli), "run", str(SCENARIO), "-o", str(out), "--force", "-q", "--days", "3",
                                "--scale", "0.0001"], check=True, env=child_env())
                assert _temporaries(out) == [], "a stale temporary of a dead run is removed"
        else:
            # finished, stopped cleanly (130), or killed by the signal before its handler was installed
            assert code in (0, 130, -sig), code
            assert left == [], "a clean stop leaves no temporary"
            if code != 0:
                assert not complete, "an interrupted run writes nothing"
        outcomes.append((when, code, complete, len(left)))
    # The moments must have covered a kill before the file was complete, and the
    # "write" moments must have caught the write (the temporary existed).
    assert any(not c for _, _, c, _ in outcomes), outcomes
    if sig == signal.SIGKILL:
        assert any(n for when, _, _, n in outcomes if when == "write"), outcomes


def test_python_run_to_file_killed_at_any_moment(tmp_path):
    script = (
        "import sys, licsim\n"
        "print('ready', flush=True)\n"
        f"licsim.run_to_file({str(SCENARIO)!r}, sys.argv[1], scale=0.0001, replicates={KILL_REPLICATES}, "
        f"days={KILL_DAYS}, progress=False)\n"
    )
    rng = random.Random(7)
    for i, (sig, delay) in enumerate([(signal.SIGINT, rng.uniform(0.2, 2.0)), (signal.SIGKILL, rng.uniform(0.2, 2.0)),
                                      (signal.SIGTERM, rng.uniform(0.2, 2.0))]):
        out = tmp_path / f"py{i}.h5"
        process = subprocess.Popen([sys.executable, "-c", script, str(out)], env=child_env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "ready"
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(sig)
        process.communicate(timeout=60)
        _assert_nothing_or_complete(out)
        if sig == signal.SIGINT:
            assert _temporaries(out) == []


def test_stale_temporaries_are_removed_only_when_ours(cli, tmp_path):
    out = tmp_path / "out.h5"
    dead = subprocess.Popen(["true"])
    dead.wait()
    signature = b"\x89HDF\r\n\x1a\n"
    ours = tmp_path / f"out.h5.tmp-{dead.pid}"
    ours.write_bytes(signature + b"partial")
    alive = tmp_path / f"out.h5.tmp-{os.getpid()}"  # a live process: not ours to judge
    alive.write_bytes(signature)
    foreign = tmp_path / "out.h5.tmp-notapid"
    foreign.write_bytes(signature)
    subprocess.run([str(cli), "run", str(SCENARIO), "-o", str(out), "-q", "--days", "3"], check=True, env=child_env())
    assert not ours.exists()
    assert alive.exists() and foreign.exists()
    _assert_nothing_or_complete(out, replicates=1, days=3)


# --- reading ---------------------------------------------------------------------------------------------------

def test_truncated_files_are_refused_by_name(small_run, tmp_path):
    data = small_run.path.read_bytes()
    for share in (0.0005, 0.05, 0.3, 0.6, 0.95, 0.9999):
        cut = tmp_path / f"cut{share}.h5"
        cut.write_bytes(data[: max(8, int(len(data) * share))])
        with pytest.raises(ValueError, match=f"{cut}: "):
            licsim.open(cut)
        with pytest.raises(ValueError, match=f"{cut}: "):
            analysis.run_info(cut)


def test_foreign_and_other_version_files_are_refused(small_run, tmp_path):
    text = tmp_path / "text.h5"
    text.write_text("not hdf5")
    with pytest.raises(ValueError, match="not a licsim result file \\(no licsim seal at its start\\)"):
        licsim.open(text)
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["licsim_version"] = "0.0"
        for g in analysis.GROUPS:
            f.create_group(g)
    with pytest.raises(ValueError, match="an HDF5 file without licsim's seal: written by another program, or by a "
                                         "licsim older than result format 2"):
        licsim.open(other)
    newer = tmp_path / "newer.h5"
    shutil.copy(small_run.path, newer)
    with h5py.File(newer, "r+") as f:
        assert f.attrs["licsim_format_version"] == licsim._core.output_format_version
        f.attrs.modify("licsim_format_version", licsim._core.output_format_version + 1)
    with pytest.raises(ValueError, match="CRC-32 mismatch"):  # edited after licsim wrote it
        licsim.open(newer)
    reseal(newer, licsim._core.output_format_version + 1)
    with pytest.raises(ValueError, match="written by a newer licsim .*upgrade licsim"):
        licsim.open(newer)
    with pytest.raises(ValueError, match="written by a newer licsim"):
        analysis.open_results([small_run.path, newer])


# --- damaged, forged and special files given to merge, resume and open ----------------------

SHARDED_SWEEP = """
[sweep]
scenarios = ["{scenario}"]
seed = 3
scale = 0.0002
days = 20

[grid]
"compact.loq_fee_usd" = [350, 700]
"""


@pytest.fixture(scope="module")
def two_shards(cli, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shards")
    spec = tmp / "sweep.toml"
    spec.write_text(SHARDED_SWEEP.format(scenario=SCENARIO))
    shards = []
    for i in range(2):
        out = tmp / f"shard{i}.h5"
        proc = subprocess.run([str(cli), "sweep", str(spec), "-o", str(out), "--shard", f"{i}/2", "--threads", "1"],
                              capture_output=True, text=True, env=child_env(), timeout=300)
        assert proc.returncode == 0, proc.stderr
        shards.append(out)
    return spec, shards


def _merge(cli, out, *inputs, timeout=60):
    return subprocess.run([str(cli), "merge", "-o", str(out), *map(str, inputs)], capture_output=True, text=True,
                          env=child_env(), timeout=timeout)


@pytest.mark.parametrize("share", [0.0, 0.002, 0.05, 0.3, 0.5, 0.8, 0.999])
def test_a_shard_with_one_damaged_byte_is_refused_by_name(cli, two_shards, tmp_path, share):
    _, shards = two_shards
    data = bytearray(shards[1].read_bytes())
    at = min(int(len(data) * share), len(data) - 1)
    data[at] ^= 0x5A
    bad = tmp_path / "bad.h5"
    bad.write_bytes(bytes(data))
    proc = _merge(cli, tmp_path / "out.h5", shards[0], bad)
    assert proc.returncode == 2, proc.stderr
    assert f"{bad}: " in proc.stderr
    assert "cannot be read" in proc.stderr or "no licsim seal" in proc.stderr  # (a damaged first byte)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.h5"]


def test_a_forged_shard_sealed_again_is_still_checked(cli, two_shards, tmp_path):
    # An edit made with HDF5 and sealed again passes the seal; the structure is still checked
    # (here a point index the plan does not have).
    _, shards = two_shards
    forged = tmp_path / "forged.h5"
    shutil.copy(shards[1], forged)
    with h5py.File(forged, "r+") as f:
        f["points/point"][0] = 999
    reseal(forged, licsim._core.output_format_version)
    proc = _merge(cli, tmp_path / "out.h5", shards[0], forged)
    assert proc.returncode == 2 and f"{forged}: holds point 999, which its sweep plan does not have" in proc.stderr


def test_merge_refuses_fifos_folders_and_its_own_inputs_without_waiting(cli, two_shards, tmp_path):
    _, shards = two_shards
    fifo = tmp_path / "shard.fifo"
    os.mkfifo(fifo)
    proc = _merge(cli, tmp_path / "out.h5", shards[0], fifo, timeout=30)
    assert proc.returncode == 2 and f"{fifo}: not a licsim file (a FIFO)" in proc.stderr
    proc = _merge(cli, tmp_path / "out.h5", shards[0], tmp_path)
    assert proc.returncode == 2 and "(a folder)" in proc.stderr
    before = shards[0].read_bytes()
    proc = _merge(cli, shards[0], shards[0], shards[1], "--force")
    assert proc.returncode == 2 and "is one of the run's inputs" in proc.stderr
    assert shards[0].read_bytes() == before


def test_a_killed_merge_leaves_nothing_for_good(cli, two_shards, tmp_path):
    _, shards = two_shards
    out = tmp_path / "merged.h5"
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"merged.h5.tmp-{dead.pid}"
    stale.write_bytes(b"licsim sealed file\n" + bytes(100))  # what a merge killed mid-write leaves
    proc = _merge(cli, out, *shards)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["merged.h5"]


def test_damaged_or_forged_run_files_are_refused_by_open(small_run, tmp_path):
    data = small_run.path.read_bytes()
    for share in (0.001, 0.2, 0.6, 0.95):
        damaged = bytearray(data)
        damaged[int(len(data) * share)] ^= 0x01
        bad = tmp_path / "bad.h5"
        bad.write_bytes(bytes(damaged))
        with pytest.raises(ValueError, match="cannot be read: the licsim file is damaged"):
            licsim.open(bad)
        with pytest.raises(ValueError, match="cannot be read"):
            analysis.run_info(bad)
    # A variable of the right name and the wrong shape, sealed again by a forger.
    forged = tmp_path / "forged.h5"
    shutil.copy(small_run.path, forged)
    with h5py.File(forged, "r+") as f:
        del f["metrics/served_in_person"]
        f["metrics"].create_dataset("served_in_person", data=[[1, 2, 3]])
    reseal(forged, licsim._core.output_format_version)
    with pytest.raises(ValueError, match="group 'metrics': variable 'served_in_person': dimension 0"):
        licsim.open(forged)


def test_force_replaces_only_a_regular_file_that_is_not_an_input(run_cli, tmp_path):
    scenario = tmp_path / "mine.toml"
    shutil.copy(SCENARIO, scenario)
    scenario.write_text(scenario.read_text().replace('base = "', f'base = "{SCENARIO.parent}/'))
    text = scenario.read_text()
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    dangling = tmp_path / "dangling.h5"
    dangling.symlink_to(tmp_path / "nowhere.h5")
    link = tmp_path / "link.h5"
    (tmp_path / "target.h5").write_bytes(b"keep")
    link.symlink_to(tmp_path / "target.h5")
    cases = [
        (fifo, "is a FIFO; licsim writes only to a new path or, with --force, over a regular file"),
        (Path("/dev/null"), "is a character device"),
        (dangling, "is a symbolic link to " + str(tmp_path / "nowhere.h5") + " that names nothing"),
        (link, "is a symbolic link to"),
        (scenario, "is one of the run's inputs"),
    ]
    for out, expected in cases:
        result = run_cli("run", scenario, "-o", out, "--force", "--days", "5")
        assert result.returncode == 2 and expected in result.stderr, (out, result.stderr)
    assert scenario.read_text() == text and (tmp_path / "target.h5").read_bytes() == b"keep"
    assert fifo.exists() and dangling.is_symlink() and not (tmp_path / "nowhere.h5").exists()
    # A data file of the run is an input too (here through Python, Result.save and run_to_file).
    data_file = tmp_path / "jurisdictions.csv"
    shutil.copy(SCENARIO.parents[3] / "scenarios" / "data" / "jurisdictions.csv", data_file)
    before = data_file.read_bytes()
    s = licsim.Scenario.from_file(scenario, {"world.jurisdictions_file": str(data_file)})
    with pytest.raises(licsim.OutputError, match="is one of the run's inputs"):
        licsim.run_to_file(s, data_file, force=True, days=5, scale=0.0002)
    assert data_file.read_bytes() == before


def test_a_long_legal_output_name_is_written(run_cli, tmp_path):
    out = tmp_path / ("r" * 250 + ".h5")  # 253 bytes: legal, but NAME.tmp-PID would not be
    result = run_cli("run", SCENARIO, "-o", out, "--days", "5")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [out.name]
    licsim.open(out)
    result = run_cli("run", SCENARIO, "-o", tmp_path / ("r" * 256 + ".h5"), "--days", "5")
    assert result.returncode == 2 and "the file name is longer than 255 bytes" in result.stderr


# --- bounded work: the plan of a big sweep, signals during planning and --dry-run -----------

def _grid_sweep(path: Path, first: int, second: int) -> Path:
    fees = ", ".join(str(300 + i) for i in range(first))
    shares = ", ".join(f"{0.1 + i * 1e-4:.4f}" for i in range(second))
    path.write_text(f'[sweep]\nscenarios = ["{SCENARIO}"]\nscale = 0.0001\n[grid]\n'
                    f'"compact.loq_fee_usd" = [{fees}]\n"clinicians.two_licenses_share" = [{shares}]\n')
    return path


def test_a_plan_too_big_for_memory_is_refused_before_it_is_built(run_cli, tmp_path):
    spec = _grid_sweep(tmp_path / "million.toml", 1000, 1000)  # the documented 1,000,000-point limit
    env = child_env()
    env["LICSIM_MEMORY_LIMIT"] = "256M"
    for args in (["--dry-run"], ["-o", tmp_path / "out.h5"]):
        result = subprocess.run([str(find_cli()), "sweep", str(spec), *map(str, args)], capture_output=True,
                                text=True, env=env, timeout=60)
        assert result.returncode == 2, result.stderr
        assert "the sweep's plan needs an estimated 3." in result.stderr
        assert "GiB before any point runs, but only 256 MiB is available (LICSIM_MEMORY_LIMIT)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["million.toml"]


def _peak_rss_of_dry_run(spec: Path) -> int:
    # --shard 0/100000: the whole plan is built, one point is checked.
    return _peak_rss_of([str(find_cli()), "sweep", str(spec), "--dry-run", "--shard", "0/100000"])


def test_the_plan_memory_estimate_is_honest(tmp_path):
    # Peak RSS of the CLI building a 100,000-point plan, less that of a 1-point plan, against
    # the estimate the refusal quotes.
    spec = _grid_sweep(tmp_path / "plan.toml", 316, 316)
    measured = _peak_rss_of_dry_run(spec) - _peak_rss_of_dry_run(_grid_sweep(tmp_path / "one.toml", 1, 1))
    refused = subprocess.run([str(find_cli()), "sweep", str(spec), "--dry-run"], capture_output=True, text=True,
                             env=child_env(LICSIM_MEMORY_LIMIT="1K"), timeout=120)
    estimate = float(refused.stderr.split("needs an estimated ")[1].split(" MiB")[0]) * 2**20
    assert 1.0 <= estimate / measured <= 1.5, (estimate, measured)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_dry_run_ends_at_a_signal(tmp_path, sig):
    spec = _grid_sweep(tmp_path / "many.toml", 100, 100)  # 10,000 points: about 25 s of checks
    proc = subprocess.Popen([str(find_cli()), "sweep", str(spec), "--dry-run"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=child_env())
    time.sleep(1.5)
    proc.send_signal(sig)
    assert proc.wait(timeout=10) == -sig


def test_a_forged_file_that_crashes_hdf5_is_refused(cli, tmp_path):
    # Found by fuzz_result_files: sealed again after the change, so the seal passes; HDF5 itself
    # crashes on its attribute table. The probe's child takes the crash (tests/fuzz/files).
    import gzip

    forged = tmp_path / "forged.h5"
    forged.write_bytes(gzip.decompress((SOURCE_DIR / "tests/fuzz/files/forged_attribute_table.h5.gz").read_bytes()))
    expected = "cannot be read: HDF5 fails on its structures (signal 11 in the process that checked it"
    with pytest.raises(ValueError, match=re.escape(f"{forged}: {expected}")):
        licsim.open(forged)
    proc = _merge(cli, tmp_path / "out.h5", forged)
    assert proc.returncode == 2 and f"{forged}: {expected}" in proc.stderr
    assert not (tmp_path / "out.h5").exists()


def test_a_forged_file_that_hangs_hdf5_is_refused_in_bounded_time(tmp_path):
    # Found by fuzz_result_files: HDF5 does not finish reading this resealed file; the probe's
    # child is killed at the limit (10 s plus 10 s per 100 MiB) and the file refused.
    import gzip

    forged = tmp_path / "endless.h5"
    forged.write_bytes(gzip.decompress((SOURCE_DIR / "tests/fuzz/files/forged_endless_read.h5.gz").read_bytes()))
    start = time.monotonic()
    with pytest.raises(ValueError, match=re.escape(f"{forged}: cannot be read: HDF5 does not finish reading")):
        licsim.open(forged)
    assert time.monotonic() - start < 60  # the limit, not HDF5, ended it (a bound, not a timing)


def test_python_reads_are_probed_in_a_child_first(small_run, monkeypatch):
    # What xarray would do to a forged file, made to happen: the fork's child inherits the patch
    # and dies (or never finishes); this process refuses the file by name and survives.
    monkeypatch.setattr(analysis.results.xr, "load_dataset", lambda *a, **k: os.abort())
    with pytest.raises(ValueError, match=re.escape(f"{small_run.path}: cannot be read: h5py fails on its structures")):
        licsim.open(small_run.path)
    monkeypatch.setattr(analysis.results.xr, "load_dataset", lambda *a, **k: time.sleep(3600))
    start = time.monotonic()
    with pytest.raises(ValueError, match="h5py does not finish reading its structures"):
        licsim.open(small_run.path)
    assert time.monotonic() - start < 60
    monkeypatch.undo()
    assert licsim.open(small_run.path).sizes["replicate"] == small_run.replicates
