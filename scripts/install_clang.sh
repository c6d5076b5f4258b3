#!/usr/bin/env bash
# Installs clang (Debian's clang-14, which ships libFuzzer and the sanitizers' runtimes) and llvm
# (llvm-symbolizer, which turns sanitizer reports' addresses into file:line) when either is missing:
# what scripts/checked_build.sh and scripts/tsan.sh build with.
set -euo pipefail
if ! command -v clang++ >/dev/null || ! command -v llvm-symbolizer >/dev/null; then
  sudo_prefix=()
  [ "$(id -u)" -eq 0 ] || sudo_prefix=(sudo)
  "${sudo_prefix[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_prefix[@]}" apt-get install -y -qq clang llvm
fi
