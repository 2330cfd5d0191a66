#!/usr/bin/env bash
# Seeds for tests/fuzz/fuzz_result_files, of a world of two states
# (tests/fuzz/tiny_world: the smallest files licsim writes): a run file, a shard and a point
# file of a one-point sweep, each twice (first byte 0: as written; 1: sealed
# again after the fuzzer's changes).
# Usage: scripts/fuzz_seeds.sh LICSIM FUZZ_RESULT_FILES OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
licsim=$1 fuzzer=$2 out=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export SOURCE_DATE_EPOCH=1700000000 OMP_NUM_THREADS=1
"$licsim" run tests/fuzz/tiny_world/tiny.toml --scale 0.0002 --days 3 -q -o "$work/run.h5"
cat > "$work/sweep.toml" <<TOML
[sweep]
scenarios = ["$PWD/tests/fuzz/tiny_world/tiny.toml"]
scale = 0.0002
days = 3
[grid]
"compact.loq_fee_usd" = [700, 1400, 2100]
TOML
"$licsim" sweep "$work/sweep.toml" --shard 0/2 --threads 1 -o "$work/shard.h5" >/dev/null
# The point file of the fuzzer's own one-point plan (what --resume reads).
LICSIM_FUZZ_WRITE_SEED="$work/point.h5" "$fuzzer" >/dev/null 2>&1
for f in run shard point; do
  for mode in 0 1; do
    { printf "\\x0$mode"; cat "$work/$f.h5"; } > "$out/$f-$mode"
  done
done
ls "$out" | wc -l | xargs echo "fuzz_seeds: seeds written to $out:"
