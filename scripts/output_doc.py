#!/usr/bin/env python3
"""Regenerate docs/output.md's variable tables from the output schema.

Each table sits between `<!-- BEGIN licsim schema --markdown GROUP ... -->` and
`<!-- END licsim schema --markdown GROUP -->`; this replaces what is between with
`licsim schema --markdown GROUP`. The prose around the tables is not touched. A doctest
(tests/cpp/engine/test_output_schema.cpp) fails when a table and the schema disagree.

    scripts/output_doc.py [--licsim build/release/sim/licsim]
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"(<!-- BEGIN licsim schema --markdown (\w+)[^\n]*-->\n)(.*?)(<!-- END licsim schema --markdown \2 -->)",
                   re.S)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--licsim", default=str(ROOT / "build/release/sim/licsim"))
    args = parser.parse_args()
    doc = ROOT / "docs/output.md"

    def table(match: re.Match) -> str:
        md = subprocess.run([args.licsim, "schema", "--markdown", match[2]], check=True, capture_output=True,
                            text=True).stdout
        return match[1] + md.rstrip() + "\n" + match[4]

    text, blocks = BLOCK.subn(table, doc.read_text())
    doc.write_text(text)
    print(f"output_doc: {blocks} tables regenerated in {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
