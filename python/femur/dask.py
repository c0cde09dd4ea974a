"""The trials of a femur batch spread over a dask.distributed cluster.

femur.dask.run(manifest, client) runs the same trials as femur.batch(manifest) (a folder of
setups or a .csv/.json manifest), one dask task per trial, on the cluster's workers (each
imports femur); results and errors come back as femur.batch returns them and the same
summary CSV (setup,status,seconds,error) is written beside the manifest. A trial's failure
is reported, never raised. Unlike the local batch, every trial runs (no resume).

Example:
    >>> from dask.distributed import Client, LocalCluster
    >>> with LocalCluster(n_workers=2, host="127.0.0.1") as cluster, Client(cluster) as client:
    ...     r = femur.dask.run("study/trials.csv", client)
"""
import csv
import io
import os
import time

from . import _femur


def _run_one(setup, out_dir, trial_id):
    # Runs on a worker: a trial's failure becomes its result, as in the local batch.
    from femur import _femur as worker_femur

    start = time.perf_counter()
    try:
        r = worker_femur.run_trial(setup, out_dir or None)
        r["setup"] = trial_id
        r["seconds"] = time.perf_counter() - start
        return r
    except Exception as e:  # noqa: BLE001 - every failure is reported per trial
        return {"setup": trial_id, "status": "failed", "seconds": time.perf_counter() - start,
                "error": str(e).replace("\n", " "), "files_written": []}


def summary_csv(trials):
    """The batch summary as CSV text: setup,status,seconds,error (as `femur batch` writes it)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["setup", "status", "seconds", "error"])
    for t in trials:
        w.writerow([t["setup"], t["status"], f"{t['seconds']:.3f}", t["error"].replace("\n", " ")])
    return out.getvalue()


def run(manifest, client, summary=None):
    """Runs every trial of a folder or manifest on the cluster behind `client`; returns
    {trials, seconds, ok, failed, skipped, summary} like femur.batch."""
    start = time.perf_counter()
    root, trials = _femur.batch_trials(os.fspath(manifest))
    futures = [client.submit(_run_one, t["setup"], t["out_dir"], t["id"], pure=False) for t in trials]
    results = client.gather(futures)
    summary = os.fspath(summary) if summary else os.path.join(root, "batch_summary.csv")
    tmp = f"{summary}.femur-tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(summary_csv(results))
    os.replace(tmp, summary)
    count = lambda s: sum(1 for t in results if t["status"] == s)  # noqa: E731
    return {"trials": results, "seconds": time.perf_counter() - start, "ok": count("ok"),
            "failed": count("failed"), "skipped": 0, "summary": summary}


def main(argv=None):
    """`python3 -m femur.dask SCHEDULER PATH [--summary FILE]`: what `femur batch --dask
    SCHEDULER PATH` runs. Exit code 1 when any trial failed."""
    import argparse
    import sys

    from distributed import Client

    ap = argparse.ArgumentParser(prog="femur batch --dask")
    ap.add_argument("scheduler", help="dask scheduler address, e.g. tcp://127.0.0.1:8786")
    ap.add_argument("path", help="folder of setups, or a .csv/.json manifest")
    ap.add_argument("--summary", default=None)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    with Client(a.scheduler, timeout="30s") as client:
        r = run(a.path, client, a.summary)
    for t in r["trials"]:
        if t["status"] == "failed":
            print(f"femur: {t['setup']} failed: {t['error']}", file=sys.stderr)
    if not a.quiet:
        print(f"wrote {r['summary']}\nbatch: {len(r['trials'])} trials, {r['ok']} ok, {r['failed']} failed "
              f"on {a.scheduler} in {r['seconds']:.2f} s")
    return 1 if r["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
