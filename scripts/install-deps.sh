#!/usr/bin/env bash
# Installs every Debian package femur needs to build, test and benchmark, then the viewer's
# JavaScript packages from npm (web/package-lock.json, `npm ci`).
# Idempotent: packages already present are skipped without touching apt, and npm runs only
# when web/node_modules does not match the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ccache pkg-config
  libeigen3-dev libpugixml-dev libcli11-dev libfmt-dev nlohmann-json3-dev libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev           # compressed .vtp meshes (io/vtp.hpp)
  libcpp-httplib-dev   # femur view's local server (web/server.hpp)
  nodejs               # bundles the viewer (esbuild) and drives the browser tests
  chromium             # the viewer's browser tests (web/test), and scripts/screenshot-report.sh
  libsimbody-dev       # Simbody: the dynamics tests' external reference, and timed beside femur in bench
  coinor-libipopt-dev libceres-dev  # optimal control: IPOPT, and ceres::Jet dual numbers (header-only use)
  pybind11-dev python3-numpy python3-pytest  # the Python module (built for /usr/bin/python3) and its tests
  python3-dask python3-distributed           # femur.dask and `femur batch --dask`
  python3-matplotlib python3-nbclient python3-ipykernel  # the example notebook, executed in the tests
)
# Debian's nodejs comes without npm (package npm); NodeSource's nodejs includes it, and
# Debian's npm would conflict with it.
command -v npm > /dev/null 2>&1 || packages+=(npm)

# `install-deps.sh --fuzz` adds what `make fuzz` needs (clang with libFuzzer).
# (`--report` is kept for scripts that pass it: Chromium is now always installed.)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The viewer's JavaScript (three.js, esbuild, puppeteer-core): exactly the lock file's
# versions. npm keeps its own copy of the lock in node_modules/.package-lock.json; when it
# matches, nothing is fetched. puppeteer-core downloads no browser: the tests use Debian's.
stamp=web/node_modules/.femur-lock
if cmp -s web/package-lock.json "$stamp" 2>/dev/null; then
  echo "install-deps: web/node_modules matches web/package-lock.json"
else
  echo "install-deps: npm ci in web/"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json "$stamp"
fi
