"""Batch benchmark (issue 19): N trials generated from the shared Gait2354 walk (inverse
dynamics with the coordinates perturbed, a few short IK trials) with 25 corrupted in the ways
of python/tests/trials.py, run by `femur batch` with 1 and then 2 worker threads. Prints the
wall times, the speedup, and checks that every good trial's output equals a single
`femur run` of it (a sample) and that the bad ones are listed.

    PYTHONPATH=build/python /usr/bin/python3 python/bench/bench_batch.py --trials 500
"""
import argparse
import csv
import os
import pathlib
import random
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python" / "tests"))
from trials import CORRUPTIONS, make_id_trial, make_ik_trial  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=500)
    ap.add_argument("--bad", type=int, default=25)
    ap.add_argument("--cli", default=os.environ.get("FEMUR_CLI", str(ROOT / "build" / "femur")))
    ap.add_argument("--opensim", default=os.environ.get("FEMUR_OPENSIM_DATA", str(ROOT / ".." / "shared" / "opensim")))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        study = pathlib.Path(tmp) / "study"
        kinds = {}
        for i in range(a.trials - a.bad):
            if i % 50 == 49:
                s = make_ik_trial(study / f"ik{i:04d}", a.opensim)
            else:
                s = make_id_trial(study / f"trial{i:04d}", a.opensim, seed=i)
            kinds[s.relative_to(study).as_posix()] = "ok"
        for j in range(a.bad):
            c = CORRUPTIONS[j % len(CORRUPTIONS)]
            folder = study / f"bad{j:03d}_{c}"
            s = make_ik_trial(folder, a.opensim, "NoSuchMarker") if c == "unknown_marker" else \
                make_id_trial(folder, a.opensim, seed=10000 + j, corruption=c)
            kinds[s.relative_to(study).as_posix()] = c
        times = {}
        for threads in (1, 2):
            t0 = time.perf_counter()
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = subprocess.run([a.cli, "batch", str(study), "--threads", str(threads), "--no-resume", "--quiet"])
            times[threads] = time.perf_counter() - t0
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
            assert r.returncode == 1
            # CPU time equal at 1 and 2 threads = no contention between trials; the wall-time
            # speedup is then bounded only by the cores actually free (load average).
            print(f"{threads} thread(s): {times[threads]:.2f} s wall, {cpu:.2f} s CPU for {len(kinds)} trials "
                  f"(load average {os.getloadavg()[0]:.1f})", flush=True)
        with open(study / "batch_summary.csv", newline="") as f:
            rows = {r["setup"]: r for r in csv.DictReader(f)}
        assert set(rows) == set(kinds)
        bad = [k for k, v in kinds.items() if v != "ok"]
        assert all(rows[k]["status"] == "failed" and rows[k]["error"] for k in bad)
        assert all(rows[k]["status"] == "ok" for k, v in kinds.items() if v == "ok")
        for k in random.Random(0).sample([k for k, v in kinds.items() if v == "ok" and "trial" in k], 10):
            single = pathlib.Path(tmp) / "single"
            subprocess.run([a.cli, "run", str(study / k), "--out-dir", str(single), "--quiet"], check=True)
            assert (single / "id.sto").read_bytes() == (study / pathlib.Path(k).parent / "results/id.sto").read_bytes()
        print(f"speedup 2 vs 1 thread: {times[1] / times[2]:.2f}x; {len(bad)} bad trials listed with their error; "
              f"10 sampled good trials equal single runs")


if __name__ == "__main__":
    main()
