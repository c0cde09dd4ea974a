"""Python call overhead benchmark (issue 19): a single-frame inverse dynamics (RNEA) on
gait2392 through Model.rnea against the same computation timed inside C++ (_rnea_seconds).
Issue 19 asks for at most 5 us over the C++ call. The fastest of several repetitions is
reported (the least disturbed run on a shared machine); exits 1 when the goal is missed.

    PYTHONPATH=build/python /usr/bin/python3 python/bench/bench_overhead.py
"""
import os
import pathlib
import sys
import timeit

import numpy as np

import femur
from femur import _femur

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main():
    data = pathlib.Path(os.environ.get("FEMUR_OPENSIM_DATA", ROOT / ".." / "shared" / "opensim"))
    model = data / "Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim"
    if not model.is_file():
        print(f"skipped: {model} not found (set FEMUR_OPENSIM_DATA)")
        return 0
    m = femur.Model(model)
    rng = np.random.default_rng(0)
    q = m.default_q() + 0.1 * rng.standard_normal(m.nq)
    v, a = rng.standard_normal(m.nv), rng.standard_normal(m.nv)
    m.rnea(q, v, a)  # warm
    n = 5000
    cpp = min(_femur._rnea_seconds(m, q, v, a, n) for _ in range(7))
    timer = timeit.Timer("m.rnea(q, v, a)", globals={"m": m, "q": q, "v": v, "a": a})
    py = min(timer.timeit(n) / n for _ in range(7))
    print(f"single-frame ID on gait2392: C++ {cpp * 1e6:.2f} us, Python call {py * 1e6:.2f} us, "
          f"overhead {(py - cpp) * 1e6:.2f} us (goal <= 5 us)")
    return 0 if py - cpp <= 5e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
