"""Each shipped regime file against its baseline at its shipped values, as Markdown tables.

Paired differences over replicates with common random numbers (replicate r of both runs draws
every stream alike), 95% t intervals, national figures (agents / scale), per year. The section
"Effects at the shipped defaults" of docs/regimes.md is the output of

    .venv/bin/python scripts/regime_effects.py

(about 25 minutes on 2 cores). tests/cpp/engine/regimes/test_shipped_defaults.cpp checks the
directions at the same seed and scale (8 replicates for the waiver).
"""
from __future__ import annotations

import numpy as np
from scipy import stats

import licsim

REPLICATES, SEED, SCALE = 16, 2026, 0.001

#: (regime file, baseline file, overrides of the baseline, authorities that are the regime's own)
CASES = [
    ("imlc", "state_only", {}, ["compact_license"]),
    ("telemed_act", "state_only", {}, ["telemed_act"]),
    ("registration", "state_only", {}, ["registration"]),
    ("international_recognition", "state_only", {}, ["supervised", "recognized"]),
    ("national_license", "state_only", {}, ["national_license"]),
    ("combined", "state_only", {}, ["compact_license", "registration", "waiver", "consultation_exception"]),
    ("covid_waiver", "covid_waiver", {"waiver.enabled": False}, ["waiver"]),
]

#: Rows of each table: label and metrics variable.
OUTCOMES = [
    ("cross-state telemedicine", "served_telehealth_cross_state"),
    ("international telemedicine", "served_telehealth_international"),
    ("in-state telemedicine", "served_telehealth_in_state"),
    ("in person", "served_in_person"),
    ("unmet", "unmet"),
    ("adverse events (expected)", "adverse_events_expected"),
    ("uncovered exposure, USD (expected)", "uncovered_exposure_usd_expected"),
    ("licensure spend, USD", "licensure_spend_usd"),
    ("boards' processing cost, USD", "board_processing_cost_usd"),
]


#: A mean per license, not a count: neither scaled nor per year.
DAYS_TO_LICENSE = "days from application to a full or compact license (mean)"


def run(name: str, overrides: dict) -> licsim.Result:
    scenario = licsim.Scenario(licsim.scenario_path(name))
    return licsim.run(scenario, seed=SEED, replicates=REPLICATES, scale=SCALE, progress=False, overrides=overrides)


def per_replicate(result: licsim.Result, own: list[str]) -> dict[str, np.ndarray]:
    metrics, regimes = result.to_xarray(), result.to_xarray("regimes")
    encounters = regimes.encounters_by_authority.sum(["month", "jurisdiction"])
    values = {"own encounters": sum(encounters.sel(authority=a).values.astype(float) for a in own)}
    for label, name in OUTCOMES:
        values[label] = metrics[name].sum(["day", "jurisdiction"]).values.astype(float)
    # Full and compact licenses: granted, and days from application summed over them.
    pathways = result.by_pathway[..., [0, 1], :].sum(axis=(1, 2, 3))  # [replicate, quantity]
    values[DAYS_TO_LICENSE] = pathways[:, 2] / pathways[:, 1]
    return values


def table(name: str, base_name: str, overrides: dict, base: dict, reform: dict, years: float) -> str:
    against = f"`{base_name}.toml`" + (" with " + ", ".join(f"`{k}={v}`" for k, v in overrides.items()).lower()
                                       if overrides else "")
    lines = [f"### `{name}.toml` against {against}", "",
             "| outcome (national, per year) | baseline | difference | 95% interval | resolved at 1:1000 |",
             "|---|---:|---:|---:|---|"]
    q = stats.t.ppf(0.975, REPLICATES - 1)
    for label in reform:
        per_year = 1.0 if label == DAYS_TO_LICENSE else SCALE * years
        d = (reform[label] - base[label]) / per_year
        mean, half = d.mean(), q * d.std(ddof=1) / np.sqrt(REPLICATES)
        resolved = "yes" if abs(mean) > half else "no"
        lines.append(f"| {label} | {base[label].mean() / per_year:,.0f} | {mean:+,.0f} | ±{half:,.0f} | {resolved} |")
    return "\n".join(lines)


def main() -> None:
    baselines: dict = {}
    for name, base_name, overrides, own in CASES:
        key = (base_name, tuple(overrides.items()))
        if key not in baselines:
            baselines[key] = run(base_name, overrides)
        reform = run(name, {})
        years = reform.days / 365.0
        print(table(name, base_name, overrides, per_replicate(baselines[key], own), per_replicate(reform, own), years))
        print()


if __name__ == "__main__":
    main()
