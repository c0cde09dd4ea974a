#!/usr/bin/env bash
# Installs every Debian package femur needs to build, test and benchmark.
# Idempotent: packages already present are skipped without touching apt.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config
  libeigen3-dev libpugixml-dev libcli11-dev libfmt-dev nlohmann-json3-dev libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev       # compressed .vtp meshes (io/vtp.hpp)
  libsimbody-dev   # Simbody: the dynamics tests' external reference, and timed beside femur in bench
)

# `install-deps.sh --fuzz` adds what `make fuzz` needs (clang with libFuzzer);
# `install-deps.sh --report` adds headless Chromium for scripts/screenshot-report.sh.
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi
if [ "${1:-}" = "--report" ]; then
  packages+=(chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
