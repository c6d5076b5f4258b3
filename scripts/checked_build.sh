#!/usr/bin/env bash
# Configures and builds build-checked/: clang with AddressSanitizer + UndefinedBehaviorSanitizer and
# libFuzzer's coverage instrumentation, the build that scripts/fuzz.sh and scripts/sanitize.sh run.
# Installs clang when missing (scripts/install_clang.sh). Targets: as given, else all.
#   scripts/checked_build.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install_clang.sh

cmake -S . -B build-checked -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
  -DNAS_SANITIZE=address -DNAS_FUZZ=ON >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build-checked -j"$(nproc)" "${targets[@]}"
