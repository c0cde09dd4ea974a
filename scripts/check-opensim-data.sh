#!/usr/bin/env bash
# Checks the OpenSim reference data the tests read against tests/data/opensim-data.sha256
# (every file of ../shared/opensim when the list was made: `scripts/check-opensim-data.sh
# --update` rewrites it). The folder is $FEMUR_OPENSIM_DATA, else ../shared/opensim beside
# the project. Missing folder: skipped (exit 77), or a failure when FEMUR_REQUIRE_DATA=1.
# Altered or missing files: a failure naming them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
list="$root/tests/data/opensim-data.sha256"
data="${FEMUR_OPENSIM_DATA:-$root/../shared/opensim}"

if [ ! -d "$data" ]; then
  if [ "${FEMUR_REQUIRE_DATA:-}" = "1" ]; then
    echo "check-opensim-data: $data not found and FEMUR_REQUIRE_DATA=1" >&2
    exit 1
  fi
  echo "check-opensim-data: $data not found, skipped (set FEMUR_OPENSIM_DATA)"
  exit 77
fi

cd "$data"
if [ "${1:-}" = "--update" ]; then
  find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum > "$list.tmp"
  mv "$list.tmp" "$list"
  echo "check-opensim-data: $(wc -l < "$list") files listed in $list"
  exit 0
fi
if ! sha256sum --quiet --strict -c "$list" 2>&1; then
  echo "check-opensim-data: $data differs from $list (files above); if the data was updated on" \
       "purpose, run scripts/check-opensim-data.sh --update and review the tests" >&2
  exit 1
fi
echo "check-opensim-data: $(wc -l < "$list") reference files match"
