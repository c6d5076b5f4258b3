#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer, as CI runs it (README, "Checked
# builds"): builds build-checked/ (clang; the library, `nas`, the tests and the fuzzing harnesses) and
# runs ctest there. Any sanitizer report ends the process that made it, so the test fails.
#   scripts/sanitize.sh          the CI subset: every test but the slow process-level ones below
#   scripts/sanitize.sh --all    every test
# Left out of the CI subset, for time (about 8 of the 16 minutes the suite takes under ASan on 2
# cores): the kill-and-resume, injected-fault and export suites, which start many `nas` processes; the
# code they run is run here by the other tests. The MPI tests (MpiRun.*) run after the others, with
# hwloc's plugins preloaded: MPICH's MPI_Init loads the machine's topology with hwloc, whose plugins
# (loaded with dlopen) keep 1016 bytes in 9 allocations and are unloaded before exit, so LeakSanitizer
# reports the bytes as leaked from a library it cannot name. Kept loaded, the bytes stay reachable.
set -euo pipefail
cd "$(dirname "$0")/.."

excluded='^(MpiRun)\.'
if [ "${1:-}" != "--all" ]; then
  excluded='^(MpiRun|Resume|InjectedFaults|SupernetResume|SharedWeightsResume|WeightSharingExport|Export)\.'
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

start=$(date +%s)
./scripts/checked_build.sh
echo "sanitize.sh: build: $(( $(date +%s) - start )) s"
start=$(date +%s)
ctest --test-dir build-checked --output-on-failure -j"$(nproc)" --timeout 1800 -E "$excluded"
LD_PRELOAD="$(ls /usr/lib/x86_64-linux-gnu/hwloc/hwloc_*.so 2>/dev/null | paste -sd:)" \
  ctest --test-dir build-checked --output-on-failure -j"$(nproc)" --timeout 1800 -R '^MpiRun\.'
echo "sanitize.sh: tests under ASan + UBSan: $(( $(date +%s) - start )) s"
