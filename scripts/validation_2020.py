"""The 2019-2022 runs against the claims studies: the table of docs/calibration.md.

Runs us_2019 (calendar 2019), us_2020 (2020) and us_2020_2022 (2020-2022), nothing fitted to
2020 or later, and computes each published measure as its study defines it
(licsim.analysis.claims). Prints a Markdown table: the study, its definition, the published
value, licsim's mean with a 95% interval over replicates, and a verdict.

    python scripts/validation_2020.py --scale 0.01 --replicates 4     # the docs' table (~8 min)
"""

from __future__ import annotations

import argparse
import time

import licsim
from licsim.analysis import claims


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--replicates", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    settings = dict(seed=args.seed, replicates=args.replicates, scale=args.scale)
    t0 = time.time()
    runs = [licsim.run(licsim.scenario_path(name), **settings) for name in ("us_2019", "us_2020", "us_2020_2022")]
    print(f"<!-- python scripts/validation_2020.py --scale {args.scale:g} --replicates {args.replicates} "
          f"--seed {args.seed}; {time.time() - t0:.0f} s -->")
    print(claims.comparison_table(*runs, markdown=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
