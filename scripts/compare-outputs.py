#!/usr/bin/env python3
"""Compares two folders of femur outputs number by number (a refactoring's before and after).

    FEMUR_KEEP_OUTPUTS=/tmp/before ctest -R ShippedSetups     # on the old build
    FEMUR_KEEP_OUTPUTS=/tmp/after  ctest -R ShippedSetups     # on the new build
    scripts/compare-outputs.py /tmp/before /tmp/after [--rtol 1e-12]

Every file present in either folder is compared: text tokens must be equal, except numbers,
which must agree to rtol relative to the larger magnitude (absolute below 1e-300 and for
values within rtol of zero relative to the column's largest value). Lines that carry a time
or a date of the run are skipped. Exit 0 when everything agrees, 1 with a list otherwise.
Standard library only (Debian's /usr/bin/python3 or any python3).
"""
import argparse
import math
import os
import re
import sys

NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(nan|inf|NaN|Inf)$")
VOLATILE = re.compile(r"(compute time|seconds|date|time_stamp|Created|created|Wall|wall)", re.I)
SPLIT = re.compile(r"([\s,<>=\"]+)")


def tokens(line):
    return [t for t in SPLIT.split(line) if t and not t.isspace()]


def compare_file(a_path, b_path, rtol, problems, rel):
    with open(a_path, errors="replace") as f:
        a_lines = f.read().splitlines()
    with open(b_path, errors="replace") as f:
        b_lines = f.read().splitlines()
    if len(a_lines) != len(b_lines):
        problems.append(f"{rel}: {len(a_lines)} lines before, {len(b_lines)} after")
        return 0.0
    worst = 0.0
    # Scale for near-zero entries: the largest magnitude in the file.
    scale = 0.0
    for line in a_lines:
        for t in tokens(line):
            if NUMBER.match(t):
                v = float(t)
                if math.isfinite(v):
                    scale = max(scale, abs(v))
    reported = 0
    for i, (la, lb) in enumerate(zip(a_lines, b_lines), start=1):
        if la == lb:
            continue
        if VOLATILE.search(la) and VOLATILE.search(lb):
            continue
        ta, tb = tokens(la), tokens(lb)
        if len(ta) != len(tb):
            problems.append(f"{rel}:{i}: different tokens\n  - {la[:160]}\n  + {lb[:160]}")
            reported += 1
        else:
            for x, y in zip(ta, tb):
                if x == y:
                    continue
                if NUMBER.match(x) and NUMBER.match(y):
                    u, v = float(x), float(y)
                    if u == v or (math.isnan(u) and math.isnan(v)):
                        continue
                    # Relative to the larger value, or to the file's largest magnitude for
                    # entries near zero (roundoff of a sum of large terms).
                    denom = max(abs(u), abs(v), scale, 1e-300) if abs(u - v) <= rtol * scale \
                        else max(abs(u), abs(v), 1e-300)
                    err = abs(u - v) / denom
                    worst = max(worst, err)
                    if err > rtol:
                        problems.append(f"{rel}:{i}: {x} vs {y} (relative {err:.2e})")
                        reported += 1
                else:
                    problems.append(f"{rel}:{i}: '{x}' vs '{y}'")
                    reported += 1
                if reported > 20:
                    break
        if reported > 20:
            problems.append(f"{rel}: more differences not shown")
            break
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--rtol", type=float, default=1e-12)
    args = ap.parse_args()
    files = set()
    for root in (args.before, args.after):
        for d, _, names in os.walk(root):
            for n in names:
                files.add(os.path.relpath(os.path.join(d, n), root))
    problems, worst, compared = [], 0.0, 0
    for rel in sorted(files):
        a, b = os.path.join(args.before, rel), os.path.join(args.after, rel)
        if not os.path.exists(a) or not os.path.exists(b):
            problems.append(f"{rel}: only {'after' if not os.path.exists(a) else 'before'}")
            continue
        worst = max(worst, compare_file(a, b, args.rtol, problems, rel))
        compared += 1
    for p in problems:
        print(p)
    print(f"{compared} files compared, largest relative difference {worst:.2e}, "
          f"{len(problems)} problem(s) at rtol {args.rtol:g}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
