"""Opening licsim result files (HDF5) as xarray Datasets, with a check that they are licsim's."""

from __future__ import annotations

import faulthandler
import os
import signal
import time
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Union

import h5py
import numpy as np
import pandas as pd
import xarray as xr

from .. import _core

PathLike = Union[str, "os.PathLike[str]"]

#: Groups every licsim result file holds (the output schema's, ``licsim schema``).
GROUPS = tuple(g["name"] for g in _core.output_schema)

#: Root attributes that mark a file as a licsim result.
REQUIRED_ATTRS = ("licsim_format_version", "licsim_version", "scenario_toml", "seed", "replicates", "scale")

#: Root attribute with the result file's format version (docs/output.md), and the newest this licsim reads.
FORMAT_VERSION_ATTR = "licsim_format_version"
FORMAT_VERSION = _core.output_format_version

#: Root attributes copied onto every Dataset that :func:`open_result` returns.
PROVENANCE_ATTRS = ("licsim_version", "scenario_file", "scenario_toml", "seed", "replicates", "scale", "created_utc")

#: Root attribute ``licsim_file`` of a sweep file (docs/sweeps.md); run files have none.
SWEEP_FILE = "sweep"

#: Root attributes that mark a file as a licsim sweep file (docs/sweeps.md, "Output").
SWEEP_REQUIRED_ATTRS = ("licsim_format_version", "licsim_version", "sweep_plan_toml", "sweep_file_toml", "seed",
                        "replicates", "scale")

#: Root attributes of a sweep file copied onto the Datasets :func:`open_result` returns from it.
SWEEP_PROVENANCE_ATTRS = ("licsim_file", "licsim_version", "sweep_name", "sweep_file", "sweep_file_toml", "seed",
                          "replicates", "scale", "days", "shard", "created_utc")

#: The group of a sweep file with one row per point (scenario, seed, varied keys, status).
POINTS_GROUP = "points"


def _plain(value: Any) -> Any:
    """HDF5 attribute value as a plain Python value (str, int, float)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _shown(value: Any) -> str:
    """A path, a name from a file or an error text as a message may quote it: control bytes and
    terminal escapes written out, as the engine's messages do (licsim::printable)."""
    return _core.printable(str(value), 0)


def _probe_python_reads(p: Path, group: str | None) -> None:
    """Do this module's reads of ``p`` (root attributes, then ``group`` with xarray) in a forked
    child first, as the engine's probe does for its own reads (sim/io/hdf5_probe.hpp): HDF5 trusts
    the structures it reads, and a file forged past licsim's seal that crashes or hangs h5py then
    costs the child, not this process. Raises ValueError naming the file when the child dies or
    does not finish within 10 s plus 10 s per 100 MiB."""
    if not hasattr(os, "fork"):
        return
    limit = 10.0 + 10.0 * p.stat().st_size / (100 * 2**20)
    pid = os.fork()
    if pid == 0:  # the child: read, then leave without clean-up (HDF5's may crash on such a file)
        try:
            faulthandler.disable()  # its report of the child's crash is the parent's to give
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            with h5py.File(p, "r") as f:
                {name: f.attrs[name] for name in f.attrs}
            if group is not None:
                xr.load_dataset(p, group=group, engine="h5netcdf")
        except BaseException:
            pass
        os._exit(0)
    deadline = time.monotonic() + limit
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise ValueError(f"{_shown(p)}: cannot be read: h5py does not finish reading its structures (a forged or "
                             "damaged file)")
        time.sleep(0.005)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise ValueError(f"{_shown(p)}: cannot be read: h5py fails on its structures (the process that checked it "
                         f"ended with status {status}: a forged or damaged file)")


