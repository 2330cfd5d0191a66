"""licsim.analysis.claims: each claims-study measure is the ratio its study defines, over the
right months, payer and period; the verdict follows its stated rule."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import _import_licsim

licsim = _import_licsim()
from licsim.analysis import claims  # noqa: E402


@pytest.fixture(scope="module")
def run():
    # Two replicates of 62 days from 2019-01-01 (no spin-up: quick); more telemedicine than the
    # baseline so the ratios are not empty.
    overrides = {"simulation.spinup_days": 0, "coverage.medicare.telehealth_covered_urban": 1.0,
                 "coverage.medicare.telehealth_covered_away": 1.0}
    return licsim.run(licsim.scenario_path("state_only"), overrides=overrides, seed=3, replicates=2, days=62,
                      scale=0.001)


@pytest.fixture(scope="module")
def bd(run):
    return run.to_xarray("breakdown")


def _sum(da):
    return da.sum([d for d in da.dims if d != "replicate"]).values


def test_out_of_state_share_is_out_of_home_state_over_telemedicine_for_the_months_and_payer(bd):
    got = claims.out_of_state_share_of_telehealth(bd, "2019-02-01", "2019-02-28").values
    feb = bd.sel(payer="medicare").isel(month=[1])
    expected = _sum(feb["served_telehealth_out_of_home_state"]) / _sum(feb["served_telehealth"])
    np.testing.assert_allclose(got, expected)
    # All payers: a different, larger denominator.
    every = claims.out_of_state_share_of_visits(bd, "2019-01-01", "2019-03-31", payer=None).values
    expected = _sum(bd["served_telehealth_out_of_home_state"]) / _sum(bd["served_telehealth"] + bd["served_in_person"])
    np.testing.assert_allclose(every, expected)


def test_telehealth_share_of_one_specialty(bd):
    got = claims.telehealth_share_of_visits(bd, "2019-01-01", "2019-03-31", specialty="mental_health").values
    mh = bd.sel(payer="medicare", specialty="mental_health")
    np.testing.assert_allclose(got, _sum(mh["served_telehealth"]) / _sum(mh["served_telehealth"] + mh["served_in_person"]))


def test_user_shares_read_the_named_period(bd):
    quarter = claims.telehealth_user_share_of_patients(bd, "quarter", "2019-01-01").values
    users = bd["telehealth_users_by_quarter"].isel(quarter=0).sel(payer="medicare")
    np.testing.assert_allclose(quarter, _sum(users) / float(bd["patients"].sel(payer="medicare").sum()))
    # A month's users are at most the quarter's; an out-of-state share is a share.
    month = claims.telehealth_user_share_of_patients(bd, "month", "2019-02-01").values
    assert (month <= quarter).all() and (month > 0).all()
    share = claims.out_of_state_user_share(bd, "half_year", "2019-01-01").values
    assert ((share >= 0) & (share <= 1)).all()
    with pytest.raises(ValueError, match="no quarter starting on 2019-02-01"):
        claims.telehealth_user_share_of_patients(bd, "quarter", "2019-02-01")
    with pytest.raises(ValueError, match="no month in"):
        claims.out_of_state_share_of_telehealth(bd, "2020-01-01", "2020-12-31")


def test_rural_shares_split_the_users(bd):
    rural = claims.rural_share_of_telehealth_users(bd, "quarter", "2019-01-01").values
    users = bd["telehealth_users_by_quarter"].isel(quarter=0).sel(payer="medicare")
    np.testing.assert_allclose(rural, _sum(users.sel(area="rural")) / _sum(users))
    rest = claims.rural_share_without_out_of_state_care(bd, "quarter", "2019-01-01").values
    assert ((rest > 0) & (rest < 1)).all()


def test_visits_against_a_baseline_month(bd):
    change = claims.visits_against(bd, "2019-02-01", "2019-01-01", kind="in_person").values
    person = bd["served_in_person"]
    expected = _sum(person.isel(month=[1])) / _sum(person.isel(month=[0])) - 1
    np.testing.assert_allclose(change, expected)


@pytest.mark.parametrize("published, mean, low, high, expected", [
    (0.05, 0.055, 0.05, 0.06, "agrees"),
    (0.05, 0.09, 0.01, 0.2, "not resolved at this scale"),
    (0.05, 0.07, 0.068, 0.072, "close (high)"),
    (0.05, 0.02, 0.019, 0.021, "misses (low)"),
    (-0.6, -0.55, -0.56, -0.54, "agrees"),
])
def test_verdict(published, mean, low, high, expected):
    assert claims.verdict(published, mean, low, high) == expected


def test_interval_is_a_t_interval():
    mean, low, high = claims.interval(np.array([1.0, 2.0, 3.0]))
    assert mean == 2.0 and low == pytest.approx(2 - 4.302653 / np.sqrt(3)) and high == pytest.approx(2 + 4.302653 / np.sqrt(3))
    assert claims.interval(np.array([5.0])) == (5.0, 5.0, 5.0)
