#!/usr/bin/env bash
# Installs the Debian packages nas needs (only those missing) and builds it into build/.
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake g++ make ccache
  libtorch-dev
  libopenblas0-openmp          # without it Debian's libtorch uses the reference BLAS, ~12x slower
  libboost-graph-dev libtbb-dev libyaml-cpp-dev nlohmann-json3-dev
  libsqlite3-dev zlib1g-dev libgtest-dev
  graphviz                     # dot: draws architectures in `nas inspect --html` reports
  python3-torch                # tests load exported models with torch.jit.load, as users do
  dataset-fashion-mnist        # /usr/share/datasets/fashion-mnist
  mpich libmpich-dev           # `mpiexec -n N nas run`: trials spread over ranks (README, "On a cluster")
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_prefix=()
  [ "$(id -u)" -eq 0 ] || sudo_prefix=(sudo)
  "${sudo_prefix[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_prefix[@]}" apt-get install -y -qq "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
