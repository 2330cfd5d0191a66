"""Scenario sweeps from Python: the same sweep files, work folder and output as ``licsim sweep``.

``licsim.sweep("scenarios/sweeps/compact_adoption.toml", "out/adoption.h5")`` runs every point in
this process; given a Dask ``client`` it runs them on the cluster instead. Either way each finished
point is kept in ``OUT.h5.parts/`` the moment it is done, so an interrupted sweep continues with
``resume=True``, and the sweep file written at the end is byte for byte the one the command line
writes (with ``SOURCE_DATE_EPOCH`` fixed). See docs/sweeps.md.
"""

from __future__ import annotations

import operator
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from . import _core
from .runner import _check_int_setting, _shown

__all__ = ["sweep", "SweepReport", "load_sweep"]


@dataclass
class SweepReport:
    """What a sweep did: where the file is, how many points, which failed and why."""

    path: Path
    points: int
    ran: int
    seconds: float
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def points_per_minute(self) -> float:
        return 60.0 * self.ran / self.seconds if self.seconds > 0 else float("nan")

    def open(self, group: str = "metrics"):
        """One group of the sweep file as an in-memory xarray Dataset with a ``point`` dimension
        and the sweep's provenance, as :func:`licsim.open` reads it (``points``: one row per point).

        Raises ValueError, naming the file, when it is not the sweep file licsim wrote (its
        seal, format and shapes are checked first: docs/output.md)."""
        from .analysis import open_result

        return open_result(self.path, group)


def _toml(value: Any) -> str:
    from .scenario import to_toml_value

    return to_toml_value(value)


def _dict_to_toml(spec: Mapping[str, Mapping[str, Any]]) -> str:
    """{"sweep": {...}, "grid": {...}, "sample": {..., "ranges": {...}}} as sweep-file TOML."""
    lines: list[str] = []

    def table(name: str, body: Mapping[str, Any]) -> None:
        lines.append(f"[{name}]")
        nested = []
        for key, value in body.items():
            if isinstance(value, Mapping):
                nested.append((f"{name}.{key}", value))
            else:
                lines.append(f'"{key}" = {_toml(value)}')
        for sub, value in nested:
            table(sub, value)

    for name, body in spec.items():
        table(name, body)
    return "\n".join(lines) + "\n"


def load_sweep(spec: str | os.PathLike[str] | Mapping[str, Any]) -> "_core.SweepPlan":
    """Resolve a sweep given as a file path, TOML text or a dict (scenario paths relative to the cwd)."""
    if isinstance(spec, Mapping):
        return _core.load_sweep_string(_dict_to_toml(spec), "<dict>", os.getcwd())
    text = os.fspath(spec)
    if "\n" in text or text.lstrip().startswith("["):
        return _core.load_sweep_string(text, "<string>", os.getcwd())
    return _core.load_sweep_file(text)


def _run_remote(plan_text: str, point: int, threads: int) -> tuple[int, bool, Any]:
    """On a Dask worker: run one point, return its point file as bytes (or its error)."""
    from licsim import _core as core

    plan = core.sweep_plan_from_text(plan_text)
    with tempfile.TemporaryDirectory(prefix="licsim-point-") as tmp:
        path = os.path.join(tmp, "point.h5")
        error = core.run_sweep_point(plan, point, path, threads)
        if error is not None:
            return point, False, error
        return point, True, core.read_bytes(path)


def _check_shard(shard: Any) -> tuple[int, int]:
    """``shard`` as (i, n) of two integers with 0 <= i < n, else UsageError."""
    if shard is None:
        return 0, 1
    try:
        index, count = shard
        pair = None if isinstance(index, bool) or isinstance(count, bool) else (operator.index(index), operator.index(count))
    except (TypeError, ValueError):
        pair = None
    if pair is None or not (1 <= pair[1] <= 2**31 - 1 and 0 <= pair[0] < pair[1]):
        raise _core.UsageError(f"shard: expected (i, n), two integers with 0 <= i < n, got {_shown(shard)}")
    return pair


def sweep(
    spec: str | os.PathLike[str] | Mapping[str, Any],
    output: str | os.PathLike[str],
    *,
    resume: bool = False,
    force: bool = False,
    threads: int = 0,
    client: Any = None,
    shard: tuple[int, int] | None = None,
    progress: bool = True,
) -> SweepReport:
    """Run every point of a sweep and write the sweep file ``output``.

    ``spec`` is a sweep file (see docs/sweeps.md), TOML text or a dict of its tables.
    ``resume`` finishes an interrupted sweep (only the points not yet in ``OUT.h5.parts``);
    ``force`` overwrites ``output`` or discards an interrupted sweep's work. ``threads`` is the
    OpenMP threads per point. With a ``dask.distributed.Client`` the points run on its workers
    (which need licsim installed and the scenario files at the same paths); results come back
    as bytes, so workers need no shared file system. ``shard=(i, n)`` runs only points with
    index % n == i (then merge the shard files with ``licsim merge``). Failed points are
    reported in the returned :class:`SweepReport` and in ``points/status`` of the file.
    """
    threads = _check_int_setting("threads", threads)
    shard_index, shards = _check_shard(shard)
    plan = load_sweep(spec)
    output = Path(output)
    points = plan.shard_points(shard_index, shards)
    _core.check_output_path(str(output), force)
    _core.check_sweep_space(plan, str(output), len(points))
    store = _core.SweepStore(str(output), plan, resume, force)
    todo = store.missing(points)
    bar = None
    if progress and todo:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit="point", desc="licsim sweep")
    start = time.perf_counter()
    try:
        if client is None:
            for point in todo:
                error = _core.run_sweep_point(plan, point, store.point_file(point), threads)
                if error is not None:
                    store.record_failure(point, error)
                if bar is not None:
                    bar.update()
        else:
            from dask.distributed import as_completed

            futures = client.map(_run_remote, [plan.text] * len(todo), todo, [threads] * len(todo), pure=False)
            for future in as_completed(futures):
                point, ok, payload = future.result()
                if ok:
                    store.store_point_bytes(point, payload)
                else:
                    store.record_failure(point, payload)
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()
    seconds = time.perf_counter() - start
    label = f"{shard_index}/{shards}" if shards > 1 else ""
    failed = store.finish(str(output), plan, points, label)
    return SweepReport(output, len(points), len(todo), seconds, dict(failed))
