"""``python -m licsim.calibrate``: fit or evaluate a scenario from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from .. import _core
from ..scenario import as_scenario
from .fit import calibrate, evaluate
from .targets import load_targets

def _parse_param(text: str) -> tuple[str, tuple[float, float]]:
    try:
        key, bounds = text.split("=", 1)
        low, high = (float(x) for x in bounds.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected KEY=LOW:HIGH, got {text!r}") from None
    return key.strip(), (low, high)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m licsim.calibrate",
        description="Fit scenario keys to published targets (bounded Nelder-Mead with common random numbers), "
                    "write the calibrated scenario and a report; with no --param, only evaluate.")
    parser.add_argument("scenario", help="scenario file to calibrate (or evaluate)")
    parser.add_argument("--param", action="append", type=_parse_param, default=[], metavar="KEY=LOW:HIGH",
                        help="a scenario key to fit and its bounds (repeatable)")
    parser.add_argument("--start", action="append", default=[], metavar="KEY=VALUE",
                        help="starting value of a fitted key (default: the scenario's value)")
    parser.add_argument("--targets", default=None, help="target file (default: the shipped calibration/targets.toml)")
    parser.add_argument("--ids", default=None, help="comma-separated target ids to use (default: all)")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: the target file's)")
    parser.add_argument("--replicates", type=int, default=2, help="replicates per evaluation while fitting (default 2)")
    parser.add_argument("--scale", type=float, default=None, help="agents per person (default: the target file's)")
    parser.add_argument("--maxfev", type=int, default=60, help="most model evaluations (default 60)")
    parser.add_argument("--out", default=None, help="write the calibrated scenario here")
    parser.add_argument("--name", default=None, help="meta.name of the calibrated scenario")
    parser.add_argument("--description", default=None, help="meta.description of the calibrated scenario")
    parser.add_argument("--report", default=None, help="write the report (CSV) here")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    targets = load_targets(args.targets)
    ids = args.ids.split(",") if args.ids else None
    try:
        if args.param:
            x0 = {k: float(v) for k, v in (item.split("=", 1) for item in args.start)} or None
            if x0 is not None:
                scenario = as_scenario(args.scenario)
                x0 = {k: x0.get(k, float(scenario[k])) for k, _ in args.param}
            cal = calibrate(args.scenario, dict(args.param), targets, ids=ids, seed=args.seed, x0=x0,
                            replicates=args.replicates, scale=args.scale, maxfev=args.maxfev, threads=args.threads,
                            verbose=not args.quiet)
            table = cal.report
            print(f"fitted after {cal.evaluations} evaluations (objective {cal.objective:.4g}): {cal.values}")
            if args.out:
                cal.settings["targets"] = args.targets
                cal.write_scenario(args.out, name=args.name, description=args.description)
                print(f"wrote {args.out}")
        else:
            table = evaluate(args.scenario, targets.select(ids), seed=args.seed, scale=args.scale, threads=args.threads)
    except _core.LicsimError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.report:
        table.to_csv(args.report, index=False)
    return 0

