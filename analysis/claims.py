"""The claims studies' measures of telemedicine, computed from a licsim result as each study
defines them (docs/calibration.md, "2020 to 2022 against the claims").

Each measure takes the ``breakdown`` (and, for flows, the ``flows``) group of a result — a
:class:`licsim.Result`, a result file path or the Dataset itself — and returns one value per
replicate (an :class:`xarray.DataArray` over ``replicate``). Periods are calendar dates,
inclusive; a period of users (``month``, ``quarter``, ``half_year``, ``year``) is named by its
first day. The geography is the studies': the patient's *home* against the state where the
clinician practises, so a traveller seen by a clinician where they are counts as out of state.

Typical use::

    from licsim.analysis import claims
    claims.out_of_state_share_of_telehealth(result, "2020-01-01", "2020-12-31")  # Andino 2020
    claims.out_of_state_user_share(result, "half_year", "2021-01-01")            # Mehrotra 2022
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from .results import as_dataset
from .tables import refuse_series

#: Payers as the breakdown names them; the claims studies are of Medicare (fee-for-service).
MEDICARE = "medicare"


def _months(bd: xr.Dataset, start: str, end: str) -> xr.Dataset:
    months = pd.to_datetime(bd["month"].values)
    keep = (months >= pd.Timestamp(start)) & (months <= pd.Timestamp(end))
    if not keep.any():
        raise ValueError(f"the result has no month in {start} .. {end}")
    return bd.isel(month=np.flatnonzero(keep))


def _payer(ds: xr.Dataset, payer: str | None) -> xr.Dataset:
    return ds if payer is None else ds.sel(payer=payer)


def _total(da: xr.DataArray) -> xr.DataArray:
    """Sum over every dimension but the replicate."""
    return da.sum([d for d in da.dims if d != "replicate"])


def _ratio(num: xr.DataArray, den: xr.DataArray) -> xr.DataArray:
    return (_total(num) / _total(den)).where(_total(den) > 0)


def _one_run(result: Any, group: str) -> xr.Dataset:
    """``group`` of one run: the measures sum every dimension but the replicate, so a sweep's
    points would be pooled."""
    ds = as_dataset(result, group)
    refuse_series(ds, "licsim.analysis.claims")
    return ds


def _bd(result: Any) -> xr.Dataset:
    return _one_run(result, "breakdown")


def visits(result: Any, start: str, end: str, payer: str | None = MEDICARE,
           specialty: str | list[str] | None = None) -> xr.Dataset:
    """Telemedicine, in-person and out-of-state telemedicine visits in the months of [start, end]."""
    bd = _payer(_months(_bd(result), start, end), payer)
    if specialty is not None:
        bd = bd.sel(specialty=specialty)
    return bd[["served_telehealth", "served_in_person", "served_telehealth_out_of_home_state"]]


def telehealth_share_of_visits(result: Any, start: str, end: str, payer: str | None = MEDICARE,
                               specialty: str | list[str] | None = None) -> xr.DataArray:
    """Telemedicine visits / all visits (ASPE: of Medicare primary-care visits; Epic Cosmos: of
    all outpatient visits, every payer)."""
    v = visits(result, start, end, payer, specialty)
    return _ratio(v["served_telehealth"], v["served_telehealth"] + v["served_in_person"])


def out_of_state_share_of_telehealth(result: Any, start: str, end: str, payer: str | None = MEDICARE) -> xr.DataArray:
    """Out-of-state telemedicine visits / telemedicine visits (Andino et al. 2022: the
    beneficiary's state against the clinician's; Mehrotra et al. 2022 by month)."""
    v = visits(result, start, end, payer)
    return _ratio(v["served_telehealth_out_of_home_state"], v["served_telehealth"])


def out_of_state_share_of_visits(result: Any, start: str, end: str, payer: str | None = MEDICARE) -> xr.DataArray:
    """Out-of-state telemedicine visits / all outpatient visits (Andino et al. 2022)."""
    v = visits(result, start, end, payer)
    return _ratio(v["served_telehealth_out_of_home_state"], v["served_telehealth"] + v["served_in_person"])


def border_share_of_out_of_state_visits(result: Any, start: str, end: str,
                                        payer: str | None = MEDICARE) -> xr.DataArray:
    """Out-of-state telemedicine visits of patients living in a county on a state line / all
    out-of-state telemedicine visits (Mehrotra et al. 2022: 57.2% by patients within 15 miles of
    a border, H1 2021)."""
    bd = _payer(_months(_bd(result), start, end), payer)
    return _ratio(bd["served_telehealth_out_of_home_state_border_county"], bd["served_telehealth_out_of_home_state"])


def border_share_of_telehealth_visits(result: Any, start: str, end: str,
                                      payer: str | None = MEDICARE) -> xr.DataArray:
    """Telemedicine visits of patients living in a county on a state line / all telemedicine
    visits (Mehrotra et al. 2022: 33% of telemedicine *patients* lived within 15 miles of a border)."""
    bd = _payer(_months(_bd(result), start, end), payer)
    return _ratio(bd["served_telehealth_border_county"], bd["served_telehealth"])


def _users(result: Any, period: str, first_day: str, payer: str | None) -> xr.Dataset:
    bd = _bd(result)
    suffix = "" if period == "month" else f"_by_{period}"
    names = {"users": f"telehealth_users{suffix}", "away": f"telehealth_users_out_of_home_state{suffix}"}
    starts = pd.to_datetime(bd[period].values)
    hit = np.flatnonzero(starts == pd.Timestamp(first_day))
    if hit.size == 0:
        raise ValueError(f"the result has no {period} starting on {first_day} (it has {[str(s.date()) for s in starts]})")
    out = xr.Dataset({k: bd[v].isel({period: hit[0]}) for k, v in names.items()})
    out["patients"] = bd["patients"]
    return _payer(out, payer)


def out_of_state_user_share(result: Any, period: str, first_day: str, payer: str | None = MEDICARE) -> xr.DataArray:
    """Patients with an out-of-state telemedicine visit / patients with a telemedicine visit, in
    the period (Mehrotra et al. 2022: traditional Medicare, January-June 2021)."""
    u = _users(result, period, first_day, payer)
    return _ratio(u["away"], u["users"])


def telehealth_user_share_of_patients(result: Any, period: str, first_day: str,
                                      payer: str | None = MEDICARE) -> xr.DataArray:
    """Patients with at least one telemedicine visit in the period / patients (CMS Medicare
    Telehealth Trends: beneficiaries with a telehealth service in a quarter)."""
    u = _users(result, period, first_day, payer)
    return _ratio(u["users"], u["patients"])


def rural_share_of_out_of_state_users(result: Any, period: str, first_day: str,
                                      payer: str | None = MEDICARE) -> xr.DataArray:
    """Rural patients among those with an out-of-state telemedicine visit (Andino: 28%, 2020;
    Mehrotra: 33.8%, H1 2021)."""
    u = _users(result, period, first_day, payer)["away"]
    return _ratio(u.sel(area="rural"), u)


def rural_share_of_telehealth_users(result: Any, period: str, first_day: str,
                                    payer: str | None = MEDICARE) -> xr.DataArray:
    """Rural patients among telemedicine users (Mehrotra: 21.0%, H1 2021)."""
    u = _users(result, period, first_day, payer)["users"]
    return _ratio(u.sel(area="rural"), u)


def rural_share_without_out_of_state_care(result: Any, period: str, first_day: str,
                                          payer: str | None = MEDICARE) -> xr.DataArray:
    """Rural patients among those with no out-of-state telemedicine visit (Andino: 23%, 2020)."""
    u = _users(result, period, first_day, payer)
    rest = u["patients"] - u["away"]
    return _ratio(rest.sel(area="rural"), rest)


def visits_against(result: Any, month: str, baseline: str, payer: str | None = None,
                   kind: str = "total") -> xr.DataArray:
    """Visits of ``month`` relative to ``baseline`` month, minus one (Phreesia: total or
    in-person visits against the week of 1-7 March 2020). ``kind``: total or in_person."""
    def count(m):
        v = visits(result, m, m, payer)
        return _total(v["served_in_person"] + (v["served_telehealth"] if kind == "total" else 0))
    return count(month) / count(baseline) - 1


def disrupted_relationships(result: Any, start: str, end: str) -> xr.DataArray:
    """What became of follow-ups whose clinician's authority ended with a rule change (a waiver's
    expiry), summed over the months of [start, end]: [replicate, outcome]."""
    reg = _months(_one_run(result, "regimes"), start, end)
    da = reg["relationships_disrupted_by_rule_change"]
    return da.sum([d for d in da.dims if d not in ("replicate", "outcome")])


def interval(values: xr.DataArray) -> tuple[float, float, float]:
    """Mean and 95% t interval over replicates (the interval is the mean when one replicate)."""
    from scipy import stats

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    mean = float(x.mean())
    if x.size < 2:
        return mean, mean, mean
    half = float(stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half


# --- the published 2017-2022 facts (docs/calibration.md) ------------------------------------

AGREE, CLOSE = 0.25, 0.5  # relative distance of the published value from licsim's mean


def verdict(published: float, mean: float, low: float, high: float) -> str:
    """agrees: within 25% of the published value; not resolved: farther, but the interval holds
    it; close: within 50%; else misses (high or low)."""
    distance = abs(mean - published)
    if distance <= AGREE * abs(published):
        return "agrees"
    if low <= published <= high:
        return "not resolved at this scale"
    if distance <= CLOSE * abs(published):
        return "close (" + ("high" if mean > published else "low") + ")"
    return "misses (" + ("high" if mean > published else "low") + ")"


def published_facts(r19, r20, r22):
    """(study, measure, published value, licsim's values by replicate, note) for each published
    2017-2022 fact: r19 a run of us_2019 (calendar 2019), r20 of us_2020, r22 of us_2020_2022."""
    bd19, bd20, bd22 = (r.to_xarray("breakdown") for r in (r19, r20, r22))
    reg22 = r22.to_xarray("regimes")
    specialists = ["medical_specialty", "surgical_specialty"]
    yield ("Andino et al. 2022, Medicare FFS 2017-19 (T1)", "out-of-state share of telemedicine visits, 2019",
           0.08, out_of_state_share_of_telehealth(bd19, "2019-01-01", "2019-12-31"), "")
    yield ("Andino et al. 2022, Medicare FFS 2020", "out-of-state share of telemedicine visits, 2020",
           0.05, out_of_state_share_of_telehealth(bd20, "2020-01-01", "2020-12-31"), "")
    yield ("Andino et al. 2022, Medicare FFS 2020", "out-of-state telemedicine, share of outpatient visits, 2020",
           0.008, out_of_state_share_of_visits(bd20, "2020-01-01", "2020-12-31"), "")
    yield ("Andino et al. 2022, Medicare FFS 2020", "rural share of out-of-state telemedicine users, 2020",
           0.28, rural_share_of_out_of_state_users(bd20, "year", "2020-01-01"), "")
    yield ("Andino et al. 2022, Medicare FFS 2020", "rural share of beneficiaries without out-of-state care, 2020",
           0.23, rural_share_without_out_of_state_care(bd20, "year", "2020-01-01"), "")
    yield ("Mehrotra et al. 2022, Medicare", "out-of-state share of telemedicine visits, April 2020",
           0.045, out_of_state_share_of_telehealth(bd20, "2020-04-01", "2020-04-30"), "")
    yield ("ASPE 2020, Medicare FFS", "telemedicine share of primary-care visits, February 2020",
           0.001, telehealth_share_of_visits(bd20, "2020-02-01", "2020-02-29", specialty="primary_care"), "")
    yield ("ASPE 2020, Medicare FFS", "telemedicine share of primary-care visits, April 2020",
           0.435, telehealth_share_of_visits(bd20, "2020-04-01", "2020-04-30", specialty="primary_care"), "")
    yield ("ASPE 2021 (Samson et al.), Medicare FFS", "telemedicine share of primary-care visits, 2020",
           0.08, telehealth_share_of_visits(bd20, "2020-01-01", "2020-12-31", specialty="primary_care"), "")
    yield ("ASPE 2021 (Samson et al.), Medicare FFS", "telemedicine share of specialist visits, 2020",
           0.03, telehealth_share_of_visits(bd20, "2020-01-01", "2020-12-31", specialty=specialists), "")
    yield ("CMS Medicare Telehealth Trends", "beneficiaries with a telehealth service, Q1 2020",
           0.069, telehealth_user_share_of_patients(bd20, "quarter", "2020-01-01"), "")
    yield ("CMS Medicare Telehealth Trends", "beneficiaries with a telehealth service, Q2 2020",
           0.467, telehealth_user_share_of_patients(bd20, "quarter", "2020-04-01"), "")
    yield ("Epic Cosmos, all payers", "telemedicine share of outpatient visits, March-August 2020",
           0.13, telehealth_share_of_visits(bd20, "2020-03-01", "2020-08-31", payer=None), "")
    yield ("Phreesia (Mehrotra et al., Commonwealth Fund)", "in-person visits, April 2020 against February",
           -0.60, visits_against(bd20, "2020-04-01", "2020-02-01", kind="in_person"), "input")
    yield ("Mehrotra et al. 2022, Medicare", "out-of-state share of telemedicine users, January-June 2021",
           0.050, out_of_state_user_share(bd22, "half_year", "2021-01-01"), "")
    yield ("Mehrotra et al. 2022, Medicare", "out-of-state share of telemedicine visits, June 2021",
           0.056, out_of_state_share_of_telehealth(bd22, "2021-06-01", "2021-06-30"), "")
    yield ("Mehrotra et al. 2022, Medicare", "rural share of out-of-state telemedicine users, H1 2021",
           0.338, rural_share_of_out_of_state_users(bd22, "half_year", "2021-01-01"), "")
    yield ("Mehrotra et al. 2022, Medicare", "rural share of telemedicine users, H1 2021",
           0.210, rural_share_of_telehealth_users(bd22, "half_year", "2021-01-01"), "")
    yield ("Mehrotra et al. 2022, Medicare", "out-of-state telemedicine visits by border-county residents, H1 2021",
           0.572, border_share_of_out_of_state_visits(bd22, "2021-01-01", "2021-06-30"),
           "within 15 miles of a border in the study; a county touching the line here")
    yield ("Mehrotra et al. 2022, Medicare", "telemedicine by border-county residents, H1 2021",
           0.33, border_share_of_telehealth_visits(bd22, "2021-01-01", "2021-06-30"),
           "patients in the study, visits here")
    yield ("Epic Cosmos, all payers", "telemedicine share of outpatient visits, March-August 2021",
           0.08, telehealth_share_of_visits(bd22, "2021-03-01", "2021-08-31", payer=None), "input")
    yield ("CMS Medicare Telehealth Trends", "beneficiaries with a telehealth service, Q2 2022",
           0.15, telehealth_user_share_of_patients(bd22, "quarter", "2022-04-01"), "")
    outcome = disrupted_relationships(reg22, "2021-04-01", "2022-12-31")
    lost = outcome.sel(outcome="lost") / outcome.sum("outcome")
    yield ("Bressman et al. 2023, commercial claims", "relationships cut by a waiver's expiry that ended in no care",
           None, lost, "set by specialty.*.disrupted_forgo_share (an assumption); the study: most, no share published")


def comparison_table(r19, r20, r22, markdown: bool = False):
    """The published facts against licsim: a DataFrame (or its Markdown) with the study, the
    measure, the published value, licsim's mean and 95% interval over replicates, and a verdict
    (:func:`verdict`; "input" rows restate an input and test nothing)."""
    def pct(x):
        return f"{100 * x:.1f}%" if abs(x) >= 0.01 else f"{100 * x:.2f}%"

    records = []
    for study, what, published, values, note in published_facts(r19, r20, r22):
        mean, low, high = interval(values)
        if published is None:
            result = note
        else:
            result = "input (not a test)" if note == "input" else verdict(published, mean, low, high)
            if note and note != "input":
                result += f"; {note}"
        records.append({"study": study, "measure": what, "published": published, "licsim": mean,
                        "low": low, "high": high, "verdict": result})
    table = pd.DataFrame(records)
    if not markdown:
        return table
    lines = ["| study | measure (licsim computes it as defined) | published | licsim (95% interval) | verdict |",
             "|---|---|---|---|---|"]
    for r in records:
        published = "—" if r["published"] is None else pct(r["published"])
        lines.append(f"| {r['study']} | {r['measure']} | {published} | {pct(r['licsim'])} "
                     f"({pct(r['low'])} to {pct(r['high'])}) | {r['verdict']} |")
    return "\n".join(lines)
