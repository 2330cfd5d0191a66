#!/usr/bin/env bash
# Reliability checks (docs/reliability.md), run by .ci/run after the README's test
# command, in their own build folders (clang; presets in CMakePresets.json):
#   asan  the C++ test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan  the C++ tests of the parallel engine and the output's parallel compression
#         under ThreadSanitizer, with LLVM's
#         libomp and its Archer tool (GCC's libgomp is not TSan-instrumented)
#   fuzz  the fuzzers (libFuzzer + ASan + UBSan) of the scenario loader and of the
#         readers of licsim's HDF5 files, each for a bounded time; built in the asan
#         folder (its code carries the fuzzer's coverage hooks)
# Usage: scripts/ci_checks.sh [asan] [tsan] [fuzz]   (default: all three)
# Environment: LICSIM_FUZZ_SECONDS (default 60), LICSIM_CI_JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${LICSIM_CI_JOBS:-2}
fuzz_seconds=${LICSIM_FUZZ_SECONDS:-60}
checks=("$@")
((${#checks[@]})) || checks=(asan tsan fuzz)

for tool in clang clang++; do
  command -v "$tool" >/dev/null || { echo "ci_checks: $tool not found (run scripts/setup.sh)" >&2; exit 1; }
done

step() {  # step NAME COMMAND...: run, report the time
  local name=$1 start=$SECONDS
  shift
  echo "ci_checks: $name"
  "$@"
  echo "ci_checks: $name done in $((SECONDS - start)) s"
}

build() {  # build PRESET: configure (first time) and build its targets
  [ -f "build/$1/build.ninja" ] || cmake --preset "$1" >/dev/null
  cmake --build --preset "$1" -j "$jobs"
}

# The tests that run on several threads (the other tests use one thread, where
# TSan has nothing to find): the baseline, every regime module, the output writer.
tsan_tests='*for any thread count*'

archer=$(dirname "$(readlink -f "$(command -v clang)")")/../lib/libarcher.so

for check in "${checks[@]}"; do
  case $check in
    asan)
      step "asan build" build asan
      step "asan tests" ctest --preset asan -j "$jobs"
      ;;
    tsan)
      step "tsan build" build tsan
      # Archer tells TSan about OpenMP's barriers and tasks; without it every
      # parallel region would be reported.
      [ -f "$archer" ] || { echo "ci_checks: $archer not found (libomp-dev)" >&2; exit 1; }
      step "tsan tests" env OMP_TOOL_LIBRARIES="$archer" \
        TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp" \
        build/tsan/tests/licsim_thread_tests --test-case="$tsan_tests"
      ;;
    fuzz)
      step "fuzz build" build asan
      fuzz=build/asan/fuzz
      mkdir -p "$fuzz/corpus" "$fuzz/artifacts"
      # New inputs go to $fuzz/corpus; tests/fuzz/corpus is the seed corpus, only read.
      step "fuzz scenarios ${fuzz_seconds} s" build/asan/tests/fuzz/fuzz_scenario \
        -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -dict=tests/fuzz/scenario.dict -print_final_stats=1 \
        -artifact_prefix="$fuzz/artifacts/" "$fuzz/corpus" tests/fuzz/corpus \
        2>&1 | tee "$fuzz/fuzz.log" | grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|ERROR|SUMMARY|Test unit written"
      grep -q "^Done [0-9]* runs" "$fuzz/fuzz.log" || { echo "ci_checks: the fuzzer did not finish cleanly" >&2; exit 1; }
      # The readers of licsim's HDF5 files: seeds are a small run file, a shard and
      # a point file written by this build (scripts/fuzz_seeds.sh). Leaks are not
      # looked for here, per input or at exit (ASAN_OPTIONS detect_leaks=0): HDF5
      # 1.10 leaks on many error paths of forged files, in its own allocations
      # (a CI run failed on 8 such bytes at exit); licsim's own leaks are the asan
      # test suite's to find.
      files=build/asan/fuzz-files
      mkdir -p "$files/corpus" "$files/artifacts"
      step "fuzz seeds" scripts/fuzz_seeds.sh build/asan/sim/licsim build/asan/tests/fuzz/fuzz_result_files "$files/seeds"
      step "fuzz result files ${fuzz_seconds} s" env ASAN_OPTIONS="detect_leaks=0" \
        build/asan/tests/fuzz/fuzz_result_files -max_total_time="$fuzz_seconds" -timeout=60 -detect_leaks=0 -rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 \
        -artifact_prefix="$files/artifacts/" "$files/corpus" "$files/seeds" \
        2>&1 | tee "$files/fuzz.log" | grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|ERROR|SUMMARY|Test unit written"
      grep -q "^Done [0-9]* runs" "$files/fuzz.log" || { echo "ci_checks: the fuzzer did not finish cleanly" >&2; exit 1; }
      ;;
    *)
      echo "ci_checks: unknown check '$check' (asan, tsan, fuzz)" >&2
      exit 2
      ;;
  esac
done
echo "ci_checks: all passed (${SECONDS} s)"
