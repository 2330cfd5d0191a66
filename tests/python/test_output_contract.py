"""The HDF5 output contract: names, dimensions, attributes, internal consistency, determinism.

Everything here reads files with plain h5py/xarray, as a user without licsim would.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import tomllib

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from conftest import SCENARIO, SHIPPED, assert_same_results, child_env, licsim

METRICS = [
    "episodes",
    "served_in_person",
    "served_telehealth_in_state",
    "served_telehealth_cross_state",
    "served_telehealth_international",
    "unmet",
    "waiting",
    "wait_days_mean",
    "travel_km_avoided",
    "adverse_events",
    "malpractice_claims",
    "indemnity_usd",
    "uncovered_exposure_usd",
    "licensure_spend_usd",
    "patient_cost_usd",
    "authorizations_active",
    "applications_pending",
    "applications_submitted",
    "unauthorized_encounters",
    "unauthorized_detected",
    "sanctions",
    "continuity_encounters",
    "relationships_disrupted",
    "payer_cost_usd",
    "board_processing_cost_usd",
    "platform_compliance_cost_usd",
    "malpractice_claims_cross_border",
    "unauthorized_declined",
    "adverse_events_expected",
    "malpractice_claims_expected",
    "malpractice_claims_cross_border_expected",
    "indemnity_usd_expected",
    "uncovered_exposure_usd_expected",
    "unauthorized_detected_expected",
    "sanctions_expected",
    "adverse_events_averted_by_supervision_expected",
]
#: Expected-value tallies (floats); only supervision's can be negative (a multiplier above 1).
EXPECTED = [name for name in METRICS if name.endswith("_expected")]
SERVED = METRICS[1:5]
ROOT_ATTRS = [
    "licsim_version",
    "scenario_toml",
    "scenario_file",
    "jurisdictions_csv",
    "foreign_locations_csv",
    "seed",
    "replicates",
    "scale",
    "created_utc",
    "Conventions",
    "spinup_days",
    "spinup",
]
#: Breakdown variables and the metrics variables they total.
BREAKDOWN = {
    "episodes": ["episodes"],
    "served_in_person": ["served_in_person"],
    "served_telehealth": SERVED[1:],
    "unmet": ["unmet"],
    "adverse_events": ["adverse_events"],
    "malpractice_claims": ["malpractice_claims"],
    "unauthorized_encounters": ["unauthorized_encounters"],
    "served_telehealth_cross_state": ["served_telehealth_cross_state"],
}
#: Breakdown variables with no daily counterpart, and the breakdown variable each is part of.
BREAKDOWN_ONLY = {
    "served_telehealth_out_of_home_state": "served_telehealth",
    "new_patient_in_person": "served_in_person",
    "served_telehealth_border_county": "served_telehealth",
    "served_telehealth_out_of_home_state_border_county": "served_telehealth_out_of_home_state",
}


def load(path, group):
    return xr.load_dataset(path, group=group, engine="h5netcdf")


@pytest.fixture(scope="module")
def breakdown(small_run):
    return load(small_run.path, "breakdown")


@pytest.fixture(scope="module")
def flows(small_run):
    return load(small_run.path, "flows")


@pytest.fixture(scope="module")
def attrs(small_run):
    with h5py.File(small_run.path, "r") as f:
        return dict(f.attrs)


def served_total(ds):
    return sum(ds[v] for v in SERVED)


# --- names, dimensions and attributes ---------------------------------------------------


@pytest.mark.parametrize("name", METRICS)
def test_metric_variable(metrics, name):
    assert name in metrics.data_vars
    da = metrics[name]
    assert da.dims == ("replicate", "day", "jurisdiction")
    assert da.attrs["units"]
    assert da.attrs["long_name"]


def test_no_undocumented_metrics(metrics):
    assert sorted(metrics.data_vars) == sorted(METRICS)


def test_metrics_coordinates(metrics, small_run):
    assert metrics.sizes == {"replicate": small_run.replicates, "day": small_run.days, "jurisdiction": 51}
    assert list(metrics["replicate"].values) == list(range(small_run.replicates))
    jurisdictions = list(metrics["jurisdiction"].values)
    assert len(set(jurisdictions)) == 51 and "DC" in jurisdictions and "TX" in jurisdictions
    days = metrics["day"].values
    assert days.dtype.kind == "M"
    assert days[0] == np.datetime64("2019-01-01")
    assert (np.diff(days) == np.timedelta64(1, "D")).all()


def test_units_of_money_and_distance(metrics):
    for name in ("indemnity_usd", "uncovered_exposure_usd", "licensure_spend_usd", "patient_cost_usd"):
        assert metrics[name].attrs["units"] == "USD"
    assert metrics["travel_km_avoided"].attrs["units"] == "km"
    assert metrics["wait_days_mean"].attrs["units"] == "days"
    assert metrics["episodes"].attrs["units"] == "1"


def test_root_attributes(attrs, small_run):
    for name in ROOT_ATTRS:
        assert name in attrs, name
    assert attrs["licsim_version"] == licsim.__version__
    assert int(attrs["seed"]) == small_run.seed
    assert int(attrs["replicates"]) == small_run.replicates
    assert float(attrs["scale"]) == small_run.scale
    assert attrs["scenario_file"] == str(SCENARIO)
    assert attrs["Conventions"].startswith("CF-")
    assert attrs["jurisdictions_csv"].startswith("code,name,")
    assert attrs["jurisdictions_csv"].count("\n") >= 51
    assert attrs["foreign_locations_csv"].startswith("code,name,")
    assert attrs["created_utc"] == "2023-11-14T22:13:20Z"  # SOURCE_DATE_EPOCH=1700000000


def test_scenario_toml_is_the_resolved_scenario(attrs, small_run):
    text = attrs["scenario_toml"]
    scenario = tomllib.loads(text)
    source = tomllib.loads(SHIPPED.read_text())
    assert scenario["meta"]["name"] == "state_only"
    assert scenario["population"]["lep_share"] == source["population"]["lep_share"]
    assert scenario["specialty"]["primary_care"]["price_in_person_usd"] == 146
    # The stored scenario records the horizon actually run.
    assert scenario["simulation"]["days"] == small_run.days == int(attrs["days"])
    assert text == licsim.resolved_scenario(SCENARIO, overrides={"simulation.days": small_run.days})


def test_scenario_toml_round_trips(attrs, tmp_path, run_cli):
    """The stored text is a scenario file: run it again (with absolute data paths) and it resolves to itself."""
    data_dir = SHIPPED.parent  # the data paths are the shipped file's
    text = attrs["scenario_toml"]
    scenario = tomllib.loads(text)
    # Every data file named by a *_file key, made absolute.
    files = [v for k, v in scenario["world"].items() if k.endswith("_file") and v]
    files += [table[k] for table in scenario.values() if isinstance(table, dict)
              for k in table if k.endswith("_file") and table[k] and isinstance(table[k], str)
              and table is not scenario["world"]]
    for relative in files:
        text = text.replace(f"'{relative}'", f"'{(data_dir / relative).as_posix()}'")
    copy = tmp_path / "stored.toml"
    copy.write_text(text)
    assert run_cli("validate", copy).returncode == 0
    assert licsim.resolved_scenario(copy) == text


def test_overrides_are_recorded(run_cli, tmp_path):
    output = tmp_path / "set.h5"
    result = run_cli("run", SCENARIO, "-o", output, "--days", "3", "--scale", "0.0002", "-q",
                     "--set", "population.lep_share=0.2", "--set", "controlled_substances.in_person_rule=false")
    assert result.returncode == 0, result.stderr
    with h5py.File(output, "r") as f:
        scenario = tomllib.loads(f.attrs["scenario_toml"])
    assert scenario["population"]["lep_share"] == 0.2
    assert scenario["controlled_substances"]["in_person_rule"] is False


USERS = ("telehealth_users", "telehealth_users_out_of_home_state")


def test_breakdown_layout(breakdown, small_run):
    periods = (("", "month"), ("_by_quarter", "quarter"), ("_by_half_year", "half_year"), ("_by_year", "year"))
    users = {name + suffix for name in USERS for suffix, _ in periods}
    assert set(breakdown.data_vars) == (set(BREAKDOWN) | set(BREAKDOWN_ONLY) | {"new_patient_wait_days"} | users
                                        | {"patients"})
    for name in USERS:
        for suffix, period in periods:
            da = breakdown[name + suffix]
            assert da.dims == ("replicate", period, "jurisdiction", "payer", "area"), name + suffix
            assert da.attrs["units"] == "1" and da.attrs["long_name"]
    assert breakdown["patients"].dims == ("jurisdiction", "payer", "area")
    for period in ("quarter", "half_year", "year"):
        assert list(breakdown[period].values) == list(pd.to_datetime(["2019-01-01"]))
    for name, da in breakdown.data_vars.items():
        if name in users or name == "patients":
            continue
        assert da.dims == ("replicate", "month", "jurisdiction", "payer", "area", "specialty"), name
        assert da.attrs["units"] == ("days" if name == "new_patient_wait_days" else "1") and da.attrs["long_name"]
    assert list(breakdown["payer"].values) == ["medicare", "medicaid", "private", "uninsured"]
    assert list(breakdown["area"].values) == ["urban", "rural"]
    assert sorted(breakdown["specialty"].values) == sorted(tomllib.loads(SHIPPED.read_text())["specialty"])
    assert list(breakdown["month"].values) == list(pd.to_datetime(["2019-01-01", "2019-02-01", "2019-03-01"]))
    assert breakdown.sizes["jurisdiction"] == 51


def test_flows_layout(flows, attrs, metrics):
    assert list(flows.data_vars) == ["encounters", "encounters_by_home"]
    da = flows["encounters"]
    assert da.dims == ("replicate", "month", "patient_location", "clinician_location", "modality")
    by_home = flows["encounters_by_home"]
    assert by_home.dims == ("replicate", "month", "patient_home", "payer", "clinician_location", "modality")
    assert list(flows["patient_home"].values) == list(metrics["jurisdiction"].values)
    assert list(flows["payer"].values) == ["medicare", "medicaid", "private", "uninsured"]
    assert list(flows["modality"].values) == ["in_person", "telehealth"]
    foreign = [line.split(",")[0] for line in attrs["foreign_locations_csv"].strip().splitlines()[1:]]
    places = list(metrics["jurisdiction"].values) + foreign
    assert list(flows["patient_location"].values) == places
    assert list(flows["clinician_location"].values) == places


# --- internal consistency ----------------------------------------------------------------


def test_flows_total_equals_encounters_served(flows, metrics):
    per_replicate = flows["encounters"].sum(["month", "patient_location", "clinician_location", "modality"])
    expected = served_total(metrics).sum(["day", "jurisdiction"])
    np.testing.assert_array_equal(per_replicate.values, expected.values)
    assert int(per_replicate.sum()) > 0


def test_flows_classify_telemedicine_like_metrics(flows, metrics):
    us = list(metrics["jurisdiction"].values)
    tele = flows["encounters"].sel(modality="telehealth").sum(["replicate", "month"])
    patient_us = tele["patient_location"].isin(us)
    clinician_us = tele["clinician_location"].isin(us)
    same = tele["patient_location"] == tele["clinician_location"]
    both_us = patient_us & clinician_us
    assert int(tele.where(both_us & same, 0).sum()) == int(metrics["served_telehealth_in_state"].sum())
    assert int(tele.where(both_us & ~same, 0).sum()) == int(metrics["served_telehealth_cross_state"].sum())
    assert int(tele.where(~both_us, 0).sum()) == int(metrics["served_telehealth_international"].sum())
    in_person = flows["encounters"].sel(modality="in_person")
    assert int(in_person.sum()) == int(metrics["served_in_person"].sum())


def test_flows_by_home_add_up_to_the_flows_and_the_breakdown(flows, breakdown):
    by_home = flows["encounters_by_home"]
    # The same encounters, by clinician location and modality.
    np.testing.assert_array_equal(by_home.sum(["patient_home", "payer"]).values,
                                  flows["encounters"].sum("patient_location").values)
    # Out of the home state (a US clinician elsewhere) by home and payer: the breakdown's measure.
    tele = by_home.sel(modality="telehealth")
    us = list(flows["patient_home"].values)
    clinician = tele["clinician_location"]
    away = tele.where(clinician.isin(us) & (clinician != tele["patient_home"]), 0).sum("clinician_location")
    expected = breakdown["served_telehealth_out_of_home_state"].sum(["area", "specialty"])
    np.testing.assert_array_equal(away.values, expected.rename(jurisdiction="patient_home").values)


def test_users_are_patients_counted_once_per_period(breakdown):
    tele = breakdown["served_telehealth"].sum("specialty")
    away = breakdown["served_telehealth_out_of_home_state"].sum("specialty")
    users, away_users = breakdown["telehealth_users"], breakdown["telehealth_users_out_of_home_state"]
    assert int(users.sum()) > 0
    # At most one user per encounter; out-of-state users are users.
    assert (users <= tele).all() and (away_users <= away).all() and (away_users <= users).all()
    # Over the quarter and the year (here the same three months) at least the busiest month, at
    # most the sum of the months; at most every patient.
    for period in ("quarter", "half_year", "year"):
        longer = breakdown[f"telehealth_users_by_{period}"].isel({period: 0})
        assert (longer >= users.max("month")).all() and (longer <= users.sum("month")).all()
        assert (longer <= breakdown["patients"]).all()
    # Over three months a patient with visits in two of them is counted twice monthly, once a year.
    assert int(breakdown["telehealth_users_by_year"].sum()) < int(users.sum())


@pytest.mark.parametrize("name", list(BREAKDOWN))
def test_breakdown_matches_metrics_by_month_and_state(breakdown, metrics, name):
    monthly = sum(metrics[v] for v in BREAKDOWN[name]).resample(day="MS").sum()
    monthly = monthly.rename(day="month")
    from_breakdown = breakdown[name].sum(["payer", "area", "specialty"])
    np.testing.assert_array_equal(from_breakdown.transpose(*monthly.dims).values, monthly.values)


@pytest.mark.parametrize("name", list(BREAKDOWN_ONLY))
def test_breakdown_only_variables_are_parts(breakdown, name):
    part, whole = breakdown[name], breakdown[BREAKDOWN_ONLY[name]]
    assert (part <= whole).all() and float(part.sum()) > 0
    waits = breakdown["new_patient_wait_days"]
    assert (waits >= 0).all() and float(waits.sum()) > 0


def test_episodes_are_conserved(small_run, run_cli, tmp_path):
    """From an empty history (no spin-up), every episode is served, forgone, or still waiting at the end."""
    empty = dataclasses.replace(small_run, path=tmp_path / "empty.h5",
                                overrides={**small_run.overrides, "simulation.spinup_days": "0"})
    assert run_cli("run", *empty.cli_args(empty.path)).returncode == 0
    metrics = load(empty.path, "metrics")
    totals = lambda da: da.sum("day")  # noqa: E731
    left = totals(metrics["episodes"])
    right = totals(served_total(metrics)) + totals(metrics["unmet"]) + metrics["waiting"].isel(day=-1)
    np.testing.assert_array_equal(left.values, right.values)


def test_wait_mean_is_nan_exactly_where_nobody_was_served(metrics):
    nobody = (served_total(metrics) == 0).values
    wait = metrics["wait_days_mean"].values
    np.testing.assert_array_equal(np.isnan(wait), nobody)
    assert (wait[~nobody] >= 0).all()


def test_counts_are_non_negative_integers(metrics):
    for name in METRICS:
        da = metrics[name]
        if name in EXPECTED:
            assert da.dtype.kind == "f", name
            if name != "adverse_events_averted_by_supervision_expected":
                assert float(da.min()) >= 0, name
        elif da.attrs["units"] == "1":
            assert da.dtype.kind == "i", name
            assert int(da.min()) >= 0, name
        else:
            assert float(da.min(skipna=True)) >= 0, name


# --- determinism -------------------------------------------------------------------------


def test_same_seed_same_bytes_across_thread_counts(small_run, run_cli, tmp_path):
    output = tmp_path / "one_thread.h5"
    result = run_cli("run", *small_run.cli_args(output, threads=1))
    assert result.returncode == 0, result.stderr
    assert_same_results(small_run.path, output)
    assert output.read_bytes() == small_run.path.read_bytes()


def test_different_seed_different_data(small_run, run_cli, tmp_path, metrics):
    output = tmp_path / "other_seed.h5"
    result = run_cli("run", *small_run.cli_args(output, seed=small_run.seed + 1))
    assert result.returncode == 0, result.stderr
    other = load(output, "metrics")
    assert other.sizes == metrics.sizes
    assert not np.array_equal(other["episodes"].values, metrics["episodes"].values)
    assert not np.array_equal(other["served_in_person"].values, metrics["served_in_person"].values)


def test_replicates_differ_from_each_other(metrics):
    episodes = metrics["episodes"].values
    assert not np.array_equal(episodes[0], episodes[1])
    assert not np.array_equal(episodes[1], episodes[2])


def test_created_utc_is_iso_without_source_date_epoch(run_cli, tmp_path):
    env = child_env()
    env.pop("SOURCE_DATE_EPOCH", None)
    output = tmp_path / "now.h5"
    result = run_cli("run", SCENARIO, "-o", output, "--days", "2", "--scale", "0.0002", "-q", env=env)
    assert result.returncode == 0, result.stderr
    with h5py.File(output, "r") as f:
        created = f.attrs["created_utc"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created)
    assert created != "2023-11-14T22:13:20Z"


def test_the_byte_identity_script_finds_a_changed_output(tmp_path):
    """scripts/byte_identity.py (issue 17's check that a refactoring changes no output): a record
    checks clean against the same tree, and a digest that differs is reported with exit 1."""
    from conftest import SOURCE_DIR, find_cli

    script = [sys.executable, SOURCE_DIR / "scripts" / "byte_identity.py"]
    common = ["--licsim", find_cli(), "--scenarios", "state_only", "imlc"]
    record = tmp_path / "before.json"
    done = subprocess.run([*map(str, script), "record", str(record), "--days", "5", *map(str, common)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    reference = json.loads(record.read_text())
    assert sorted(reference["digests"]) == ["imlc", "state_only"] and reference["threads"] == [1, 2]
    assert reference["digests"]["state_only"]["1"] != reference["digests"]["state_only"]["2"]  # seeds matter
    same = subprocess.run([*map(str, script), "check", str(record), "--licsim", str(find_cli())],
                          capture_output=True, text=True)
    assert same.returncode == 0 and "all 4 runs byte-identical" in same.stdout, same.stderr
    reference["digests"]["imlc"]["2"] = "0" * 64
    record.write_text(json.dumps(reference))
    changed = subprocess.run([*map(str, script), "check", str(record), "--licsim", str(find_cli())],
                             capture_output=True, text=True)
    assert changed.returncode == 1 and "output changed for imlc seed 2" in changed.stderr
