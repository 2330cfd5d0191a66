"""Shared fixtures: where the CLI, the package and the scenarios are, and small runs to test on.

The package is found by a normal import (ctest sets PYTHONPATH); failing that, the newest
build/*/python of this checkout is tried. The CLI comes from $LICSIM_CLI, else the build the
package was imported from, else the newest build/*/sim/licsim, else the PATH. A missing CLI or
package fails the tests that need it; nothing is skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot

import h5py
import pytest
import xarray as xr

SOURCE_DIR = Path(__file__).resolve().parents[2]
# The baseline without its spin-up (tests/python/quick): the machinery tests need
# no steady state. Tests of the shipped answers and the spin-up use scenarios/.
SCENARIO = SOURCE_DIR / "tests" / "python" / "quick" / "state_only.toml"
#: The shipped baseline SCENARIO is based on (its values, its data folder).
SHIPPED = SOURCE_DIR / "scenarios" / "state_only.toml"
#: Fixed creation time, so that identical runs give byte-identical files.
EPOCH = "1700000000"


SEAL_BYTES = 512


def reseal(path: Path, fmt: int) -> None:
    """Write the seal of a licsim file again after editing it (docs/output.md, "The seal"), as a
    forger would: an implementation independent of licsim's, from the documented format."""
    import zlib

    data = Path(path).read_bytes()
    body = data[SEAL_BYTES:]
    header = f"licsim sealed file\nformat {fmt}\nbytes {len(body)}\ncrc32 {zlib.crc32(body):08x}\n".encode()
    Path(path).write_bytes(header.ljust(SEAL_BYTES, b"\0") + body)


@contextlib.contextmanager
def fixed_creation_time():
    """Set SOURCE_DATE_EPOCH in this process (the engine reads it when writing) and restore it after."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _newest_first(paths: list[Path]) -> list[Path]:
    return sorted(paths, key=lambda p: p.stat().st_mtime, reverse=True)


def _import_licsim():
    try:
        import licsim
    except ImportError:
        candidates = []
        if os.environ.get("LICSIM_BUILD_DIR"):
            candidates.append(Path(os.environ["LICSIM_BUILD_DIR"]) / "python")
        candidates += _newest_first(list(SOURCE_DIR.glob("build/*/python")))
        for candidate in candidates:
            if (candidate / "licsim" / "__init__.py").is_file():
                sys.path.insert(0, str(candidate))
                break
        import licsim  # noqa: F811 - fails the run with a clear ImportError if still absent
    return licsim


licsim = _import_licsim()
#: Folder holding the imported licsim package (for PYTHONPATH of child processes).
PACKAGE_PARENT = Path(licsim.__file__).resolve().parents[1]


def find_cli() -> Path | None:
    """The licsim executable to test, or None if there is none."""
    if os.environ.get("LICSIM_CLI"):
        return Path(os.environ["LICSIM_CLI"]).resolve()
    candidates = []
    if os.environ.get("LICSIM_BUILD_DIR"):
        candidates.append(Path(os.environ["LICSIM_BUILD_DIR"]) / "sim" / "licsim")
    candidates.append(PACKAGE_PARENT.parent / "sim" / "licsim")  # same build as the package
    # Not the sanitizer builds (scripts/ci_checks.sh): their memory and exit codes are not the product's.
    candidates += _newest_first([p for p in SOURCE_DIR.glob("build/*/sim/licsim")
                                 if p.parent.parent.name not in ("asan", "tsan")])
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("licsim")
    return Path(found) if found else None


def interrupt_child(script: str, what: str) -> tuple[str, str, int]:
    """Start ``python -c script``; once it prints "ready", wait a second, send SIGINT and
    return (stdout, stderr, return code). Fails the test if the child ended early or does
    not stop within 30 s."""
    import signal
    import time

    process = subprocess.Popen([sys.executable, "-c", script], env=child_env(), cwd=SOURCE_DIR,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    assert process.poll() is None, process.stderr.read()
    process.send_signal(signal.SIGINT)
    try:
        stdout, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"{what} did not stop within 30 s of SIGINT")
    return stdout, stderr, process.returncode


def child_env(**extra: str) -> dict[str, str]:
    """Environment for child processes: this one, with the imported package on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_PARENT), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def cli() -> Path:
    """Path of the licsim executable; fails (does not skip) when it cannot be found."""
    path = find_cli()
    if path is None or not path.is_file():
        pytest.fail(f"licsim CLI not found (LICSIM_CLI={os.environ.get('LICSIM_CLI')!r}); build it or set LICSIM_CLI")
    return path


@pytest.fixture(scope="session")
def run_cli(cli):
    """Run the CLI with arguments; returns the CompletedProcess (text stdout and stderr)."""

    def run(*args: object, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120):
        return subprocess.run(
            [str(cli), *map(str, args)],
            cwd=cwd,
            env=env if env is not None else child_env(SOURCE_DATE_EPOCH=EPOCH),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@dataclass
class Run:
    """A finished small run: where its file is and the settings it ran with."""

    path: Path
    seed: int
    replicates: int
    days: int
    scale: float
    threads: int
    overrides: dict[str, str] = field(default_factory=dict)

    def cli_args(self, output: Path, threads: int | None = None, seed: int | None = None) -> list[str]:
        """Arguments of `licsim run` that repeat this run into ``output``."""
        args = [str(SCENARIO), "-o", str(output), "-q",
                "--seed", str(self.seed if seed is None else seed), "--replicates", str(self.replicates),
                "--days", str(self.days), "--scale", str(self.scale),
                "--threads", str(self.threads if threads is None else threads)]
        for key, value in self.overrides.items():
            args += ["--set", f"{key}={value}"]
        return args


#: The small run most tests read: three replicates, 62 days (three calendar months).
SMALL = dict(seed=7, replicates=3, days=62, scale=0.0005, threads=2)


@pytest.fixture(scope="session")
def small_run(tmp_path_factory, run_cli) -> Run:
    """A CLI run of state_only.toml: 3 replicates x 62 days at scale 0.0005, 2 threads."""
    run = Run(tmp_path_factory.mktemp("small") / "small.h5", **SMALL)
    result = run_cli("run", *run.cli_args(run.path))
    assert result.returncode == 0, result.stderr
    return run


@pytest.fixture(scope="session")
def metrics(small_run) -> xr.Dataset:
    """The metrics group of :func:`small_run`, read with plain xarray."""
    return xr.load_dataset(small_run.path, group="metrics", engine="h5netcdf")


def assert_same_results(a: Path, b: Path, ignore_attrs: tuple[str, ...] = ()) -> None:
    """Assert two result files hold the same groups, data and attributes (but ``ignore_attrs``)."""
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        assert sorted(names_a) == sorted(names_b)
        keys = set(fa.attrs) | set(fb.attrs)
        for key in sorted(keys - set(ignore_attrs)):
            assert key in fa.attrs and key in fb.attrs, key
            assert fa.attrs[key] == fb.attrs[key], key
        groups = [k for k in fa if isinstance(fa[k], h5py.Group)]
    assert sorted(groups) == ["breakdown", "flows", "metrics", "regimes"]
    for group in groups:
        da = xr.load_dataset(a, group=group, engine="h5netcdf")
        db = xr.load_dataset(b, group=group, engine="h5netcdf")
        xr.testing.assert_identical(da, db)
