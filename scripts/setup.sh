#!/usr/bin/env bash
# Installs gigasim's build dependencies from Debian 12 packages when any is missing.
# Safe to run repeatedly: it only calls apt-get when a package is absent.
set -euo pipefail

packages=(
  build-essential cmake
  libeigen3-dev              # linear algebra (fits of scaling curves)
  libboost-program-options-dev libboost-dev   # CLI parsing, Boost.Random
  libyaml-cpp-dev            # scenario files
  catch2                     # tests (2.13 on Debian 12)
  nlohmann-json3-dev         # JSON output: well-kept, header-only, exact round-trips
  libfmt-dev                 # formatting: GCC 12 has no std::format
  # The Python package: bindings, Debian's interpreter headers, numpy arrays, its tests.
  pybind11-dev python3-dev python3-numpy python3-pytest
)

# `--fuzz`: also clang and its libFuzzer/sanitizer runtime, for scripts/fuzz.sh.
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
