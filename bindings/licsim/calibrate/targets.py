"""Calibration targets: published values with their bands, read from a target file
(``scenarios/calibration/targets.toml``)."""

from __future__ import annotations

import datetime as _dt
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..scenario import SCENARIOS_DIR
from .metrics import METRICS

#: The target file shipped with licsim.
TARGETS_FILE = SCENARIOS_DIR / "calibration" / "targets.toml"

@dataclass(frozen=True)
class Target:
    """One published value and the metric that corresponds to it (see targets.toml)."""

    id: str
    metric: str
    published: float
    lower: float
    upper: float
    weight: float = 1.0
    status: str = "fit"
    definition: str = ""
    population: str = ""
    period: str = ""
    source: str = ""
    why: str = ""

    @property
    def halfwidth(self) -> float:
        return (self.upper - self.lower) / 2.0

    def within(self, value: float) -> bool:
        return bool(np.isfinite(value) and self.lower <= value <= self.upper)


@dataclass(frozen=True)
class Targets:
    """The targets of a file and the evaluation settings of its ``[window]`` table."""

    targets: tuple[Target, ...]
    start: str
    end: str
    scale: float = 0.001
    replicates: int = 4
    seed: int = 1
    unmapped: tuple[dict, ...] = ()

    def __iter__(self):
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)

    def get(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(f"no target {target_id!r} (have: {', '.join(t.id for t in self.targets)})")

    def select(self, ids: Sequence[str] | None) -> Targets:
        if ids is None:
            return self
        return Targets(tuple(self.get(i) for i in ids), self.start, self.end, self.scale, self.replicates, self.seed,
                       self.unmapped)


def load_targets(path: str | os.PathLike[str] | None = None) -> Targets:
    """Read a target file (default: the shipped ``calibration/targets.toml``).

    Raises ValueError naming the file and the target when a field is missing or wrong (an
    unknown metric, a band that does not contain the published value's side, ...).
    """
    path = Path(path) if path is not None else TARGETS_FILE
    with open(path, "rb") as f:
        data = tomllib.load(f)
    window = data.get("window", {})
    for key in ("start", "end"):
        if key not in window:
            raise ValueError(f"{path}: [window] needs '{key}' (a date YYYY-MM-DD)")
        _dt.date.fromisoformat(str(window[key]))
    targets = []
    for k, raw in enumerate(data.get("target", [])):
        where = f"{path}: target {raw.get('id', k)}"
        for key in ("id", "metric", "published", "lower", "upper"):
            if key not in raw:
                raise ValueError(f"{where}: missing '{key}'")
        if raw["metric"] not in METRICS:
            raise ValueError(f"{where}: unknown metric {raw['metric']!r} (have: {', '.join(sorted(METRICS))})")
        if not raw["lower"] <= raw["upper"]:
            raise ValueError(f"{where}: lower > upper")
        status = raw.get("status", "fit")
        if status not in ("fit", "miss"):
            raise ValueError(f"{where}: status must be 'fit' or 'miss', got {status!r}")
        targets.append(Target(
            id=str(raw["id"]), metric=raw["metric"], published=float(raw["published"]), lower=float(raw["lower"]),
            upper=float(raw["upper"]), weight=float(raw.get("weight", 1.0)), status=status,
            definition=" ".join(str(raw.get("definition", "")).split()), population=raw.get("population", ""),
            period=raw.get("period", ""), source=raw.get("source", ""), why=" ".join(str(raw.get("why", "")).split())))
    ids = [t.id for t in targets]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: target ids must be unique")
    return Targets(tuple(targets), str(window["start"]), str(window["end"]), float(window.get("scale", 0.001)),
                   int(window.get("replicates", 4)), int(window.get("seed", 1)), tuple(data.get("unmapped", [])))
