"""Derive scenarios/data/border_counties.csv: for each state and each neighbouring state, the
population of its counties that touch that neighbour (scenarios/data/README.md, section 8).

Inputs (not shipped; the output is):
  - the Census Bureau's county population estimates, Vintage 2019 (co-est2019-alldata.csv:
    SUMLEV 50 rows, POPESTIMATE2019), https://www2.census.gov/programs-surveys/popest/datasets/2010-2019/counties/totals/
  - county adjacency from the Census county adjacency file, as the `county-adjacency` 0.1.3 wheel
    on PyPI ships it (county_adjacency/data.py: name -> fips and adjacent names).

    python scripts/border_counties.py co-est2019-alldata.csv county_adjacency/data.py \\
        scenarios/data/jurisdictions.csv > scenarios/data/border_counties.csv

A county that touches several states is split equally among them. Adjacency is made symmetric
(the package lists some pairs one way only, e.g. Mohave AZ lists Clark NV, not the reverse). Two
counties renamed in 2015 are matched by their old codes (46102 Oglala Lakota = 46113 Shannon SD;
02158 Kusilvak = 02270 Wade Hampton AK). Pairs that touch only at a point or across water and are
not neighbours in jurisdictions.csv (AZ-CO, NM-UT, IL-MI, MI-MN, NY-RI) are left out.
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import sys

RENAMED = {"46102": "46113", "02158": "02270"}


def main(population_csv: str, adjacency_py: str, jurisdictions_csv: str) -> int:
    spec = importlib.util.spec_from_file_location("adjacency_data", adjacency_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    adjacency = module.united_states_adjacency_data

    population, state_total = {}, collections.Counter()
    with open(population_csv, encoding="latin-1") as f:
        for row in csv.DictReader(f):
            row = {k.lstrip("\ufeff").lstrip("ï»¿"): v for k, v in row.items()}
            if row["SUMLEV"] != "50":
                continue
            fips = row["STATE"].zfill(2) + row["COUNTY"].zfill(3)
            population[RENAMED.get(fips, fips)] = int(row["POPESTIMATE2019"])
    fips_state = {}
    for name, entry in adjacency.items():
        fips_state[entry["fips"]] = name.rsplit(", ", 1)[1]

    with open(jurisdictions_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    neighbours = {r["code"]: set(filter(None, r["neighbours"].split(";"))) for r in rows}
    state_fips = {}
    for fips, state in fips_state.items():
        state_fips.setdefault(fips[:2], state)
    for fips, people in population.items():
        state = state_fips.get(fips[:2])
        if state is None:
            raise SystemExit(f"county {fips}: no state in the adjacency data")
        state_total[state] += people

    touching = collections.defaultdict(set)
    for name, entry in adjacency.items():
        for other in entry["adjacent"]:
            if other in adjacency and other != name:
                touching[name].add(other)
                touching[other].add(name)
    border = collections.Counter()
    for name, entry in adjacency.items():
        state, people = name.rsplit(", ", 1)[1], population.get(entry["fips"])
        if people is None or state not in neighbours:
            continue
        others = sorted({o.rsplit(", ", 1)[1] for o in touching[name]} & neighbours[state])
        for other in others:
            border[(state, other)] += people / len(others)

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "neighbour", "border_county_population", "state_population", "source"])
    for (state, other), people in sorted(border.items()):
        out.writerow([state, other, round(people), state_total[state], "CENSUS_V2019;CENSUS_ADJ"])
    missing = [(s, n) for s in neighbours for n in neighbours[s] if (s, n) not in border]
    if missing:
        raise SystemExit(f"neighbours without a border county: {missing}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
