#!/usr/bin/env bash
# Runs the libFuzzer harnesses of fuzz/ (built by scripts/checked_build.sh, ASan + UBSan) for SECONDS
# each (default 60), one after the other, each on its committed seeds (fuzz/corpus/<harness>/) and the
# inputs that earlier runs found (build-checked/fuzz-corpus/<harness>/, not committed). SECONDS=0
# runs every input of the corpus once and mutates nothing: the regression run CI makes.
#   scripts/fuzz.sh [SECONDS] [HARNESS...]        e.g. scripts/fuzz.sh 1800 fuzz_npy
# Prints per harness the executions, executions per second and the outcome. A finding (a crash, a
# sanitizer report, an exception other than nas::Error, an error message over 2 KiB, an input taking
# over 60 s) is saved as build-checked/fuzz-findings/<harness>/crash-* (or timeout-*, oom-*) and
# makes the script exit 1; reproduce it with build-checked/fuzz/<harness> THAT_FILE.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
all=(fuzz_experiment fuzz_genotype fuzz_einspace_tree fuzz_search_log fuzz_npy fuzz_idx fuzz_planetoid fuzz_nb201_table)
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")

./scripts/checked_build.sh "${harnesses[@]}" >/dev/null || exit 1

# Leak checks stay on: libFuzzer reports a leak per input only when the input's run leaked.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# One thread per harness: the harnesses read inputs, and torch's thread pools only slow them down.
export OMP_NUM_THREADS=1

status=0
printf '%-20s %8s %12s %10s  %s\n' harness seconds executions exec/s outcome
for harness in "${harnesses[@]}"; do
  work="build-checked/fuzz-corpus/$harness"
  findings="build-checked/fuzz-findings/$harness"
  mkdir -p "$work" "$findings"
  log="build-checked/fuzz-findings/$harness.log"
  if [ "$seconds" -eq 0 ]; then limit=(-runs=0); else limit=(-max_total_time="$seconds"); fi
  start=$(date +%s)
  "build-checked/fuzz/$harness" "${limit[@]}" -timeout=60 -rss_limit_mb=4096 -max_len=262144 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work" "fuzz/corpus/$harness" >"$log" 2>&1
  code=$?
  elapsed=$(( $(date +%s) - start ))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [ "$code" -eq 0 ]; then
    outcome="no finding"
  else
    outcome="FINDING (exit $code): $(ls -t "$findings" | head -1); log: $log"
    status=1
  fi
  printf '%-20s %8s %12s %10s  %s\n' "$harness" "$elapsed" "${executions:-?}" "${rate:-?}" "$outcome"
done
exit "$status"
