#!/usr/bin/env bash
# Runs each libFuzzer target in BUILD for SECONDS, seeded with the matching files of the
# OpenSim data folder (FEMUR_OPENSIM_DATA or ../shared/opensim). Exits non-zero on a finding.
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-30}
# Inputs are cut to MAX_LEN bytes: whole shipped .sto/.osim files (up to megabytes) made sto_fuzz
# run under one execution per second; 64 KiB keeps every header and thousands of rows.
max_len=${MAX_LEN:-65536}
only=${FUZZ_ONLY:-}
data=${FEMUR_OPENSIM_DATA:-../shared/opensim}
status=0
for target in c3d:c3d sto:"sto mot" trc:trc osim:osim vtp:vtp setup:xml; do
  name=${target%%:*}
  exts=${target#*:}
  # Setup-like XML files are small (the largest shipped one is 61 KB, most under 16 KB), and
  # each input is written to a file before it is read: 16 KiB keeps setup_fuzz near 2000 runs/s.
  len=$max_len
  if [ "$name" = setup ] && [ -z "${MAX_LEN:-}" ]; then len=16384; fi
  if [ -n "$only" ] && [[ " $only " != *" $name "* ]]; then continue; fi
  seeds="$build/seeds/$name"
  corpus="$build/corpus/$name"
  findings="$build/findings/$name"
  mkdir -p "$seeds" "$corpus" "$findings"
  if [ -d "$data" ]; then
    for ext in $exts; do
      find "$data" -name "*.$ext" -size -20M -exec cp -n {} "$seeds/" \; 2>/dev/null || true
    done
  fi
  # Our own inputs, malformed and (for .vtp) every data mode VTK writes, are seeds too.
  for ext in $exts; do cp -n tests/data/bad/*."$ext" tests/data/vtp/*."$ext" "$seeds/" 2>/dev/null || true; done
  echo "== ${name}_fuzz: $(ls "$seeds" | wc -l) seeds, ${seconds} s"
  if ! "$build/${name}_fuzz" -max_total_time="$seconds" -rss_limit_mb=1024 -max_len="$len" \
      -artifact_prefix="$findings/" -print_final_stats=1 "$corpus" "$seeds" 2> "$build/${name}_fuzz.log"; then
    echo "   finding: see $build/${name}_fuzz.log and $findings/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/${name}_fuzz.log" | sed 's/^/   /' || true
done
exit $status
