"""femur batch (CLI) and femur.batch: every trial run as `femur run` runs it, broken trials
reported with their error without stopping the others, results equal to single runs, a
resumable summary, and no partial file after a kill -9."""
import csv
import json
import os
import pathlib
import signal
import subprocess
import time

import pytest

import femur
from trials import make_id_trial, make_study


def summary(root):
    with open(pathlib.Path(root) / "batch_summary.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0].keys()) == ["setup", "status", "seconds", "error"]
    return {r["setup"]: r for r in rows}


def leftovers(root):
    return [p for p in pathlib.Path(root).rglob("*") if "femur-tmp" in p.name]


EXPECTED_ERRORS = {
    # corruption: what the error must say (the file and line of the fault where there is one)
    "truncated": "bad_truncated/coords.mot:",
    "nan_row": "bad_nan_row/coords.mot:",
    "missing_column": "bad_missing_column/coords.mot:",
    "bad_xml": "bad_bad_xml/setup_id.xml:",
    "missing_model": "no_such_model.osim",
    "unknown_marker": "NoSuchMarker",
}


def test_batch_reports_broken_trials_and_equals_single_runs(opensim, cli, tmp_path):
    study = tmp_path / "study"
    kinds = make_study(study, opensim, good=8)
    (study / "trial000" / "notes.xml").write_text("<notes>not a setup</notes>")  # ignored
    out = subprocess.run([cli, "batch", str(study), "--threads", "2"], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    assert "6 of 15 trials failed" in out.stderr
    s = summary(study)
    assert set(s) == set(kinds)
    for trial, kind in kinds.items():
        if kind == "ok":
            assert s[trial]["status"] == "ok" and s[trial]["error"] == "", (trial, s[trial])
        else:
            assert s[trial]["status"] == "failed", trial
            assert EXPECTED_ERRORS[kind] in s[trial]["error"], (kind, s[trial]["error"])
    for kind in ("truncated", "nan_row", "missing_column"):
        print(kind, "->", s[f"bad_{kind}/setup_id.xml"]["error"])
    # Failed trials leave nothing; good ones equal a single `femur run` byte for byte.
    assert not (study / "bad_nan_row" / "results").exists()
    for trial in ("trial000", "trial005"):
        single = tmp_path / f"single_{trial}"
        subprocess.run([cli, "run", str(study / trial / "setup_id.xml"), "--out-dir", str(single), "--quiet"],
                       check=True)
        assert (single / "id.sto").read_bytes() == (study / trial / "results" / "id.sto").read_bytes()
    # A rerun skips what is complete and retries only the failures.
    out = subprocess.run([cli, "batch", str(study), "--threads", "2", "--json"], capture_output=True, text=True)
    assert out.returncode == 1
    j = json.loads(out.stdout)
    assert out.stdout.count("\n") == 1 and j["command"] == "batch"  # docs/cli.md: one JSON line
    assert j["outputs"] == [str(study / "batch_summary.csv")]
    assert (j["ok"], j["failed"], j["skipped"]) == (0, 6, 9)
    assert {t["setup"]: t["status"] for t in j["trials"]} == {k: "failed" if v != "ok" else "skipped"
                                                               for k, v in kinds.items()}
    assert leftovers(study) == []
    # The Python entry point gives the same result; resume=False redoes every trial.
    r = femur.batch(study, threads=2, resume=False)
    assert (r["ok"], r["failed"], r["skipped"]) == (9, 6, 0)
    assert {t["setup"]: t["status"] for t in r["trials"]} == {k: s[k]["status"] for k in s}


def test_kill_then_rerun_completes_without_redoing_finished_trials(opensim, cli, tmp_path):
    study = tmp_path / "study"
    kinds = make_study(study, opensim, good=24, corruptions=[], ik=0)
    records = study / ".femur-batch"
    p = subprocess.Popen([cli, "batch", str(study), "--threads", "1", "--quiet"])
    deadline = time.time() + 60
    while time.time() < deadline and p.poll() is None:
        if records.is_dir() and len(list(records.glob("*.done"))) >= 5:
            break
        time.sleep(0.005)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    done_before = {f.name for f in records.glob("*.done")}
    assert 5 <= len(done_before) < len(kinds), f"{len(done_before)} trials finished before the kill"
    assert not (study / "batch_summary.csv").exists()
    out = subprocess.run([cli, "batch", str(study), "--threads", "2", "--json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    j = json.loads(out.stdout)
    assert j["failed"] == 0 and j["skipped"] == len(done_before) and j["ok"] == len(kinds) - len(done_before)
    assert leftovers(study) == []
    for trial in kinds:
        t = femur.read_sto(study / pathlib.Path(trial).parent / "results" / "id.sto")
        assert len(t) > 50


def test_manifest_csv_and_json(opensim, cli, tmp_path):
    setup = make_id_trial(tmp_path / "base", opensim, seed=3)
    (tmp_path / "trials.csv").write_text(f"id,setup,out_dir\na,{setup},out/a\n\"b, quoted\",base/setup_id.xml,out/b\n")
    out = subprocess.run([cli, "batch", str(tmp_path / "trials.csv"), "--quiet"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out/a/id.sto").read_bytes() == (tmp_path / "out/b/id.sto").read_bytes()
    assert set(summary(tmp_path)) == {"a", "b, quoted"}
    (tmp_path / "trials.json").write_text(json.dumps({"trials": [{"setup": "base/setup_id.xml", "out_dir": "out/c"}]}))
    r = femur.batch(tmp_path / "trials.json", summary=tmp_path / "s.csv")
    assert r["ok"] == 1 and (tmp_path / "out/c/id.sto").exists()
    (tmp_path / "bad.csv").write_text("name,out_dir\nx,y\n")
    out = subprocess.run([cli, "batch", str(tmp_path / "bad.csv")], capture_output=True, text=True)
    assert out.returncode == 1
    assert f"{tmp_path / 'bad.csv'}:1: the header names no 'setup' column" in out.stderr
    with pytest.raises(femur.ParseError, match="bad.csv:1:"):
        femur.batch(tmp_path / "bad.csv")
