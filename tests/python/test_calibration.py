"""Calibration: the target file, the machinery of licsim.calibrate, and the calibrated baseline.

``scenarios/us_2019.toml`` must reproduce every target of ``scenarios/calibration/targets.toml``
with status "fit" within its band at the file's scale, seed and replicates; targets with status
"miss" are strict xfails (if a model change makes one fit, the test says so and the file must be
updated).
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys
import tomllib

import numpy as np
import pandas as pd
import pytest

import licsim
from conftest import SOURCE_DIR

cal = sys.modules["licsim.calibrate"]  # licsim.calibrate is the function; this is its module

TARGETS = SOURCE_DIR / "scenarios" / "calibration" / "targets.toml"
US_2019 = SOURCE_DIR / "scenarios" / "us_2019.toml"
US_2020 = SOURCE_DIR / "scenarios" / "us_2020.toml"


# --- the target file ----------------------------------------------------------------------------


def test_target_file_is_complete():
    targets = cal.load_targets(TARGETS)
    assert len(targets) >= 8
    for t in targets:
        assert t.metric in cal.METRICS
        assert t.definition and t.population and t.period and t.source, t.id
        assert t.lower <= t.upper
        if t.status == "miss":
            assert t.why, f"{t.id}: a miss must say why"
    # Every published fact T1..T16 is either a target or listed as unmapped, with a reason.
    named = set(" ".join([t.id for t in targets] + [u["id"] for u in targets.unmapped]).replace("/", " ").split())
    for k in range(1, 17):
        assert any(re.fullmatch(f"T{k}[a-z]?", name) for name in named), f"T{k} is neither a target nor unmapped"
    assert all(u.get("why") for u in targets.unmapped)


def test_shipped_target_file_is_the_default():
    assert cal.load_targets().targets == cal.load_targets(TARGETS).targets


@pytest.mark.parametrize("change, message", [
    ({"metric": "no_such_metric"}, "unknown metric"),
    ({"lower": 2.0, "upper": 1.0}, "lower > upper"),
    ({"status": "maybe"}, "status"),
])
def test_bad_target_files_are_refused(tmp_path, change, message):
    target = {"id": "X", "metric": "telehealth_share_of_visits", "published": 0.5, "lower": 0.0, "upper": 1.0}
    target.update(change)
    body = "\n".join(f"{k} = {licsim.to_toml_value(v)}" for k, v in target.items())
    path = tmp_path / "t.toml"
    path.write_text(f'[window]\nstart = "2019-01-01"\nend = "2019-12-31"\n\n[[target]]\n{body}\n')
    with pytest.raises(ValueError, match=message):
        cal.load_targets(path)


# --- the machinery on a tiny problem -------------------------------------------------------------


def _tiny_targets():
    return cal.Targets(
        targets=(
            cal.Target(id="A", metric="telehealth_share_of_visits", published=1.0, lower=0.5, upper=1.5),
            cal.Target(id="B", metric="new_patient_wait_days", published=-2.0, lower=-3.0, upper=-1.0),
            cal.Target(id="C", metric="indemnity_per_claim", published=0.0, lower=-1.0, upper=1.0, weight=0.0),
        ),
        start="2019-01-01", end="2019-12-31")


def _tiny_model(values):
    """A deterministic stand-in for the simulation: A = x + y, B = x - y, C = anything."""
    x, y = values["x"], values["y"]
    rows = []
    for t, v in zip(_tiny_targets(), (x + y, x - y, 100.0)):
        rows.append((t.id, t.metric, v, v, v, t.published, t.lower, t.upper, t.within(v), t.status, t.weight))
    return pd.DataFrame(rows, columns=list(cal.REPORT_COLUMNS))


def test_objective_weights_standardized_residuals():
    table = _tiny_model({"x": 0.0, "y": 0.0})
    # A: (0 - 1) / 0.5 -> 4; B: (0 + 2) / 1 -> 4; C has weight 0.
    # Outside the bands: A (0) is one half-band below [0.5, 1.5], B (0) one above [-3, -1]: + 10 each.
    assert cal.objective(table) == pytest.approx(8.0 + 20.0)
    table.loc[0, "model"] = 1.2  # inside the band: only the residual counts
    table.loc[1, "model"] = -2.0
    assert cal.objective(table) == pytest.approx((0.2 / 0.5) ** 2)
    table.loc[0, "model"] = math.nan  # nothing measured counts as far off
    assert cal.objective(table) > 8.0


def test_calibrate_recovers_the_optimum_of_a_tiny_problem():
    # A = x + y = 1 and B = x - y = -2 at x = -0.5, y = 1.5.
    fit = licsim.calibrate(None, {"x": (-2.0, 2.0), "y": (-2.0, 2.0)}, _tiny_targets(), model=_tiny_model,
                           x0={"x": 0.0, "y": 0.0}, maxfev=200)
    assert fit.values["x"] == pytest.approx(-0.5, abs=0.02)
    assert fit.values["y"] == pytest.approx(1.5, abs=0.02)
    assert fit.objective < 0.01
    assert fit.evaluations <= 200
    assert fit.report.set_index("id").loc[["A", "B"], "within"].all()
    assert fit.history and min(h[1] for h in fit.history) == fit.objective


def test_calibrate_stays_in_bounds():
    fit = licsim.calibrate(None, {"x": (0.0, 0.2), "y": (0.0, 0.2)}, _tiny_targets(), model=_tiny_model, maxfev=60)
    assert 0.0 <= fit.values["x"] <= 0.2 and 0.0 <= fit.values["y"] <= 0.2


def test_calibrate_refuses_empty_or_inverted_bounds():
    with pytest.raises(ValueError):
        licsim.calibrate(None, {}, _tiny_targets(), model=_tiny_model)
    with pytest.raises(ValueError):
        licsim.calibrate(None, {"x": (1.0, 0.0)}, _tiny_targets(), model=_tiny_model)


def test_written_scenario_loads_with_the_fitted_values(tmp_path):
    fit = cal.Calibration(
        scenario=None, source=None, parameters={"licensing.response": (0.0, 1.0), "population.lep_share": (0.0, 0.2)},
        values={"licensing.response": 0.25, "population.lep_share": 0.1}, objective=1.5,
        report=_tiny_model({"x": 0.0, "y": 0.0}), evaluations=7, method="test",
        settings={"seed": 1, "replicates": 2, "scale": 0.001, "maxfev": 10, "targets": "t.toml"})
    path = fit.write_scenario(tmp_path / "fitted.toml", base=str(licsim.scenario_path("state_only")), name="fitted")
    text = path.read_text()
    assert text.startswith("# Calibrated with licsim.calibrate")
    assert "fitted (bounds [0, 1])" in text
    s = licsim.Scenario(path)
    assert s["licensing.response"] == 0.25 and s["population.lep_share"] == 0.1
    assert s["meta.name"] == "fitted"
    assert tomllib.loads(text)["licensing"]["response"] == 0.25


# --- metrics on a real (small) run --------------------------------------------------------------


@pytest.fixture(scope="module")
def small():
    return licsim.run(licsim.scenario_path("state_only"), replicates=2, days=90, scale=0.0005, progress=False)


def test_metrics_match_the_output_variables(small):
    w = cal.Window(small, "2019-02-01", "2019-03-31")
    ds = small.to_xarray().isel(day=w.days)
    tele = sum(ds[v].sum(["day", "jurisdiction"]) for v in
               ("served_telehealth_in_state", "served_telehealth_cross_state", "served_telehealth_international"))
    served = tele + ds.served_in_person.sum(["day", "jurisdiction"])
    np.testing.assert_allclose(cal.telehealth_share_of_visits(small, w), (tele / served).values)
    b = small.to_xarray("breakdown")
    b = b.isel(month=np.flatnonzero(w.months)).sel(payer="medicare")
    expected = (b.served_telehealth_out_of_home_state.sum(["month", "jurisdiction", "area", "specialty"]) /
                b.served_telehealth.sum(["month", "jurisdiction", "area", "specialty"])).values
    np.testing.assert_allclose(cal.medicare_cross_state_share_of_telehealth(small, w), expected)
    b = small.to_xarray("breakdown").isel(month=np.flatnonzero(w.months))
    all_but_replicate = ["month", "jurisdiction", "payer", "area", "specialty"]
    np.testing.assert_allclose(cal.new_patient_wait_days(small, w),
                               b.new_patient_wait_days.sum(all_but_replicate) /
                               b.new_patient_in_person.sum(all_but_replicate))
    r = small.to_xarray("regimes").isel(month=np.flatnonzero(w.months))
    by_rep = ["month", "jurisdiction"]
    granted = r.authorizations_granted_by_pathway
    np.testing.assert_allclose(cal.compact_licenses_issued_per_year(small, w),
                               granted.sel(pathway="compact").sum(by_rep).values / small.scale /
                               ((w.last - w.first + 1) / 365.0))
    full = granted.sel(pathway="full_license").sum(by_rep)
    days = (r.days_to_authorization_mean.fillna(0) * granted).sel(pathway="full_license").sum(by_rep)
    np.testing.assert_allclose(cal.days_to_full_license(small, w), (days / full).values)
    for name, metric in cal.METRICS.items():
        values = metric(small, w)
        assert values.shape == (2,), name


def test_metrics_give_one_value_per_replicate_whatever_the_window(small):
    # Three months and two replicates: a metric that mixed up the two axes would give 3 values.
    w = cal.Window(small, "2019-01-01", "2019-03-31")
    assert w.months.sum() == 3
    for name, metric in cal.METRICS.items():
        assert metric(small, w).shape == (2,), name


def test_window_must_be_inside_the_run(small):
    with pytest.raises(ValueError, match="not inside the run"):
        cal.Window(small, "2018-12-01", "2019-01-31")
    with pytest.raises(ValueError, match="not inside the run"):
        cal.Window(small, "2019-01-01", "2019-12-31")


# --- the calibrated baseline ---------------------------------------------------------------------

_targets = cal.load_targets(TARGETS)


@pytest.fixture(scope="module")
def us_2019_report():
    return cal.evaluate(US_2019, _targets).set_index("id")


@pytest.mark.parametrize(
    "target",
    [pytest.param(t, id=t.id, marks=[pytest.mark.xfail(strict=True, reason=t.why)] if t.status == "miss" else [])
     for t in _targets])
def test_us_2019_reproduces_the_target(us_2019_report, target):
    row = us_2019_report.loc[target.id]
    assert target.lower <= row["model"] <= target.upper, (
        f"{target.id} {target.metric}: model {row['model']:.4g} [{row['low']:.4g}, {row['high']:.4g}] outside "
        f"[{target.lower:.4g}, {target.upper:.4g}] (published {target.published:.4g})")


def test_us_2019_is_the_calibrated_prior():
    text = US_2019.read_text()
    assert text.startswith("# Calibrated with licsim.calibrate")
    assert 'base = "calibration/us_2019_prior.toml"' in text
    s = licsim.Scenario(US_2019)
    assert s["compact.enabled"] and s["registration.enabled"]
    assert s["simulation.start_date"] <= _targets.start


def test_us_2020_changes_only_the_2020_rules():
    """us_2020 differs from us_2019 in dated 2020 rules, the take-up switched on (its values are
    state_only.toml's, with their sources) and the run period: nothing fitted."""
    a = tomllib.loads(licsim.resolved_scenario(US_2019))
    b = tomllib.loads(licsim.resolved_scenario(US_2020))

    def flat(d, prefix=""):
        out = {}
        for k, v in d.items():
            out.update(flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v})
        return out

    changed = {k for k in set(flat(a)) | set(flat(b)) if flat(a).get(k) != flat(b).get(k)}
    allowed_prefixes = ("meta.", "simulation.", "waiver.", "controlled_substances.flexibility_", "coverage_change.",
                        "uptake.enabled")
    assert changed and all(k.startswith(allowed_prefixes) for k in changed), sorted(changed)


def test_us_2020_has_more_telemedicine_than_us_2019():
    window_2020 = dataclasses.replace(_targets, start="2020-01-01", end="2020-12-31")
    ids = ["T3"]
    r19 = cal.evaluate(US_2019, _targets.select(ids), replicates=1).set_index("id")
    r20 = cal.evaluate(US_2020, window_2020.select(ids), replicates=1).set_index("id")
    # The take-up: from under 1% of visits to several percent (docs/calibration.md, 2019 against 2020).
    assert r20.loc["T3", "model"] > 10 * r19.loc["T3", "model"]
