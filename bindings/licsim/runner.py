"""Running scenarios from Python: the same engine call and the same file as ``licsim run``."""

from __future__ import annotations

import numbers
import operator
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, Union

import pandas as pd

from . import _core
from .result import HEADLINE_COLUMNS, Result
from .scenario import Scenario, as_scenario

PathLike = Union[str, "os.PathLike[str]"]
ScenarioLike = Union[Scenario, PathLike, Mapping[str, Any]]
Progress = Union[bool, None, Callable[[int, int], Any]]

_SEED_MAX = 2**64 - 1


def _check_seed(seed: Any) -> int:
    """The seed as the CLI reads it: an integer in [0, 2^64-1], else UsageError."""
    try:
        value = None if isinstance(seed, bool) else operator.index(seed)
    except TypeError:
        value = None
    if value is None or not 0 <= value <= _SEED_MAX:
        raise _core.UsageError(f"--seed: expected an integer in [0, {_SEED_MAX}], got {_shown(seed)}")
    return value


#: Bounds of the integer run settings, from their one definition (sim/scenario/run_settings.hpp).
_INT_SETTINGS: dict[str, tuple[int, int]] = dict(_core.integer_setting_bounds)


def _shown(value: Any) -> str:
    """A setting as an error message quotes it: at most about 100 characters."""
    try:
        text = repr(value) if not isinstance(value, int) or isinstance(value, bool) else str(value)
    except ValueError:  # an int beyond Python's digit limit for str()
        text = f"an integer of {value.bit_length()} bits"
    if len(text) > 100:
        text = f"{text[:100]}... ({len(text)} characters)"
    return text


def _check_int_setting(name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """An integer run setting within its bounds, else UsageError naming it (never pybind's TypeError)."""
    if low is None:
        low, high = _INT_SETTINGS[name]
    try:
        number = None if isinstance(value, bool) else operator.index(value)
    except TypeError:
        number = None
    if number is None or not low <= number <= high:
        raise _core.UsageError(f"--{name}: expected an integer in [{low}, {high}], got {_shown(value)}")
    return number


def _check_scale(scale: Any) -> float:
    """The scale as a float in (0, 1], else UsageError (an int too large for a float included)."""
    number = None
    if isinstance(scale, numbers.Real) and not isinstance(scale, bool):
        try:
            number = float(scale)
        except (TypeError, ValueError, OverflowError):  # an int beyond a float's range
            number = None
    if number is None or not 0 < number <= 1:
        raise _core.UsageError(f"--scale: expected a number in (0, 1], got {_shown(scale)}")
    return number


def _check_settings(seed: Any, replicates: Any, threads: Any, scale: Any, days: Any) -> tuple[_core.RunSettings, int]:
    """(settings, threads): types checked here, so that a value C++ cannot hold is a UsageError
    and not pybind's TypeError; bounds checked once, by ``_core.RunSettings``."""
    settings = _core.RunSettings(
        seed=_check_seed(seed),
        replicates=_check_int_setting("replicates", replicates),
        scale=_check_scale(scale),
        days=_check_int_setting("days", days),
    )
    return settings, _check_int_setting("threads", threads)


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    ip = shell.get_ipython()
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


def _progress_bar(progress: Progress, total: int):
    """(callback for the core, bar to close) for the ``progress`` argument of :func:`run`."""
    if progress is False:
        return None, None
    if callable(progress) and not isinstance(progress, bool):
        return progress, None
    if progress is None and not (_in_notebook() or sys.stderr.isatty()):
        return None, None
    try:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit="day", desc="licsim", dynamic_ncols=True)
    except ImportError:  # tqdm.notebook without ipywidgets: a text bar instead
        from tqdm import tqdm

        bar = tqdm(total=total, unit="day", desc="licsim", dynamic_ncols=True)

    def update(done: int, total: int) -> None:
        bar.total = total  # the engine's count is the authority
        bar.update(done - bar.n)

    return update, bar


