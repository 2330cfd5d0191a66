#!/usr/bin/env python3
"""Byte-identity of licsim's output across a change (issue 17: a refactoring changes no output).

Runs every shipped scenario (scenarios/*.toml) with two seeds on one and on two threads, checks
that the thread count changes no byte, and records or checks the SHA-256 of each run file:

    scripts/byte_identity.py record before.json     # on the tree before the change
    scripts/byte_identity.py check before.json      # on the tree after it: exit 1 on any difference

Runs are short (--scale, --days) but go through the spin-up, every regime module the scenario
switches on and the whole writer. SOURCE_DATE_EPOCH fixes the files' creation time; the scenario
path is the same in both trees when both are run from the same checkout. Needs only the standard
library and a built licsim (--licsim, default build/release/sim/licsim).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (1, 2)
THREADS = (1, 2)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(licsim: Path, scenario: Path, seed: int, threads: int, args: argparse.Namespace, out: Path) -> str:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    cmd = [str(licsim), "run", str(scenario), "--seed", str(seed), "--threads", str(threads),
           "--scale", str(args.scale), "--days", str(args.days), "-q", "--force", "-o", str(out)]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"byte_identity: {' '.join(cmd)} failed:\n{result.stderr}")
    return sha256(out)


def digests(args: argparse.Namespace) -> dict[str, dict[str, str]]:
    """{scenario name: {seed: digest}}, after checking every thread count gives the same bytes."""
    scenarios = sorted(ROOT.glob("scenarios/*.toml"))
    if args.scenarios:
        scenarios = [s for s in scenarios if s.stem in args.scenarios]
        missing = set(args.scenarios) - {s.stem for s in scenarios}
        if missing:
            sys.exit(f"byte_identity: no scenario named {', '.join(sorted(missing))} in scenarios/")
    found: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "run.h5"
        for scenario in scenarios:
            found[scenario.stem] = {}
            for seed in SEEDS:
                by_threads = {t: run(args.licsim, scenario, seed, t, args, out) for t in THREADS}
                if len(set(by_threads.values())) != 1:
                    sys.exit(f"byte_identity: {scenario.stem} seed {seed}: the thread counts "
                             f"{', '.join(map(str, THREADS))} give different files")
                found[scenario.stem][str(seed)] = by_threads[THREADS[0]]
                print(f"  {scenario.stem:28} seed {seed}: {by_threads[THREADS[0]][:16]}", flush=True)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("record", "check"))
    parser.add_argument("reference", type=Path, help="JSON of digests: written by record, read by check")
    parser.add_argument("--licsim", type=Path, default=ROOT / "build" / "release" / "sim" / "licsim")
    parser.add_argument("--scale", type=float, default=0.0002)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--scenarios", nargs="*", help="scenario names (default: every scenarios/*.toml)")
    args = parser.parse_args()

    if args.action == "check":
        try:
            reference = json.loads(args.reference.read_text())
        except (OSError, ValueError) as e:
            sys.exit(f"byte_identity: {args.reference}: cannot be read as a record ({e})")
        args.scale, args.days = reference["scale"], reference["days"]
        if not args.scenarios:
            args.scenarios = sorted(reference["digests"])
    found = digests(args)
    if args.action == "record":
        args.reference.write_text(json.dumps({"scale": args.scale, "days": args.days, "seeds": list(SEEDS),
                                              "threads": list(THREADS), "digests": found}, indent=1) + "\n")
        print(f"byte_identity: {sum(map(len, found.values()))} runs recorded in {args.reference}")
        return 0
    differ = [f"{name} seed {seed}" for name, by_seed in reference["digests"].items()
              for seed, digest in by_seed.items() if found.get(name, {}).get(seed) != digest]
    if differ:
        print("byte_identity: output changed for " + "; ".join(differ), file=sys.stderr)
        return 1
    print(f"byte_identity: all {sum(map(len, found.values()))} runs byte-identical to {args.reference} "
          f"(each on {' and '.join(map(str, THREADS))} threads)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
