"""licsim.sweep in Python: locally and on a Dask cluster it writes the very file `licsim sweep` writes."""
import os
import subprocess
from pathlib import Path

import pytest

import licsim

ROOT = Path(__file__).resolve().parents[2]

SPEC = {
    "sweep": {
        "scenarios": [str(ROOT / "tests/python/quick/state_only.toml"), str(ROOT / "tests/python/quick/imlc.toml")],
        "seed": 5,
        "scale": 0.0002,
        "days": 30,
    },
    "grid": {"compact.loq_fee_usd": [350, 1400]},
    "sample": {"method": "latin_hypercube", "points": 2, "ranges": {"compact.approval_prob": [0.5, 0.95]}},
}


@pytest.fixture()
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture(scope="module")
def cli_file(cli, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    spec = tmp / "spec.toml"
    spec.write_text(licsim.sweep.__globals__["_dict_to_toml"](SPEC))
    out = tmp / "cli.h5"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    subprocess.run([cli, "sweep", spec, "-o", out, "--threads", "1", "-q"], check=True, env=env)
    return spec, out


def test_local_sweep_equals_the_command_line(cli_file, tmp_path, epoch):
    spec, ref = cli_file
    report = licsim.sweep(spec, tmp_path / "py.h5", threads=1, progress=False)
    assert report.points == 8 and report.ran == 8 and report.failed == {}
    assert (tmp_path / "py.h5").read_bytes() == ref.read_bytes()
    ds = report.open("regimes")
    assert ds.sizes["point"] == 8 and "compact.approval_prob" in ds.coords
    ds.close()
    # A damaged sweep file is refused by name, as licsim.open refuses a damaged run file.
    data = bytearray((tmp_path / "py.h5").read_bytes())
    data[len(data) // 2] ^= 0x01
    (tmp_path / "py.h5").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="py.h5: cannot be read: the licsim file is damaged"):
        report.open("regimes")


def test_dict_spec_resume_and_force(tmp_path, epoch):
    out = tmp_path / "dict.h5"
    first = licsim.sweep(SPEC, out, threads=1, progress=False, shard=(0, 2))
    assert first.points == 4
    first_bytes = out.read_bytes()
    with pytest.raises(licsim.OutputError, match="already exists"):
        licsim.sweep(SPEC, out, progress=False, shard=(0, 2))
    again = licsim.sweep(SPEC, out, threads=1, progress=False, shard=(0, 2), force=True)
    assert again.ran == 4
    assert out.read_bytes() == first_bytes  # the same shard again, bit for bit


def test_bad_spec_raises_scenario_error_with_the_key():
    bad = {"sweep": {"scenarios": [str(ROOT / "scenarios/state_only.toml")]}, "grid": {"compact.loq_fee": [1]}}
    with pytest.raises(licsim.ScenarioError, match="compact.loq_fee_usd"):
        licsim.sweep(bad, "unused.h5", progress=False)


def test_dask_cluster_sweep_equals_the_command_line(cli_file, tmp_path, epoch):
    distributed = pytest.importorskip("distributed")
    spec, ref = cli_file
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            report = licsim.sweep(spec, tmp_path / "dask.h5", client=client, threads=1, progress=False)
    assert report.ran == 8 and report.failed == {}
    assert (tmp_path / "dask.h5").read_bytes() == ref.read_bytes()