def check_result_file(path: PathLike, group: str | None = None) -> Path:
    """Check that ``path`` is a licsim result file or sweep file (and holds ``group``); return
    it as a Path.

    Raises FileNotFoundError if there is no such file and ValueError, naming the path, if
    the file lacks licsim's seal (not written by licsim), its bytes changed since licsim wrote
    it (truncated, damaged, edited), it has another result format version than this licsim
    reads (``licsim_format_version``), its variables' shapes disagree with their dimensions,
    or it has no group ``group``.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{_shown(p)}: no such file")
    # The engine's own check (sim/io/result_file.hpp), before HDF5 parses anything: the seal
    # (a damaged, truncated, foreign or edited file is refused by name), the format version,
    # and shapes that agree with their dimensions.
    try:
        _core.check_result_file(os.fspath(p))
    except _core.DataError as e:
        raise ValueError(str(e)) from None
    _probe_python_reads(p, group)
    with h5py.File(p, "r") as f:
        sweep = _plain(f.attrs.get("licsim_file", "")) == SWEEP_FILE
        missing = [a for a in (SWEEP_REQUIRED_ATTRS if sweep else REQUIRED_ATTRS) if a not in f.attrs]
        if missing:
            what = "sweep file" if sweep else "result file"
            raise ValueError(f"{_shown(p)}: not a licsim {what} (no root attribute {', '.join(missing)})")
        if group is not None and not isinstance(f.get(group), h5py.Group):
            present = ", ".join(_shown(k) for k in f if isinstance(f[k], h5py.Group)) or "none"
            raise ValueError(f"{_shown(p)}: no group '{_shown(group)}' in this licsim result file (groups: {present})")
    return p


def is_sweep(path: PathLike) -> bool:
    """Whether ``path`` is a licsim sweep file (root attribute ``licsim_file = "sweep"``), after
    the checks of :func:`check_result_file`."""
    return _is_sweep_checked(check_result_file(path))


def run_info(path: PathLike) -> dict[str, Any]:
    """Root attributes of a result or sweep file as plain Python values, plus what they encode.

    Keys: every root attribute (``licsim_version``, ``seed``, ``replicates``, ``scale``,
    ``created_utc``, ...). A run file adds ``scenario``, the resolved scenario as a dict
    (parsed from ``scenario_toml``). A sweep file (``licsim_file == "sweep"``) adds
    ``sweep_spec``, the sweep file as written (parsed ``sweep_file_toml``: its ``sweep``,
    ``grid`` and ``sample`` tables), ``sweep_plan``, the resolved plan (parsed
    ``sweep_plan_toml``: every point's scenario, overrides and seed), and ``points``, the
    table of :func:`sweep_points`.
    """
    p = check_result_file(path)
    with h5py.File(p, "r") as f:
        info = {name: _plain(value) for name, value in f.attrs.items()}
    if info.get("licsim_file") == SWEEP_FILE:
        info["sweep_spec"] = tomllib.loads(info["sweep_file_toml"])
        info["sweep_plan"] = tomllib.loads(info["sweep_plan_toml"])
        info["points"] = _read_points(p)
    else:
        info["scenario"] = tomllib.loads(info["scenario_toml"])
    return info


def sweep_points(path: PathLike) -> pd.DataFrame:
    """The points of a sweep file, one row per point (index ``point``).

    Columns: ``scenario`` (the base scenario's label), ``scenario_file``, ``seed``, each
    varied key (its value at the point, rounded for integer keys), ``status`` (``ok`` or
    ``failed``) and ``error`` (why it failed, else ""). Raises ValueError for a run file.
    """
    p = check_result_file(path)
    if not _is_sweep_checked(p):
        raise ValueError(f"{_shown(p)}: a licsim run file, not a sweep file: it has no points")
    return _read_points(p)


def _is_sweep_checked(p: Path) -> bool:
    with h5py.File(p, "r") as f:
        return _plain(f.attrs.get("licsim_file", "")) == SWEEP_FILE


def varied_keys(path: PathLike) -> list[str]:
    """The keys a sweep file varies, in the order of its plan (grid axes, then sampled ranges)."""
    p = check_result_file(path)
    if not _is_sweep_checked(p):
        raise ValueError(f"{_shown(p)}: a licsim run file, not a sweep file: it varies no keys")
    return _plan_coordinates(p)


def _plan_coordinates(p: Path) -> list[str]:
    with h5py.File(p, "r") as f:
        plan = _plain(f.attrs["sweep_plan_toml"])
    # Only the plan's [sweep] table, before its (up to a million) [[point]] tables.
    head = plan.split("\n[[point]]", 1)[0]
    return [str(k) for k in tomllib.loads(head)["sweep"]["coordinates"]]


def _read_points(p: Path) -> pd.DataFrame:
    """The ``points`` group of a checked sweep file as a table (without each point's full
    scenario, which :func:`open_result` with group ``points`` still gives)."""
    points = xr.load_dataset(p, group=POINTS_GROUP, engine="h5netcdf")
    columns = ["scenario", "scenario_file", "seed", *_plan_coordinates(p), "status", "error"]
    return points[columns].to_dataframe()[columns]


def open_result(path: PathLike, group: str = "metrics") -> xr.Dataset:
    """Open one group of a licsim result file as an in-memory xarray Dataset.

    ``group`` is ``metrics`` (daily, by jurisdiction), ``breakdown`` (monthly, by payer, area
    and specialty), ``flows`` (monthly encounters by patient and clinician location) or
    ``regimes`` (monthly, by authority, pathway, outcome and cause). Day
    and month coordinates are decoded to datetime64. The run's provenance (version, seed,
    replicates, scale, scenario) is copied into the Dataset's attributes, with ``source``
    set to the path. The file is closed on return.

    A sweep file gives the same groups with a leading ``point`` dimension, the base
    ``scenario`` and the varied keys as coordinates along it (docs/sweeps.md), and the
    sweep's provenance (``licsim_file = "sweep"``, ``sweep_file_toml``, seed, replicates,
    scale) as attributes; its ``points`` group is :func:`sweep_points` as a Dataset.
    """
    p = check_result_file(path, group)
    try:
        ds = xr.load_dataset(p, group=group, engine="h5netcdf")
        with h5py.File(p, "r") as f:
            sweep = _plain(f.attrs.get("licsim_file", "")) == SWEEP_FILE
            for name in SWEEP_PROVENANCE_ATTRS if sweep else PROVENANCE_ATTRS:
                if name in f.attrs:
                    ds.attrs[name] = _plain(f.attrs[name])
    except OSError as e:  # damage past the file's structure (a chunk cut short)
        raise ValueError(f"{_shown(p)}: cannot be read: the licsim result file is damaged ({_shown(e)})") from None
    ds.attrs["source"] = str(p)
    return ds


def as_dataset(data: Any, group: str = "metrics") -> xr.Dataset:
    """``data`` as a Dataset of ``group``: a Dataset as it is, a :class:`licsim.Result` through
    its ``to_xarray(group)``, anything else as a result file path (:func:`open_result`)."""
    if isinstance(data, xr.Dataset):
        return data
    if hasattr(data, "to_xarray") and not isinstance(data, (str, os.PathLike)):
        return data.to_xarray(group)
    return open_result(data, group)


def open_results(
    paths: Sequence[PathLike] | Mapping[str, PathLike], group: str = "metrics", dim: str = "run"
) -> xr.Dataset:
    """Open the same group of several result files, stacked along a new dimension ``dim``.

    ``paths`` is a sequence of paths (labelled by file name without extension) or a mapping
    from label to path. All files must share every coordinate (same days, jurisdictions and
    replicates); otherwise ValueError names the files that differ.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(paths, Mapping):
        labelled = [(str(label), Path(p)) for label, p in paths.items()]
    else:
        labelled = [(Path(p).stem, Path(p)) for p in paths]
    if not labelled:
        raise ValueError("open_results: no result files given")
    labels = [label for label, _ in labelled]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise ValueError(f"open_results: duplicate labels {duplicates}; pass a mapping of label to path")
    datasets = [open_result(p, group) for _, p in labelled]
    first_label, first = labelled[0][0], datasets[0]
    for (label, p), ds in zip(labelled[1:], datasets[1:]):
        for name in first.coords:
            if name not in ds.coords or not ds[name].equals(first[name]):
                raise ValueError(
                    f"{p}: coordinate '{name}' differs from that of {labelled[0][1]} "
                    f"('{label}' vs '{first_label}'); runs must cover the same days, places and replicates"
                )
    combined = xr.concat(datasets, dim=dim, join="exact", combine_attrs="drop_conflicts")
    combined = combined.assign_coords({dim: labels})
    combined.attrs["sources"] = [str(p) for _, p in labelled]
    return combined
