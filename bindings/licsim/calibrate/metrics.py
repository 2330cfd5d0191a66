"""The calibration metrics: each a function of a run and an evaluation window giving one value
per replicate, defined in terms of the output variables of docs/output.md."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _core

class Window:
    """The days and months of a result that fall in [start, end] (dates, end inclusive).

    Monthly arrays are counted for the months whose first simulated day is in the window, so
    the window should start on the first of a month.
    """

    def __init__(self, result, start: str, end: str) -> None:
        day0 = _dt.date.fromisoformat(result.start_date)
        first = (_dt.date.fromisoformat(start) - day0).days
        last = (_dt.date.fromisoformat(end) - day0).days
        if first < 0 or last >= result.days or first > last:
            raise ValueError(f"window {start}..{end} is not inside the run ({result.start_date}, {result.days} days)")
        self.first, self.last = first, last
        self.days = slice(first, last + 1)
        self.months = np.array([first <= d <= last for d in result.month_start_day])


def _daily(result, name: str) -> np.ndarray:
    return result.daily[..., _daily_index(name)]


def _daily_index(name: str) -> int:
    return [m[0] for m in _core.daily_metrics].index(name)


def _b(result, name: str) -> np.ndarray:
    return result.breakdown[..., [m[0] for m in _core.breakdown_metrics].index(name)]


_SERVED = ("served_in_person", "served_telehealth_in_state", "served_telehealth_cross_state",
           "served_telehealth_international")
_PAYER = {name: k for k, name in enumerate(_core.payer_names)}
_PATHWAY = {name: k for k, name in enumerate(_core.pathway_names)}


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _per_rep(a: np.ndarray) -> np.ndarray:
    """Sum every axis but the first (replicate)."""
    return a.reshape(a.shape[0], -1).sum(axis=1)


def _breakdown_window(result, w: Window, name: str) -> np.ndarray:
    # [replicate, month, jurisdiction, payer, area, specialty]
    return _b(result, name)[:, w.months]


# The claims studies (Andino et al. 2022) compare the beneficiary's home state with the
# clinician's practice state: served_telehealth_out_of_home_state, not where the patient was.
def medicare_cross_state_share_of_telehealth(result, w: Window) -> np.ndarray:
    m = _PAYER["medicare"]
    cross = _per_rep(_breakdown_window(result, w, "served_telehealth_out_of_home_state")[:, :, :, m])
    tele = _per_rep(_breakdown_window(result, w, "served_telehealth")[:, :, :, m])
    return _ratio(cross, tele)


def medicare_cross_state_telehealth_share_of_visits(result, w: Window) -> np.ndarray:
    m = _PAYER["medicare"]
    cross = _per_rep(_breakdown_window(result, w, "served_telehealth_out_of_home_state")[:, :, :, m])
    served = _per_rep(_breakdown_window(result, w, "served_telehealth")[:, :, :, m] +
                      _breakdown_window(result, w, "served_in_person")[:, :, :, m])
    return _ratio(cross, served)


def telehealth_share_of_visits(result, w: Window) -> np.ndarray:
    tele = sum(_per_rep(_daily(result, n)[:, w.days]) for n in _SERVED[1:])
    served = tele + _per_rep(_daily(result, "served_in_person")[:, w.days])
    return _ratio(tele, served)


def medicare_primary_care_telehealth_share(result, w: Window) -> np.ndarray:
    m = _PAYER["medicare"]
    s = list(result.specialties).index("primary_care")
    tele = _per_rep(_breakdown_window(result, w, "served_telehealth")[:, :, :, m, :, s])
    person = _per_rep(_breakdown_window(result, w, "served_in_person")[:, :, :, m, :, s])
    return _ratio(tele, tele + person)


def license_stock_change_per_year(result, w: Window) -> np.ndarray:
    stock = _daily(result, "authorizations_active").sum(axis=2)  # [replicate, day]
    before = stock[:, w.first - 1] if w.first > 0 else stock[:, 0]
    change = _ratio(stock[:, w.last], before) - 1.0
    return change * 365.0 / (w.last - w.first + 1)


def licenses_per_physician(result, w: Window) -> np.ndarray:
    stock = _daily(result, "authorizations_active").sum(axis=2)  # [replicate, day]
    return stock[:, w.last] / max(1, result.licensed_clinicians)


def _pathway_window(result, w: Window, pathway: str, quantity: int) -> np.ndarray:
    """[replicate, month in window, jurisdiction] of one pathway quantity (1 granted, 2 days).

    Indexed in two steps: a boolean mask and integer indices separated by a slice would move
    the masked axis to the front (NumPy's advanced-indexing rule), mixing months and replicates.
    """
    return result.by_pathway[..., _PATHWAY[pathway], quantity][:, w.months]


def _granted(result, w: Window, pathway: str) -> np.ndarray:
    return _pathway_window(result, w, pathway, 1)


def compact_licenses_issued_per_year(result, w: Window) -> np.ndarray:
    years = (w.last - w.first + 1) / 365.0
    return _per_rep(_granted(result, w, "compact")) / result.scale / years


def _days_to(result, w: Window, pathway: str) -> np.ndarray:
    days = _per_rep(_pathway_window(result, w, pathway, 2))
    return _ratio(days, _per_rep(_granted(result, w, pathway)))


def days_to_full_license(result, w: Window) -> np.ndarray:
    return _days_to(result, w, "full_license")


def days_to_compact_license(result, w: Window) -> np.ndarray:
    return _days_to(result, w, "compact")


def indemnity_per_claim(result, w: Window) -> np.ndarray:
    return _ratio(_per_rep(_daily(result, "indemnity_usd")[:, w.days]),
                  _per_rep(_daily(result, "malpractice_claims")[:, w.days]))


def new_patient_wait_days(result, w: Window) -> np.ndarray:
    return _ratio(_per_rep(_breakdown_window(result, w, "new_patient_wait_days")),
                  _per_rep(_breakdown_window(result, w, "new_patient_in_person")))


#: Metric name -> function(result, window) giving one value per replicate.
METRICS: dict[str, Callable[[Any, Window], np.ndarray]] = {
    f.__name__: f
    for f in (
        medicare_cross_state_share_of_telehealth,
        medicare_cross_state_telehealth_share_of_visits,
        telehealth_share_of_visits,
        medicare_primary_care_telehealth_share,
        license_stock_change_per_year,
        licenses_per_physician,
        compact_licenses_issued_per_year,
        days_to_full_license,
        days_to_compact_license,
        indemnity_per_claim,
        new_patient_wait_days,
    )
}
