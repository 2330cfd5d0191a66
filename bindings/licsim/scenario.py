"""Scenarios from a file, TOML text or a dict, with overrides checked like ``licsim run --set``."""

from __future__ import annotations

import copy
import math
import os
import tomllib
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Union

from . import _core

PathLike = Union[str, "os.PathLike[str]"]

#: Folder of the scenario files shipped with the package (the repository's scenarios/).
SCENARIOS_DIR = Path(__file__).resolve().with_name("scenarios")

#: Where errors in a dict scenario and in overrides say they come from. Overrides are
#: labelled like the CLI's, so that a bad override gives the message ``licsim run --set`` gives.
DICT_ORIGIN = "<dict>"
STRING_ORIGIN = "<string>"
OVERRIDE_ORIGIN = "--set"


def scenario_path(name: str) -> Path:
    """Path of a scenario file shipped with licsim: ``"imlc"`` or ``"imlc.toml"``.

    Raises FileNotFoundError listing the shipped scenarios when there is no such file.
    """
    file = SCENARIOS_DIR / (name if name.endswith(".toml") else f"{name}.toml")
    if not file.is_file():
        raise FileNotFoundError(f"no shipped scenario {name!r} (have: {', '.join(available_scenarios())})")
    return file


def _file_or_shipped(source: PathLike) -> PathLike:
    """``source`` itself when it is a file or looks like a path; else the shipped scenario of
    that name (``"imlc"``), as ``licsim run imlc`` reads it."""
    text = os.fspath(source)
    if os.path.exists(text) or os.sep in text or "/" in text:
        return source
    stem = text.removesuffix(".toml")
    return scenario_path(stem) if stem in available_scenarios() else source


class IneffectiveOverrideWarning(UserWarning):
    """An override of a key whose regime module the scenario leaves switched off."""


def available_scenarios() -> list[str]:
    """Names of the scenario files shipped with licsim (``state_only``, ``imlc``, ...)."""
    return sorted(p.stem for p in SCENARIOS_DIR.glob("*.toml"))


# --- Python values in TOML syntax ----------------------------------------------------------


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

    Accepts bool, int, float (finite or not), str, os.PathLike (as its path string), and
    lists or tuples of these (nested lists too); NumPy scalars and arrays are accepted
    through their Python equivalents. Raises TypeError for anything else (None, dicts,
    dates, ...): a scenario value is never a table.
    """
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # NumPy scalar or array -> Python value or list
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
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


def _flatten(values: Mapping[str, Any], origin: str, prefix: str = "") -> dict[str, Any]:
    """Nested mappings to dotted keys (``{"a": {"b": 1}}`` and ``{"a.b": 1}`` alike)."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if not isinstance(key, str):
            raise TypeError(f"{origin}: scenario keys must be strings like 'population.lep_share', got {key!r}")
        full = f"{prefix}.{key}" if prefix else key
        items = _flatten(value, origin, full) if isinstance(value, Mapping) else {full: value}
        for name, item in items.items():
            if name in flat:
                raise _core.ScenarioError(f"{origin}: key '{_core.printable(name)}': given twice")
            flat[name] = item
    return flat


def _assignments(values: Mapping[str, Any] | None, origin: str) -> list[tuple[str, str]]:
    """``{key: Python value}`` (nested or dotted) as ``[(dotted key, TOML text)]`` for the core."""
    if values is None:
        return []
    if not isinstance(values, Mapping):
        raise TypeError(f"{origin}: expected a mapping of scenario keys to values, got {type(values).__name__}")
    result = []
    for key, value in _flatten(values, origin).items():
        try:
            result.append((key, to_toml_value(value)))
        except TypeError as err:
            raise TypeError(f"{origin}: key '{_core.printable(key)}': {err}") from None
    return result


def _looks_like_toml(text: str) -> bool:
    return "\n" in text or "=" in text


# --- Scenario --------------------------------------------------------------------------------


