"""The cost of calling femur from Python: a single-frame inverse dynamics (RNEA) on gait2392
through Model.rnea against the same computation timed inside C++. Issue 19 asks for at most
5 us over the C++ call. The fastest of several repetitions is compared (the machine is
shared; the minimum is the least disturbed run)."""
import timeit

import numpy as np


def test_python_call_overhead_of_single_frame_id_is_at_most_5_us(gait2392):
    from femur import _femur

    m = gait2392
    rng = np.random.default_rng(0)
    q = m.default_q() + 0.1 * rng.standard_normal(m.nq)
    v, a = rng.standard_normal(m.nv), rng.standard_normal(m.nv)
    np.testing.assert_allclose(m.rnea(q, v, a), m.rnea(q, v, a))  # warm
    n = 5000
    cpp = min(_femur._rnea_seconds(m, q, v, a, n) for _ in range(7))
    timer = timeit.Timer("m.rnea(q, v, a)", globals={"m": m, "q": q, "v": v, "a": a})
    py = min(timer.timeit(n) / n for _ in range(7))
    print(f"\nsingle-frame ID on gait2392: C++ {cpp * 1e6:.2f} us, Python call {py * 1e6:.2f} us, "
          f"overhead {(py - cpp) * 1e6:.2f} us")
    assert py - cpp <= 5e-6
