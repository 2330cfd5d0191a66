"""licsim_bench checks what a run needs before it starts (issue 20: a ten-minute full-scale
run once found its output folder missing only at the end)."""

from __future__ import annotations

import subprocess
import time

import pytest

from conftest import SHIPPED, SOURCE_DIR


@pytest.fixture(scope="module")
def bench():
    path = SOURCE_DIR / "build" / "release" / "bench" / "licsim_bench"  # LICSIM_BUILD_BENCH: on in release
    if not path.is_file():
        pytest.fail(f"{path} not built: cmake --build --preset release")
    return path


def _bench(bench, *args):
    return subprocess.run([str(bench), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_a_missing_output_folder_fails_before_the_run(bench, tmp_path):
    start = time.monotonic()
    # At full scale the run itself would take minutes: the refusal must come first.
    result = _bench(bench, SHIPPED, "x", "1.0", "365", "1", tmp_path / "missing")
    assert result.returncode == 1
    assert "missing does not exist" in result.stderr
    assert time.monotonic() - start < 30


def test_settings_that_are_not_numbers_are_refused_with_the_usage(bench, tmp_path):
    result = _bench(bench, SHIPPED, "x", "abc", "30", "1", tmp_path)
    assert result.returncode == 2
    assert "SCALE, DAYS and THREADS must be numbers" in result.stderr and "usage: licsim_bench" in result.stderr
    out_of_range = _bench(bench, SHIPPED, "x", "0.001", "30", "5000", tmp_path)
    assert out_of_range.returncode == 1 and "threads" in out_of_range.stderr