def run(
    scenario: ScenarioLike,
    *,
    seed: int = 1,
    replicates: int = 1,
    threads: int = 0,
    scale: float = 0.001,
    days: int = 0,
    overrides: Mapping[str, Any] | None = None,
    progress: Progress = None,
) -> Result:
    """Simulate a scenario and return its :class:`Result` (in memory; ``.save(path)`` writes it).

    ``scenario`` is a file path, TOML text, a dict or a :class:`licsim.Scenario` (see there).
    Settings mirror ``licsim run``: ``seed`` (0 to 2^64-1), ``replicates``, ``threads`` (0:
    all cores; results do not depend on it), ``scale`` (agents per person), ``days`` (0: the
    scenario's ``simulation.days``). ``overrides`` maps dotted keys to Python values, e.g.
    ``{"population.lep_share": 0.1, "compact.enabled": True}``, checked like ``--set``.

    The simulation runs with the GIL released. ``progress``: None shows a tqdm bar in a
    notebook or on a terminal, True always, False never; a callable is called as
    ``progress(days_done, days_total)`` at most ten times a second. Ctrl-C raises
    KeyboardInterrupt between two simulated days.

    Raises ScenarioError/DataError for bad input (the CLI's message, naming the key),
    UsageError for bad settings (naming the setting and its bounds, also for values too large
    for the engine's integers, and for a ``scale`` at which the run would have no patients),
    TypeError for values TOML cannot spell.
    """
    settings, threads = _check_settings(seed, replicates, threads, scale, days)
    return _run(as_scenario(scenario, overrides), settings, threads, progress)


def _run(s: Scenario, settings: _core.RunSettings, threads: int, progress: Progress, output: PathLike | None = None,
         force: bool = False) -> Result:
    """The engine call behind :func:`run` and :func:`run_to_file` (which passes ``output``)."""
    # The spin-up before the recorded days is simulated too: the bar counts it.
    total = (_core.days_run(s._scenario, settings) + int(s["simulation.spinup_days"])) * settings.replicates
    callback, bar = _progress_bar(progress, total)
    try:
        if output is None:
            raw = _core.run(s._scenario, settings, threads=threads, progress=callback)
        else:
            raw = _core.run_to_file(s._scenario, settings, os.fspath(output), force=force, threads=threads,
                                    progress=callback)
    finally:
        if bar is not None:
            bar.close()
    return Result(raw, s)


def run_to_file(
    scenario: ScenarioLike,
    output: PathLike,
    *,
    seed: int = 1,
    replicates: int = 1,
    threads: int = 0,
    scale: float = 0.001,
    days: int = 0,
    overrides: Mapping[str, Any] | None = None,
    force: bool = False,
    progress: Progress = None,
) -> pd.DataFrame:
    """Run a scenario and write the HDF5 result, exactly as ``licsim run`` does.

    Arguments as :func:`run`; the output path is checked before the run (OutputError if it
    exists and not ``force``). Returns the headline table (one row per metric: ``metric``,
    ``units``, ``mean`` and the 2.5/97.5 percentiles ``low`` and ``high`` over replicates).
    On Ctrl-C (KeyboardInterrupt) no output file is left.
    """
    settings, threads = _check_settings(seed, replicates, threads, scale, days)
    s = as_scenario(scenario, overrides)  # bad input fails before the output is checked
    # folder, force, and room on its file system for the estimated output, before the run
    _core.check_output(os.fspath(output), force, s._scenario, settings)
    return _run(s, settings, threads, progress, output=output, force=force).headline()


def resolved_scenario(scenario: ScenarioLike, overrides: Mapping[str, Any] | None = None) -> str:
    """Validate a scenario with ``overrides`` and return it fully resolved as TOML text.

    The text lists every key with its value after ``base`` inheritance and overrides; it is
    what a run stores in the ``scenario_toml`` attribute of its output (with
    ``simulation.days`` set to the days run).
    """
    return as_scenario(scenario, overrides).to_toml()


__all__ = ["run", "run_to_file", "resolved_scenario", "HEADLINE_COLUMNS"]
