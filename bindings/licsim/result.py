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

#: Groups of a result file (and of :meth:`Result.to_xarray`), see docs/output.md.
GROUPS = ("metrics", "breakdown", "flows", "regimes")

#: Columns of the headline table.
HEADLINE_COLUMNS = ("metric", "units", "mean", "low", "high")

_INT32_MAX = 2147483647.0


def _lround(values: np.ndarray) -> np.ndarray:
    """Round half away from zero, as C's lround (the writer's rounding of counts)."""
    return np.where(values >= 0, np.floor(values + 0.5), np.ceil(values - 0.5))


def _as_written(values: np.ndarray, count: bool) -> np.ndarray:
    """The values as the writer stores them: counts as int32 (int64 when one would not fit),
    everything else as float64 (a view when it can be)."""
    if not count:
        return values
    rounded = _lround(values)
    dtype = np.int32 if values.size == 0 or np.abs(values).max() < _INT32_MAX else np.int64
    return rounded.astype(dtype)


def _coord(values, long_name: str, units: str = "", **attrs: str) -> tuple:
    a = {"long_name": long_name, **attrs}
    if units:
        a = {"units": units, **a}
    return values, a


class Result:
    """A finished run, in memory. Made by :func:`licsim.run`.

    The arrays (:attr:`daily`, :attr:`breakdown`, :attr:`flows`, :attr:`by_authority`,
    :attr:`by_pathway`, :attr:`disruptions`, :attr:`harm_causes`) are read-only NumPy views of
    the engine's own results, without copies, in the layouts of ``sim/engine/results.hpp``.
    :meth:`to_xarray` labels them as the HDF5 file does and :meth:`save` writes the very file
    ``licsim run`` writes for the same scenario and settings.
    """

    def __init__(self, run: _core.Run, scenario: Scenario) -> None:
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
    @property
    def daily(self) -> np.ndarray:
        """[replicate, day, jurisdiction, metric] with metrics in :data:`DAILY_METRICS` order;
        the ``wait_days_mean`` slot holds the *sum* of waits (the file stores the mean)."""
        return self._run.daily

    @property
    def breakdown(self) -> np.ndarray:
        """[replicate, month, jurisdiction, payer, area, specialty, metric]."""
        return self._run.breakdown

    @property
    def flows(self) -> np.ndarray:
        """[replicate, month, patient location, clinician location, modality]: encounters."""
        return self._run.flows

    @property
    def home_flows(self) -> np.ndarray:
        """[replicate, month, patient's home jurisdiction, payer, clinician location, modality]:
        encounters (the claims studies' geography)."""
        return self._run.home_flows

    def users(self, period: str = "month") -> np.ndarray:
        """[replicate, period, jurisdiction, payer, area, kind]: patients counted once per
        calendar ``period`` (``month``, ``quarter``, ``half_year`` or ``year``; the first and last
        may be partial), kinds in :data:`licsim._core.user_metrics` order."""
        return self._run.users(self._user_period(period))

    def user_period_start_day(self, period: str) -> list[int]:
        """First simulated day of each calendar ``period`` (as :attr:`month_start_day`)."""
        return list(self._run.user_period_start_day(self._user_period(period)))

    @staticmethod
    def _user_period(period: str) -> int:
        names = list(_core.user_period_names)
        if period not in names:
            raise ValueError(f"no period {period!r} (periods: {', '.join(names)})")
        return names.index(period)

    @property
    def patients_by_cell(self) -> np.ndarray:
        """[jurisdiction, payer, area]: simulated patients (the denominator of users' shares)."""
        return self._run.patients_by_cell

    @property
    def by_authority(self) -> np.ndarray:
        """[replicate, month, jurisdiction, authority, (encounters, adverse events)]."""
        return self._run.by_authority

    @property
    def by_pathway(self) -> np.ndarray:
        """[replicate, month, jurisdiction, pathway, (applications, granted, days sum, active)]."""
        return self._run.by_pathway

    @property
    def disruptions(self) -> np.ndarray:
        """[replicate, month, jurisdiction, outcome]."""
        return self._run.disruptions

    @property
    def harm_causes(self) -> np.ndarray:
        """[replicate, month, jurisdiction, cause]."""
        return self._run.harm_causes

    def metric(self, name: str) -> np.ndarray:
        """One daily metric as a [replicate, day, jurisdiction] view (``wait_days_mean``: the mean)."""
        names = [m[0] for m in _core.daily_metrics]
        if name not in names:
            raise KeyError(f"no daily metric {name!r} (have: {', '.join(names)})")
        if name == "wait_days_mean":
            return self._wait_days_mean()
        return self.daily[..., names.index(name)]

    # --- tables, Datasets, files ----------------------------------------------------------
    def headline(self) -> pd.DataFrame:
        """Headline table as ``licsim run`` prints it: one row per metric with ``metric``,
        ``units``, ``mean`` and the 2.5/97.5 percentiles over replicates ``low``, ``high``."""
        return pd.DataFrame(self._run.headline(), columns=list(HEADLINE_COLUMNS))

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
        builders = {
            "metrics": self._metrics,
            "breakdown": self._breakdown,
            "flows": self._flows,
            "regimes": self._regimes,
        }
        if group not in builders:
            raise ValueError(f"no group {group!r} (groups: {', '.join(GROUPS)})")
        import xarray as xr

        coords, data_vars, description = builders[group]()
        ds = xr.Dataset(data_vars=data_vars, coords=coords, attrs={"description": description})
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

    def _wait_days_mean(self) -> np.ndarray:
        names = [m[0] for m in _core.daily_metrics]
        served = sum(self.daily[..., names.index(n)] for n in (
            "served_in_person", "served_telehealth_in_state", "served_telehealth_cross_state",
            "served_telehealth_international"))
        waits = self.daily[..., names.index("wait_days_mean")]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(served > 0, waits / np.where(served > 0, served, 1.0), np.nan)

    def _common(self, monthly: bool) -> dict:
        time_units = f"days since {self.start_date}"
        coords = {"replicate": _coord(np.arange(self.replicates, dtype=np.int32), "replicate index")}
        if monthly:
            coords["month"] = _coord(np.asarray(self.month_start_day, dtype=np.int32),
                                     "first simulated day of the month", time_units, calendar="proleptic_gregorian")
        else:
            coords["day"] = _coord(np.arange(self.days, dtype=np.int32), "simulated day", time_units,
                                   calendar="proleptic_gregorian")
        return coords

    @staticmethod
    def _with_dims(dims: tuple[str, ...], coords: dict) -> dict:
        return {name: ((name,), *coords[name]) for name in dims}

    def _metrics(self):
        dims = ("replicate", "day", "jurisdiction")
        coords = self._common(monthly=False)
        coords["jurisdiction"] = _coord(np.array(self.jurisdictions, dtype=object), "US jurisdiction (USPS code)")
        data_vars = {}
        for k, (name, units, basis, description, count) in enumerate(_core.daily_metrics):
            values = self._wait_days_mean() if name == "wait_days_mean" else self.daily[..., k]
            where = "issuing board" if basis == "board" else "patient's home"
            data_vars[name] = (dims, _as_written(values, count),
                               {"units": units, "long_name": f"{description} [jurisdiction: {where}]"})
        description = ("daily metrics by replicate, day and jurisdiction (patient's home jurisdiction, or "
                       "the issuing board for board variables)")
        return self._with_dims(dims, coords), data_vars, description

    def _breakdown(self):
        dims = ("replicate", "month", "jurisdiction", "payer", "area", "specialty")
        coords = self._common(monthly=True)
        coords["jurisdiction"] = _coord(np.array(self.jurisdictions, dtype=object), "patient's home jurisdiction")
        coords["payer"] = _coord(np.array(_core.payer_names, dtype=object), "patient's payer")
        coords["area"] = _coord(np.array(_core.area_names, dtype=object), "patient's area")
        coords["specialty"] = _coord(np.array(self.specialties, dtype=object), "specialty group")
        time_units = f"days since {self.start_date}"
        periods = [p for p in _core.user_period_names if p != "month"]
        for period in periods:
            words = period.replace("_", "-")
            coords[period] = _coord(np.asarray(self.user_period_start_day(period), dtype=np.int32),
                                    f"first simulated day of the calendar {words}", time_units,
                                    calendar="proleptic_gregorian")
        data_vars = {}
        for k, (name, units, _, description, _count) in enumerate(_core.breakdown_metrics):
            data_vars[name] = (dims, _as_written(self.breakdown[..., k], True),
                               {"units": units, "long_name": description})
        # Users: patients counted once per calendar period.
        for period in _core.user_period_names:
            words = "month" if period == "month" else (
                f"calendar {period.replace('_', '-')} (the first and last may be partial)")
            suffix = "" if period == "month" else f"_by_{period}"
            values = self.users(period)
            for k, (name, units, _, description, _count) in enumerate(_core.user_metrics):
                cut = description.rfind("the period")
                long_name = description[:cut] + "the " + words + description[cut + len("the period"):]
                data_vars[name + suffix] = (("replicate", period, "jurisdiction", "payer", "area"),
                                            _as_written(values[..., k], True), {"units": units, "long_name": long_name})
        data_vars["patients"] = (("jurisdiction", "payer", "area"), _as_written(self.patients_by_cell, True), {
            "units": "1",
            "long_name": "simulated patients (the same in every replicate and period): the denominator of the "
                         "users' shares"})
        description = "monthly totals by replicate, month, home jurisdiction, payer, area and specialty; users (patients) by month, quarter and year"
        return self._with_dims((*dims, *periods), coords), data_vars, description

    def _flows(self):
        dims = ("replicate", "month", "patient_location", "clinician_location", "modality")
        coords = self._common(monthly=True)
        places = np.array(self.places, dtype=object)
        coords["patient_location"] = _coord(places, "where the patient was (USPS code, or ISO 3166 alpha-3 abroad)")
        coords["clinician_location"] = _coord(places.copy(),
                                              "where the clinician was (USPS code, or ISO 3166 alpha-3 abroad)")
        coords["modality"] = _coord(np.array(_core.modality_names, dtype=object), "encounter modality")
        coords["patient_home"] = _coord(np.array(self.jurisdictions, dtype=object),
                                        "the patient's home jurisdiction (USPS code)")
        coords["payer"] = _coord(np.array(_core.payer_names, dtype=object), "patient's payer")
        data_vars = {
            "encounters": (dims, _as_written(self.flows, True), {
                "units": "1", "long_name": "encounters by patient location, clinician location and modality"}),
            "encounters_by_home": (
                ("replicate", "month", "patient_home", "payer", "clinician_location", "modality"),
                _as_written(self.home_flows, True), {
                    "units": "1",
                    "long_name": "encounters by the patient's home jurisdiction and payer, clinician location and "
                                 "modality (the claims studies' geography: beneficiary's state against clinician's)"}),
        }
        description = "monthly encounters by where the patient was (or their home and payer) and where the clinician was"
        dims = (*dims, "patient_home", "payer")
        return self._with_dims(dims, coords), data_vars, description

    def _regimes(self):
        coords = self._common(monthly=True)
        coords["jurisdiction"] = _coord(np.array(self.jurisdictions, dtype=object), "US jurisdiction")
        coords["authority"] = _coord(np.array(_core.authority_names, dtype=object),
                                     "authority under which the clinician acted")
        coords["pathway"] = _coord(np.array(_core.pathway_names, dtype=object), "application pathway")
        coords["outcome"] = _coord(np.array(_core.disruption_outcome_names, dtype=object),
                                   "what became of a relationship cut by a rule change")
        coords["cause"] = _coord(np.array(_core.harm_cause_names, dtype=object), "attributed cause of harm")
        coords["wait_quantile"] = _coord(np.array(_core.wait_quantile_names, dtype=object),
                                         "quantile of the days from an episode's start to its service")
        lead = ("replicate", "month", "jurisdiction")
        by_authority, by_pathway = self.by_authority, self.by_pathway
        granted = by_pathway[..., 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            days_mean = np.where(granted > 0, by_pathway[..., 2] / np.where(granted > 0, granted, 1.0), np.nan)

        def var(dim, values, long_name, count=True, units="1"):
            return ((*lead, dim), _as_written(values, count), {"units": units, "long_name": long_name})

        data_vars = {
            "encounters_by_authority": var(
                "authority", by_authority[..., 0],
                "encounters by the authority the clinician acted under [jurisdiction: patient's home]"),
            "adverse_events_by_authority": var(
                "authority", by_authority[..., 1], "adverse events by authority [jurisdiction: patient's home]"),
            "applications_by_pathway": var(
                "pathway", by_pathway[..., 0], "applications submitted [jurisdiction: board applied to]"),
            "authorizations_granted_by_pathway": var(
                "pathway", granted, "authorizations granted [jurisdiction: issuing board]"),
            "days_to_authorization_mean": var(
                "pathway", days_mean,
                "mean days from application to grant of the authorizations granted that month (NaN when none)",
                count=False, units="days"),
            "authorizations_active_by_pathway": var(
                "pathway", by_pathway[..., 3],
                "authorizations in force at the end of the month [jurisdiction: issuing board; national licenses "
                "at the board of the principal license]"),
            "relationships_disrupted_by_rule_change": var(
                "outcome", self.disruptions,
                "follow-ups whose clinician's authority ended with a rule change, by what became of them "
                "[jurisdiction: patient's home]"),
            "adverse_events_by_cause": var(
                "cause", self.harm_causes, "adverse events by attributed cause [jurisdiction: patient's home]"),
            "wait_days_quantile": var(
                "wait_quantile", self._run.wait_quantiles,
                "median and 90th percentile of the days from an episode's start to its service, over the month's "
                "served episodes (NaN when none) [jurisdiction: patient's home]", count=False, units="days"),
        }
        description = ("monthly regime outcomes by jurisdiction: encounters and harm by the authority the clinician "
                       "acted under, licensing by pathway, relationships cut by rule changes, adverse events by cause, "
                       "waiting-time quantiles")
        dims = (*lead, "authority", "pathway", "outcome", "cause", "wait_quantile")
        return self._with_dims(dims, coords), data_vars, description


#: Names of the daily metrics, in the order of the last axis of :attr:`Result.daily`.
DAILY_METRICS = tuple(m[0] for m in _core.daily_metrics)
