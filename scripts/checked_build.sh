#!/usr/bin/env bash
# Configures and builds build-checked/: clang with AddressSanitizer + UndefinedBehaviorSanitizer and
# libFuzzer's coverage instrumentation, the build that scripts/fuzz.sh and scripts/sanitize.sh run.
# Installs clang (Debian's clang-14, which ships libFuzzer) when missing. Targets: as given, else all.
#   scripts/checked_build.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang++ >/dev/null || ! command -v llvm-symbolizer >/dev/null; then
  sudo_prefix=()
  [ "$(id -u)" -eq 0 ] || sudo_prefix=(sudo)
  "${sudo_prefix[@]}" apt-get update -qq
  # llvm: llvm-symbolizer, which turns sanitizer reports' addresses into file:line.
  DEBIAN_FRONTEND=noninteractive "${sudo_prefix[@]}" apt-get install -y -qq clang llvm
fi

cmake -S . -B build-checked -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
  -DNAS_SANITIZE=address -DNAS_FUZZ=ON >/dev/null
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake --build build-checked -j"$(nproc)" "${targets[@]}"