class Scenario:
    """A complete, validated scenario, ready to run.

    ``source`` is a scenario file (a path, as ``str`` or ``os.PathLike``), TOML text (a
    ``str`` holding ``=`` or a newline), a dict (nested tables, dotted keys, or both) or
    another Scenario. A dict or TOML text may start from a file with ``base = "..."``;
    relative paths in them resolve against ``base_dir`` (default: the current folder).
    ``overrides`` maps dotted keys to Python values and is checked like ``licsim run --set``.

    Every key is checked against the parameter dictionary as it is read; errors raise
    :class:`licsim.ScenarioError` (or :class:`licsim.DataError` for a data file) with the
    message the CLI prints: origin (file and line, ``<string>``, ``<dict>`` or ``--set``),
    the key, and what was expected. Values that TOML cannot spell (None, objects) raise
    TypeError naming the key.
    """

    __slots__ = ("_raw", "_scenario", "_notes")

    def __init__(
        self,
        source: Scenario | PathLike | Mapping[str, Any],
        overrides: Mapping[str, Any] | None = None,
        *,
        base_dir: PathLike | None = None,
    ) -> None:
        if isinstance(source, Scenario):
            raw = copy.copy(source._raw)
        elif isinstance(source, Mapping):
            raw = _load_dict(source, base_dir)
        elif isinstance(source, str) and _looks_like_toml(source):
            raw = _core.load_string(source, STRING_ORIGIN, os.fspath(base_dir or os.getcwd()))
        elif isinstance(source, (str, os.PathLike)):
            raw = _core.load_file(os.fspath(_file_or_shipped(source)))
        else:
            raise TypeError(
                f"a scenario is a file path, TOML text, a dict or a licsim.Scenario, not {type(source).__name__}"
            )
        self._set(raw, overrides)

    def _set(self, raw: _core.Scenario, overrides: Mapping[str, Any] | None) -> None:
        assignments = _assignments(overrides, OVERRIDE_ORIGIN) if overrides else []
        if assignments:
            raw = _core.with_values(raw, assignments, OVERRIDE_ORIGIN)
        scenario = copy.copy(raw)
        self._notes = tuple(_core.finalize(scenario))
        for message in _core.ineffective_key_warnings(scenario, [key for key, _ in assignments]):
            warnings.warn(f"override {message}", IneffectiveOverrideWarning, stacklevel=3)
        self._raw, self._scenario = raw, scenario

    @classmethod
    def from_file(cls, path: PathLike, overrides: Mapping[str, Any] | None = None) -> Scenario:
        """Read a scenario file (following ``base``), as ``licsim run`` does."""
        self = cls.__new__(cls)
        self._set(_core.load_file(os.fspath(path)), overrides)
        return self

    @classmethod
    def from_toml(
        cls, text: str, overrides: Mapping[str, Any] | None = None, *, base_dir: PathLike | None = None
    ) -> Scenario:
        """Read scenario TOML text; errors name ``<string>`` and the line."""
        self = cls.__new__(cls)
        self._set(_core.load_string(text, STRING_ORIGIN, os.fspath(base_dir or os.getcwd())), overrides)
        return self

    @classmethod
    def from_dict(
        cls, values: Mapping[str, Any], overrides: Mapping[str, Any] | None = None, *, base_dir: PathLike | None = None
    ) -> Scenario:
        """Build a scenario from a dict: nested tables (``{"population": {"lep_share": 0.1}}``),
        dotted keys (``{"population.lep_share": 0.1}``) or both, optionally on a ``base`` file."""
        self = cls.__new__(cls)
        self._set(_load_dict(values, base_dir), overrides)
        return self

    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """A new scenario with ``overrides`` applied (checked like ``--set``); this one is unchanged."""
        other = Scenario.__new__(Scenario)
        other._set(copy.copy(self._raw), overrides)
        return other

    @property
    def source(self) -> str:
        """The file the scenario was read from (as given), ``<string>`` or ``<dict>``.

        It is what a run stores as ``scenario_file`` in its output.
        """
        return self._scenario.source_name

    @property
    def notes(self) -> tuple[str, ...]:
        """What ``licsim validate`` explains about the combination of regime modules."""
        return self._notes

    @property
    def jurisdictions(self) -> list[str]:
        """USPS codes of the scenario's jurisdictions, in output order."""
        return list(self._scenario.jurisdictions)

    def to_toml(self) -> str:
        """The resolved scenario (every key, after ``base`` and overrides) as TOML text:
        what a run stores as ``scenario_toml``."""
        return self._scenario.to_toml()

    def to_dict(self) -> dict[str, Any]:
        """The resolved scenario as nested dicts (parsed from :meth:`to_toml`)."""
        return tomllib.loads(self.to_toml())

    def keys(self) -> list[str]:
        """Every dotted key set."""
        return list(self._scenario.values())

    def __getitem__(self, key: str) -> Any:
        if not self._scenario.has(key):
            raise KeyError(f"no key {key!r} in this scenario")
        return self._scenario.values()[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._scenario.has(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def origin(self, key: str) -> tuple[str, int]:
        """Where ``key`` was set: (file, ``<dict>`` or ``--set``; line, 0 when unknown)."""
        return tuple(self._scenario.origin(key))

    def __repr__(self) -> str:
        name = self._scenario.values().get("meta.name", "")
        return f"<licsim.Scenario {name!r} from {self.source!r}: {len(self.keys())} keys>"


def _load_dict(values: Mapping[str, Any], base_dir: PathLike | None) -> _core.Scenario:
    if not isinstance(values, Mapping):
        raise TypeError(f"{DICT_ORIGIN}: expected a mapping, got {type(values).__name__}")
    values = dict(values)
    base = values.pop("base", None)
    base_toml = ""
    if base is not None:
        if not isinstance(base, (str, os.PathLike)):
            raise _core.ScenarioError(f"{DICT_ORIGIN}: key 'base': expected a string (a scenario file path)")
        base_toml = to_toml_value(os.fspath(base))
    directory = os.fspath(base_dir or os.getcwd())
    return _core.load_assignments(base_toml, _assignments(values, DICT_ORIGIN), DICT_ORIGIN, directory)


def as_scenario(
    scenario: Scenario | PathLike | Mapping[str, Any], overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """``scenario`` as a :class:`Scenario` (itself when it is one and there are no overrides)."""
    if isinstance(scenario, Scenario):
        return scenario.with_overrides(overrides) if overrides else scenario
    return Scenario(scenario, overrides)
