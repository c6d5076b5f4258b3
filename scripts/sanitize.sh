#!/usr/bin/env bash
# The test suite under the sanitizers, as CI runs it (README "Checked builds"):
#   1. build-checked/ (clang; AddressSanitizer + UndefinedBehaviorSanitizer): the library, `nas` and
#      the tests, and ctest over them, less the tests listed in ASAN_EXCLUDED below.
#   2. build-tsan/ (clang; ThreadSanitizer): the tests of the trial pool and of the run loop, the code
#      where threads meet.
# Any sanitizer report fails the test that provoked it. Prints each part's wall time.
#   scripts/sanitize.sh [address|thread]...     (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(address thread)

jobs="$(nproc)"
# LeakSanitizer stays on; libtorch's one-time allocations at start-up are freed or still reachable.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# TSan cannot see inside libtorch and OpenMP, which are not built with it: their own threads are
# suppressed, ours are checked (tsan.supp says which and why).
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp}"

# Tests whose time under ASan would not fit CI's budget; each is covered by the uninstrumented suite,
# and its code by faster tests here.
ASAN_EXCLUDED='^(MpiRun\.|SupernetResume\.|WeightSharingExport\.)'

for part in "${parts[@]}"; do
  start=$(date +%s)
  case "$part" in
    address)
      ./scripts/checked_build.sh
      ctest --test-dir build-checked --output-on-failure -j"$jobs" -E "$ASAN_EXCLUDED"
      ;;
    thread)
      cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ -DNAS_SANITIZE=thread >/dev/null
      cmake --build build-tsan -j"$jobs" --target nas_tests_evaluators_runner nas_tests_experiments_run
      ctest --test-dir build-tsan --output-on-failure -j"$jobs" -R '^(LocalRunner|TrialRunnerRegistry|SearchRun|RunPhases)\.'
      ;;
    *)
      echo "sanitize.sh: unknown part '$part'; accepted: address, thread" >&2
      exit 2
      ;;
  esac
  echo "sanitize.sh: $part: $(( $(date +%s) - start )) s"
done
