#!/usr/bin/env bash
# Sets licsim up on a fresh Debian 12 / Ubuntu 22.04+ machine, idempotently:
# Debian packages (apt-get, through sudo when not root), a virtual environment
# .venv made from the python3 on PATH with the Python side from PyPI, and a
# Release build (build/release) installed into .venv (.venv/bin/licsim and the
# licsim Python package). `pip install .` (pyproject.toml, scikit-build-core)
# builds the same package and CLI into any other environment; the tests check it.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config ccache
          libeigen3-dev libboost-program-options-dev libhdf5-dev libtomlplusplus-dev zlib1g-dev
          doctest-dev pybind11-dev librandom123-dev python3-dev python3-venv
          libboost-dev libopenmpi-dev openmpi-bin
          clang libclang-rt-dev libomp-dev llvm)  # sanitizers, libFuzzer, LLVM OpenMP: scripts/ci_checks.sh
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv from $(command -v python3)"
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt

cmake --preset release >/dev/null
cmake --build --preset release
cmake --install build/release --prefix .venv >/dev/null
mkdir -p out
echo "setup: done (.venv/bin/licsim, build/release)"
