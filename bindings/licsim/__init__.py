"""licsim: agent-based simulation of US medical licensure policy for telemedicine.

Run a scenario with :func:`run_to_file`, open its output with :func:`open`, and analyse it
with :mod:`licsim.analysis`. The command-line tool ``licsim run`` writes the same files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._core import (
    DataError,
    LicsimError,
    OutputError,
    ScenarioError,
    UsageError,
    __version__,
)
from .runner import resolved_scenario, run_to_file, to_toml_value

if TYPE_CHECKING:
    import os

    import xarray

__all__ = [
    "__version__",
    "LicsimError",
    "ScenarioError",
    "DataError",
    "OutputError",
    "UsageError",
    "run_to_file",
    "resolved_scenario",
    "to_toml_value",
    "open",
]


def open(path: str | os.PathLike[str], group: str = "metrics") -> xarray.Dataset:  # noqa: A001 - mirrors xarray.open_dataset
    """Open one group (``metrics``, ``breakdown`` or ``flows``) of a licsim result file.

    Returns an in-memory :class:`xarray.Dataset`; raises ValueError if ``path`` is not a
    licsim result file or has no such group. See :func:`licsim.analysis.open_result`.
    """
    from .analysis import open_result

    return open_result(path, group=group)
