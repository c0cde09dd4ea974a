"""femur.dask.run on a LocalCluster of two worker processes bound to 127.0.0.1: the same
trials as the local batch, the same statuses, errors and outputs."""
import pathlib
import subprocess

import pytest

import femur
from trials import make_id_trial


def test_dask_local_cluster_gives_the_local_batch_results(opensim, cli, tmp_path):
    distributed = pytest.importorskip("distributed", reason="python3-distributed is not installed")
    import femur.dask

    good = make_id_trial(tmp_path / "t1", opensim, seed=1)
    make_id_trial(tmp_path / "t2", opensim, seed=2)
    make_id_trial(tmp_path / "bad", opensim, seed=3, corruption="nan_row")
    lines = ["id,setup,out_dir"]
    for name in ("t1", "t2", "bad"):
        lines.append(f"{name},{name}/setup_id.xml,local/{name}")
    (tmp_path / "local.csv").write_text("\n".join(lines) + "\n")
    (tmp_path / "remote.csv").write_text("\n".join(lines).replace("local/", "remote/") + "\n")
    (tmp_path / "cli.csv").write_text("\n".join(lines).replace("local/", "cli/") + "\n")
    local = femur.batch(tmp_path / "local.csv", threads=2)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = femur.dask.run(tmp_path / "remote.csv", client, summary=tmp_path / "remote_summary.csv")
        # `femur batch --dask ADDRESS` runs the same through femur.dask.
        out = subprocess.run([cli, "batch", str(tmp_path / "cli.csv"), "--dask", cluster.scheduler_address,
                              "--summary", str(tmp_path / "cli_summary.csv")], capture_output=True, text=True)
    assert (remote["ok"], remote["failed"]) == (local["ok"], local["failed"]) == (2, 1)
    for a, b in zip(local["trials"], remote["trials"]):
        assert (a["setup"], a["status"], a["error"]) == (b["setup"], b["status"], b["error"])
    assert out.returncode == 1 and "batch: 3 trials, 2 ok, 1 failed" in out.stdout, out.stderr
    assert "did not complete every trial" in out.stderr and "bad failed:" in out.stderr
    for name in ("t1", "t2"):
        local_output = (tmp_path / f"local/{name}/id.sto").read_bytes()
        assert (tmp_path / f"remote/{name}/id.sto").read_bytes() == local_output
        assert (tmp_path / f"cli/{name}/id.sto").read_bytes() == local_output
    header = (tmp_path / "remote_summary.csv").read_text().splitlines()[0]
    assert header == "setup,status,seconds,error"
    assert good.exists()
