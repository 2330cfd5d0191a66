"""The result of a run held in memory: NumPy views, xarray Datasets, and the HDF5 file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Union

import numpy as np
import pandas as pd

from . import _core
from .scenario import Scenario

if TYPE_CHECKING:
    import xarray as xr

PathLike = Union[str, "os.PathLike[str]"]

#: The output schema by group: dimensions, arrays and variables (docs/output.md, ``licsim schema``).
_GROUP_SPECS = {g["name"]: g for g in _core.output_schema}

#: Groups of a result file (and of :meth:`Result.to_xarray`), see docs/output.md.
GROUPS = tuple(_GROUP_SPECS)

#: Columns of the headline table.
HEADLINE_COLUMNS = ("metric", "units", "basis", "mean", "low", "high")

class Result:
    """A finished run, in memory. Made by :func:`licsim.run`.

    The arrays (:meth:`array`, and by name :attr:`daily`, :attr:`breakdown`, :attr:`flows`,
    :attr:`by_authority`, :attr:`by_pathway`, ...) are read-only NumPy views of the engine's own
    results, without copies, in the layouts of the output schema (``licsim schema``).
    :meth:`to_xarray` labels them as the HDF5 file does and :meth:`save` writes the very file
    ``licsim run`` writes for the same scenario and settings.
    """

    def __init__(self, run: _core.Result, scenario: Scenario) -> None:
        self._run = run
        self.scenario = scenario  #: the :class:`licsim.Scenario` that ran

    # --- settings and coordinates ---------------------------------------------------------
    @property
    def seed(self) -> int:
        return int(self._run.seed)

    @property
    def replicates(self) -> int:
        return int(self._run.replicates)

    @property
    def scale(self) -> float:
        """Agents per person (divide counts by it for national figures)."""
        return float(self._run.scale)

    @property
    def days(self) -> int:
        return int(self._run.days)

    @property
    def start_date(self) -> str:
        return str(self._run.start_date)

    @property
    def jurisdictions(self) -> list[str]:
        """USPS codes, the ``jurisdiction`` coordinate."""
        return list(self._run.jurisdictions)

    @property
    def places(self) -> list[str]:
        """Jurisdictions then foreign ISO alpha-3 codes (the ``flows`` locations)."""
        return list(self._run.places)

    @property
    def specialties(self) -> list[str]:
        return list(self._run.specialties)

    @property
    def month_start_day(self) -> list[int]:
        """Day index at which each month of the horizon begins (the ``month`` coordinate)."""
        return list(self._run.month_start_day)

    @property
    def patients(self) -> int:
        """Simulated patients (the same in every replicate)."""
        return int(self._run.patients)

    @property
    def clinicians(self) -> int:
        """Simulated clinicians, at home and abroad (the same in every replicate)."""
        return int(self._run.clinicians)

    @property
    def licensed_clinicians(self) -> int:
        """Of :attr:`clinicians`, those holding a US license when the simulation (its spin-up
        included) starts: every one but those a regime adds (international recognition)."""
        return int(self._run.licensed_clinicians)

    # --- arrays (zero-copy, read-only) ----------------------------------------------------
    def array(self, name: str) -> np.ndarray:
        """One of the engine's result arrays by its name in :data:`licsim._core.output_schema`
        (``daily``, ``breakdown``, ``users_month``, ..., ``flows``, ``by_pathway``, ...): a read-only
        view without a copy, over the array's dimensions, then its slots when it has several."""
        return self._run.array(name)

    @property
    def daily(self) -> np.ndarray:
        """[replicate, day, jurisdiction, metric] with metrics in :data:`DAILY_METRICS` order;
        the ``wait_days_mean`` slot holds the *sum* of waits (the file stores the mean)."""
        return self._run.array("daily")

    @property
    def breakdown(self) -> np.ndarray:
        """[replicate, month, jurisdiction, payer, area, specialty, metric]."""
        return self._run.array("breakdown")

    @property
    def flows(self) -> np.ndarray:
        """[replicate, month, patient location, clinician location, modality]: encounters."""
        return self._run.array("flows")

    @property
    def home_flows(self) -> np.ndarray:
        """[replicate, month, patient's home jurisdiction, payer, clinician location, modality]:
        encounters (the claims studies' geography)."""
        return self._run.array("home_flows")

    def users(self, period: str = "month") -> np.ndarray:
        """[replicate, period, jurisdiction, payer, area, kind]: patients counted once per
        calendar ``period`` (``month``, ``quarter``, ``half_year`` or ``year``; the first and last
        may be partial), kinds in :data:`licsim._core.user_metrics` order."""
        return self._run.array("users_" + self._user_period(period))

    def user_period_start_day(self, period: str) -> list[int]:
        """First simulated day of each calendar ``period`` (as :attr:`month_start_day`)."""
        values, _ = self._run.dimension("breakdown", self._user_period(period))
        return [int(v) for v in values]

    @staticmethod
    def _user_period(period: str) -> str:
        names = list(_core.user_period_names)
        if period not in names:
            raise ValueError(f"no period {period!r} (periods: {', '.join(names)})")
        return period

    @property
    def patients_by_cell(self) -> np.ndarray:
        """[jurisdiction, payer, area]: simulated patients (the denominator of users' shares)."""
        return self._run.array("patients_by_cell")

    @property
    def by_authority(self) -> np.ndarray:
        """[replicate, month, jurisdiction, authority, (encounters, adverse events)]."""
        return self._run.array("by_authority")

    @property
    def by_pathway(self) -> np.ndarray:
        """[replicate, month, jurisdiction, pathway, (applications, granted, days sum, active)]."""
        return self._run.array("by_pathway")

    @property
    def disruptions(self) -> np.ndarray:
        """[replicate, month, jurisdiction, outcome]."""
        return self._run.array("disruptions")

    @property
    def harm_causes(self) -> np.ndarray:
        """[replicate, month, jurisdiction, cause]."""
        return self._run.array("harm_causes")

    @property
    def wait_quantiles(self) -> np.ndarray:
        """[replicate, month, jurisdiction, wait quantile (p50, p90)]: days from arrival to service."""
        return self._run.array("wait_quantiles")

    def metric(self, name: str) -> np.ndarray:
        """One daily metric as a [replicate, day, jurisdiction] view (``wait_days_mean``: the mean)."""
        names = [m[0] for m in _core.daily_metrics]
        if name not in names:
            raise KeyError(f"no daily metric {name!r} (have: {', '.join(names)})")
        if name == "wait_days_mean":  # a mean: the slot holds the sum
            return self._run.variable("metrics", name)
        return self.daily[..., names.index(name)]

    # --- tables, Datasets, files ----------------------------------------------------------
    def headline(self, national: bool = True) -> pd.DataFrame:
        """Headline table as ``licsim run`` prints it: one row per metric with ``metric``,
        ``units``, ``basis``, ``mean`` and the 2.5/97.5 percentiles over replicates ``low``,
        ``high``. Counts and amounts are national figures (the agents' totals times
        1 / scale; ``basis`` "national") unless ``national`` is false ("agents"); waits
        ("mean") and shares ("share") do not scale. ``attrs["note"]`` says what the figures are."""
        factor = 1.0 / self.scale if national else 1.0
        rows = self._run.headline(factor)
        basis = {"count": "national" if national else "agents", "usd": "national" if national else "agents",
                 "days": "mean", "share": "share"}
        for row in rows:
            row["basis"] = basis[row.pop("kind")]
        table = pd.DataFrame(rows, columns=list(HEADLINE_COLUMNS))
        scope = (f"national figures, scaled up from agents at 1:{1 / self.scale:,.0f} (scale {self.scale:g})"
                 if national else f"agents' totals at scale {self.scale:g} (1:{1 / self.scale:,.0f})")
        spread = (f"mean and 2.5-97.5% range over {self.replicates} replicates" if self.replicates > 1
                  else "one replicate")
        table.attrs["note"] = f"Totals over {self.days} days from {self.start_date}: {scope}; {spread}."
        return table

    def save(self, path: PathLike, *, force: bool = False) -> Path:
        """Write the HDF5 file ``licsim run`` writes (the same bytes for the same scenario,
        seed and settings when ``SOURCE_DATE_EPOCH`` is set). Refuses to overwrite an
        existing file unless ``force`` (OutputError). Returns the path."""
        self._run.save(os.fspath(path), force)
        return Path(path)

    def to_xarray(self, group: str = "metrics") -> xr.Dataset:
        """One group of the output as an :class:`xarray.Dataset`, with the names, dimensions,
        coordinates, dtypes and attributes of the HDF5 file (as :func:`licsim.open` reads it).

        ``group`` is ``metrics`` (default; daily by jurisdiction), ``breakdown``, ``flows`` or
        ``regimes``. Float variables of ``metrics`` are views of the engine's arrays; counts
        are converted to the file's integer type. The Dataset's attributes carry the run's
        provenance (version, scenario, seed, replicates, scale).
        """
        spec = _GROUP_SPECS.get(group)
        if spec is None:
            raise ValueError(f"no group {group!r} (groups: {', '.join(GROUPS)})")
        import xarray as xr

        coords = {}
        for name, _long_name, _kind in spec["dimensions"]:
            values, attrs = self._run.dimension(group, name)
            coords[name] = ((name,), values, attrs)
        data_vars = {
            v["name"]: (v["dims"], self._run.variable(group, v["name"]),
                        {"units": v["units"], "long_name": v["long_name"]})
            for v in spec["variables"]
        }
        ds = xr.Dataset(data_vars=data_vars, coords=coords, attrs={"description": spec["description"]})
        ds = xr.decode_cf(ds)
        ds.attrs.update(self._provenance())
        return ds

    def __repr__(self) -> str:
        return (
            f"<licsim.Result {self.scenario.source!r}: seed {self.seed}, {self.replicates} replicate(s), "
            f"{self.days} days, scale {self.scale:g}, {len(self.jurisdictions)} jurisdictions>"
        )

    # --- builders ---------------------------------------------------------------------------
    def _provenance(self) -> dict:
        return {
            "licsim_version": _core.__version__,
            "scenario_file": str(self._run.scenario_file),
            "scenario_toml": str(self._run.scenario_toml),
            "seed": self.seed,
            "replicates": self.replicates,
            "scale": self.scale,
        }


#: Names of the daily metrics, in the order of the last axis of :attr:`Result.daily`.
DAILY_METRICS = tuple(m[0] for m in _core.daily_metrics)
