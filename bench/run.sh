#!/usr/bin/env bash
# Prints the benchmark table: wall time, episodes per second per core,
# patient-days per second, peak memory, bytes per patient, and the share of
# time spent writing output, for each workload (each in a fresh process).
#
#   bench/run.sh                 1:1000, 1:100, 1:10 (state-only and regime-rich)
#   bench/run.sh --full          the same plus full scale (needs ~10 GiB, minutes)
#   THREADS=1 bench/run.sh       thread count (default: 2)
set -euo pipefail
cd "$(dirname "$0")/.."
bench=build/release/bench/licsim_bench
[ -x "$bench" ] || { echo "build first: cmake --build --preset release" >&2; exit 2; }
threads=${THREADS:-2}
days=${DAYS:-365}
scales=(0.001 0.01 0.1)
if [ "${1:-}" = "--full" ]; then scales+=(1.0); fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "licsim benchmark, $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $threads thread(s), $days days"
echo
echo "| workload                 |   scale | threads |    patients |      episodes |   wall s | episodes/s/core | patient-days/s |  peak MiB | bytes/patient | output |"
echo "|--------------------------|--------:|--------:|------------:|--------------:|---------:|-------------:|-------------:|---------:|---------:|-------:|"
for scale in "${scales[@]}"; do
  for scenario in state_only regime_rich; do
    file=scenarios/state_only.toml
    [ "$scenario" = regime_rich ] && file=bench/regime_rich.toml
    "$bench" "$file" "${scenario}@${scale}" "$scale" "$days" "$threads" "$out"
  done
done
