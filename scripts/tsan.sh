#!/usr/bin/env bash
# The tests of the trial-runner pool and the run loop under ThreadSanitizer, as CI runs them (README,
# "Checked builds"): builds build-tsan/ (clang, NAS_SANITIZE=thread; the libraries and the test
# programs below, not `nas`) and runs, there:
#   nas_tests_evaluators_runner   the local runner: workers, queueing, failures, shared weights
#   nas_tests_experiments_run     the run loop: phases, search with 2 workers training CNNs, resume
#   nas_tests_experiments_post    re-evaluation on 2 workers; 2 workers scoring with one shared supernet
#   nas_tests_graph               TrainingRandomness.*: node classifiers trained in 2 threads at once
# Any report ends the test program, so its tests fail. scripts/tsan.supp says what is not checked and why.
# Installs clang when missing (scripts/install_clang.sh).
#   scripts/tsan.sh
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install_clang.sh

programs=(nas_tests_evaluators_runner nas_tests_experiments_run nas_tests_experiments_post nas_tests_graph)
start=$(date +%s)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ -DNAS_SANITIZE=thread >/dev/null
targets=()
for program in "${programs[@]}"; do targets+=(--target "$program"); done
cmake --build build-tsan -j"$(nproc)" "${targets[@]}"
echo "tsan.sh: build: $(( $(date +%s) - start )) s"

export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp}"
start=$(date +%s)
# Every test of the first three programs (ctest labels each test with its program's folder), and
# TrainingRandomness.* of nas_tests_graph, whose other tests train one model at a time.
whole=$(printf '%s\n' "${programs[@]}" | grep -v '_graph$' | sed 's/^nas_tests_//' | paste -sd'|')
ctest --test-dir build-tsan --output-on-failure -j"$(nproc)" --timeout 1800 -L "^($whole)\$"
ctest --test-dir build-tsan --output-on-failure -j"$(nproc)" --timeout 1800 -L '^graph$' -R '^TrainingRandomness\.'
echo "tsan.sh: tests under ThreadSanitizer: $(( $(date +%s) - start )) s"
