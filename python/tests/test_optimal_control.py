"""femur.inverse, femur.track and femur.predict against `femur inverse`, `femur track` and
`femur predict` given the same options, on the shared Moco data (read in place), and one bad
input each. Solves are kept short: MocoInverse on 0.45-0.55 s (converged, 0.2 s); tracking and
prediction on 4 mesh intervals, stopped after a few iterations (the last iterate of the same
deterministic solve must be the same), since a converged example2DWalking solve takes a minute."""
import pathlib
import subprocess

import numpy as np
import pytest

import femur

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Moco's example2DWalking bounds (degrees, metres for pelvis_tx/ty), as tests/ocp/track_cli_test.cpp.
BOUNDS = {"pelvis_tilt": (-20, -10), "pelvis_tx": (0, 1), "pelvis_ty": (0.75, 1.25), "hip_flexion_r": (-10, 60),
          "hip_flexion_l": (-10, 60), "knee_angle_r": (-50, 0), "knee_angle_l": (-50, 0), "ankle_angle_r": (-15, 25),
          "ankle_angle_l": (-15, 25), "lumbar": (0, 20)}


def same_trajectory(mine, written):
    # The commands write 16 significant digits.
    assert mine.labels == written.labels
    assert mine.shape == written.shape
    np.testing.assert_allclose(mine.time, written.time, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(mine.data, written.data, rtol=1e-14, atol=1e-14)


@pytest.fixture(scope="module")
def moco_inverse(opensim):
    d = opensim / "Moco/MocoInverse"
    return d, femur.Model(d / "subject_walk_armless_18musc.osim")


@pytest.fixture(scope="module")
def walking(opensim):
    d = opensim / "Moco/example2DWalking"
    return d, femur.Model(d / "2D_gait.osim")


# ---- inverse -------------------------------------------------------------------------------

def test_inverse_equals_femur_inverse(moco_inverse, cli, tmp_path):
    d, m = moco_inverse
    args = dict(external_loads=d / "subject_walk_armless_external_loads.xml", lowpass=6, t0=0.45, t1=0.55,
                weld=["subtalar_r", "subtalar_l", "mtp_r", "mtp_l"], ignore_passive_fiber=True)
    r = femur.inverse(m, d / "subject_walk_armless_coordinates.mot", **args)
    assert r["success"] and r["status"] == "solved" and r["nodes"] == 9
    assert r["worst_violation"] < 1e-4
    t = r["trajectory"]
    assert "/forceset/soleus_r/normalized_tendon_force" in t and t.time[0] == 0.45 and t.time[-1] == 0.55
    subprocess.run([cli, "inverse", "--quiet", "--model", d / "subject_walk_armless_18musc.osim", "--coordinates",
                    d / "subject_walk_armless_coordinates.mot", "--external-loads",
                    d / "subject_walk_armless_external_loads.xml", "--lowpass", "6", "--t0", "0.45", "--t1", "0.55",
                    "--weld", "subtalar_r,subtalar_l,mtp_r,mtp_l", "--ignore-passive-fiber", "-o", tmp_path / "sol.sto"],
                   check=True)
    same_trajectory(t, femur.read_sto(tmp_path / "sol.sto"))
    # A Table works as the coordinates too (and as a guess: the solution starts there).
    q = femur.read_sto(d / "subject_walk_armless_coordinates.mot")
    again = femur.inverse(m, q, guess=t, **args)
    assert again["success"] and again["iterations"] <= r["iterations"]
    np.testing.assert_allclose(again["objective"], r["objective"], rtol=1e-3)


def test_inverse_bad_coordinates_name_file_and_line(moco_inverse, tmp_path):
    d, m = moco_inverse
    lines = (d / "subject_walk_armless_coordinates.mot").read_text().splitlines()
    row = next(i for i, text in enumerate(lines) if text.strip() == "endheader") + 3  # labels, then 2nd row
    fields = lines[row].split("\t")
    fields[3] = "0.1x"
    lines[row] = "\t".join(fields)
    bad = tmp_path / "coordinates.mot"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(femur.ParseError) as e:
        femur.inverse(m, bad, t0=0.45, t1=0.55)
    assert e.value.line == row + 1 and f"coordinates.mot:{row + 1}:" in str(e.value), str(e.value)
    with pytest.raises(ValueError, match="tendon must be 'implicit' or 'rigid'"):
        femur.inverse(m, d / "subject_walk_armless_coordinates.mot", tendon="stiff")


# ---- track ---------------------------------------------------------------------------------

def track_command(cli, d, out, grf_out, extra):
    bounds = [f"--bound={k}={lo},{hi}" for k, (lo, hi) in BOUNDS.items()]
    return subprocess.run([cli, "track", "--quiet", "--model", d / "2D_gait.osim", "--states-reference",
                           d / "referenceCoordinates.sto", "--lowpass", "6", "--track-speeds", "--external-loads",
                           d / "referenceGRF.xml", "--grf-normalize", "--symmetry", *bounds, "--mesh-intervals", "4",
                           "-o", out, "--grf-out", grf_out, *extra], capture_output=True, text=True)


def track_4(m, d, **extra):
    args = dict(lowpass=6, track_speeds=True, external_loads=d / "referenceGRF.xml", grf_normalize=True,
                symmetry=True, bounds=BOUNDS, mesh_intervals=4)
    return femur.track(m, d / "referenceCoordinates.sto", **{**args, **extra})


def test_track_equals_femur_track(walking, cli, tmp_path):
    d, m = walking
    with pytest.raises(RuntimeError, match=r"track: maximum number of iterations exceeded after 5 iterations; "
                                           r"largest constraint violation"):
        track_4(m, d, max_iterations=5)
    r = track_4(m, d, max_iterations=5, return_failed=True)
    assert not r["success"] and r["iterations"] == 5 and r["nodes"] == 5
    assert r["trajectory"].shape[0] == 5 and len(r["grf_rms_y"]) == 2 and r["joint_angle_rms_deg"] > 0
    c = track_command(cli, d, tmp_path / "sol.sto", tmp_path / "grf.sto", ["--max-iterations", "5", "--write-failed"])
    assert c.returncode == 1 and "the last iterate was written" in c.stderr, c.stderr
    same_trajectory(r["trajectory"], femur.read_sto(tmp_path / "sol.sto"))
    same_trajectory(r["grf"], femur.read_sto(tmp_path / "grf.sto"))


def test_track_bad_guess_names_file_and_line(walking, tmp_path):
    d, m = walking
    bad = tmp_path / "guess.sto"
    bad.write_text("guess\nversion=1\nendheader\ntime\t/jointset/groundPelvis/pelvis_tilt/value\n"
                   "0\t-0.2\n0.2\tnan\n0.4\t-0.2\n")
    with pytest.raises(femur.ParseError) as e:
        track_4(m, d, guess=bad)
    assert e.value.line == 6 and "guess.sto:6:" in str(e.value), str(e.value)
    with pytest.raises(ValueError, match="bounds: the model has no coordinate 'knee_angle_x'"):
        track_4(m, d, bounds={"knee_angle_x": (0, 1)})


# ---- predict -------------------------------------------------------------------------------

def test_predict_equals_femur_predict(walking, cli, tmp_path):
    d, m = walking
    guess = track_4(m, d, max_iterations=20, return_failed=True)["trajectory"]
    guess.write(tmp_path / "guess.sto")
    problem = tmp_path / "p.problem"
    problem.write_text((ROOT / "tests/data/ocp/gait_prediction.problem").read_text()
                       .replace("mesh_intervals 50", "mesh_intervals 4"))
    r = femur.predict(problem, m, tmp_path / "guess.sto", external_loads=d / "referenceGRF.xml",
                      states_reference=d / "referenceCoordinates.sto", max_iterations=5, return_failed=True)
    assert not r["success"] and r["iterations"] == 5 and r["nodes"] == 5
    assert {"stride_length", "speed", "walks", "joint_angle_rms_deg"} <= set(r)
    c = subprocess.run([cli, "predict", problem, "--quiet", "--model", d / "2D_gait.osim", "--guess",
                        tmp_path / "guess.sto", "--external-loads", d / "referenceGRF.xml", "--max-iterations", "5",
                        "--write-failed", "-o", tmp_path / "sol.sto", "--grf-out", tmp_path / "grf.sto"],
                       capture_output=True, text=True)
    assert c.returncode == 1 and "the last iterate was written" in c.stderr, c.stderr
    same_trajectory(r["trajectory"], femur.read_sto(tmp_path / "sol.sto"))
    same_trajectory(r["grf"], femur.read_sto(tmp_path / "grf.sto"))
    # A Table works as the guess: the same solve as from its file.
    again = femur.predict(problem, m, femur.read_sto(tmp_path / "guess.sto"), max_iterations=5, return_failed=True)
    np.testing.assert_array_equal(again["trajectory"].data, r["trajectory"].data)


def test_predict_bad_problem_names_file_and_line(walking, tmp_path):
    d, m = walking
    problem = tmp_path / "p.problem"
    problem.write_text("time 0 0.4 0.6\nmesh_intervals 4\nbound knee_angle_x -50 0\n")
    with pytest.raises(RuntimeError, match=r"p\.problem:3: bound: the model has no coordinate 'knee_angle_x'"):
        femur.predict(problem, m, d / "referenceCoordinates.sto")
    # An infeasible problem: the error names IPOPT's status and the violated constraint.
    with pytest.raises(RuntimeError, match=r"predict: converged to a point of local infeasibility .*average speed"):
        femur.predict(ROOT / "tests/data/bad/gait_problem_infeasible.problem", m, d / "referenceCoordinates.sto")
