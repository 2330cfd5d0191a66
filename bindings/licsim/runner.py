"""Running scenarios from Python: the same engine call and the same file as `licsim run`."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any, Union

import pandas as pd

from . import _core

PathLike = Union[str, "os.PathLike[str]"]

#: Columns of the headline table returned by :func:`run_to_file`.
HEADLINE_COLUMNS = ("metric", "units", "mean", "low", "high")


def _toml_string(text: str) -> str:
    """Quote ``text`` as a TOML basic string."""
    escapes = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def to_toml_value(value: Any) -> str:
    """Write one Python value in TOML syntax, as a scenario file would spell it.

    Accepts bool, int, float (finite or not), str, and lists or tuples of these (nested
    lists too); NumPy scalars and arrays are accepted through their Python equivalents.
    Raises TypeError for anything else (None, dicts, dates, ...): a scenario value is
    never a table.
    """
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # NumPy scalar or array -> Python value or list
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return float.__repr__(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(to_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} as a scenario value: {value!r}")


def _overrides_as_toml(overrides: Mapping[str, Any] | None) -> dict[str, str]:
    """Convert ``{key: python value}`` into ``{key: TOML text}`` for the compiled core."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise TypeError(f"overrides must be a mapping of scenario keys to values, got {type(overrides).__name__}")
    result: dict[str, str] = {}
    for key, value in overrides.items():
        if not isinstance(key, str):
            raise TypeError(f"override keys must be strings like 'population.lep_share', got {key!r}")
        try:
            result[key] = to_toml_value(value)
        except TypeError as err:
            raise TypeError(f"override {key!r}: {err}") from None
    return result


def run_to_file(
    scenario: PathLike,
    output: PathLike,
    *,
    seed: int = 1,
    replicates: int = 1,
    threads: int = 0,
    scale: float = 0.001,
    days: int = 0,
    overrides: Mapping[str, Any] | None = None,
    force: bool = False,
) -> pd.DataFrame:
    """Run a scenario file and write the HDF5 result, exactly as ``licsim run`` does.

    Parameters mirror the command line: ``seed``, ``replicates``, ``threads`` (0: all
    cores), ``scale`` (agents per person), ``days`` (0: the scenario's horizon) and
    ``force`` (overwrite ``output``). ``overrides`` maps scenario keys to Python values,
    e.g. ``{"population.lep_share": 0.1, "controlled_substances.in_person_rule": False}``;
    they are validated like ``--set`` (values that TOML cannot spell, such as None or a
    dict, raise TypeError naming the key).

    Returns the headline table (one row per metric: ``metric``, ``units``, ``mean`` and the
    2.5/97.5 percentiles ``low`` and ``high`` over replicates). Raises ScenarioError,
    DataError, OutputError or UsageError (all LicsimError) for bad input, and
    KeyboardInterrupt on Ctrl-C, in which case no output file is left.
    """
    rows = _core.run_to_file(
        os.fspath(scenario),
        os.fspath(output),
        seed=seed,
        replicates=replicates,
        threads=threads,
        scale=scale,
        days=days,
        overrides=_overrides_as_toml(overrides),
        force=force,
    )
    return pd.DataFrame(rows, columns=list(HEADLINE_COLUMNS))


def resolved_scenario(scenario: PathLike, overrides: Mapping[str, Any] | None = None) -> str:
    """Validate a scenario file with ``overrides`` and return it fully resolved as TOML text.

    The text lists every key with its value after ``base`` inheritance and overrides; it is
    what a run stores in the ``scenario_toml`` attribute of its output.
    """
    return _core.resolved_scenario(os.fspath(scenario), _overrides_as_toml(overrides))
