"""femur.scale, femur.forward (flags), femur.cmc and femur.rra against the same tool run by the
C++ command line or setup file on the shared OpenSim data (read in place; the setups run in a
scratch folder of symbolic links), and one bad input each (the message names file:line)."""
import os
import pathlib
import subprocess

import numpy as np
import pytest

import femur


def link(dst_dir, files):
    # Symbolic links to the reference files: setups and the CLI run in a scratch folder.
    for src, name in files.items():
        dst = pathlib.Path(dst_dir) / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(src, dst)
    return pathlib.Path(dst_dir)


def assert_tables_equal(mine, ref, rtol, atol):
    assert mine.labels == ref.labels
    assert mine.shape == ref.shape
    np.testing.assert_allclose(mine.time, ref.time, rtol=rtol, atol=atol)
    np.testing.assert_allclose(mine.data, ref.data, rtol=rtol, atol=atol)


# ---- scale ---------------------------------------------------------------------------------

def test_scale_equals_femur_scale_command(opensim, cli, tmp_path):
    p = opensim / "Pipelines/Gait2354_Simbody"
    out = tmp_path / "cli_scaled.osim"
    pose = tmp_path / "cli_pose.mot"
    subprocess.run([cli, "scale", "--quiet", "--model", p / "gait2354_simbody.osim",
                    "--marker-set", p / "gait2354_Scale_MarkerSet.xml", "--markers", p / "subject01_static.trc",
                    "--mass", "72.6", "--scale", "pelvis", "1.1", "1.05", "1.1", "--scale", "femur_r", "1.02", "1.02",
                    "1.02", "--place-markers", "--static-pose", pose, "-o", out], check=True)
    by_cli = femur.Model(out)

    r = femur.scale(p / "gait2354_simbody.osim", marker_set=p / "gait2354_Scale_MarkerSet.xml",
                    markers=p / "subject01_static.trc", mass=72.6,
                    scale={"pelvis": (1.1, 1.05, 1.1), "femur_r": (1.02, 1.02, 1.02)}, place_markers=True)
    m = r["model"]
    np.testing.assert_allclose(r["factors"]["pelvis"], [1.1, 1.05, 1.1], rtol=0, atol=0)
    np.testing.assert_allclose(r["factors"]["tibia_l"], [1, 1, 1], rtol=0, atol=0)
    assert sum(b.mass for b in m.bodies) == pytest.approx(72.6, rel=1e-12)
    assert m.marker_names == by_cli.marker_names and m.body_names == by_cli.body_names
    # The written model holds the same numbers (16 significant digits in the .osim).
    np.testing.assert_allclose([b.mass for b in m.bodies], [b.mass for b in by_cli.bodies], rtol=1e-14)
    q = m.default_q()
    np.testing.assert_allclose(m.marker_positions(q), by_cli.marker_positions(q), rtol=0, atol=1e-12)
    np.testing.assert_allclose(m.path_lengths(q), by_cli.path_lengths(q), rtol=1e-12)
    # The static pose the placer solved, as `--static-pose` wrote it.
    assert r["moved_markers"] and 0 < r["marker_error_rms"] < 0.05
    assert_tables_equal(r["static_pose"], femur.read_sto(pose), rtol=1e-12, atol=1e-12)


def test_scale_of_a_model_object_equals_scale_model(gait2392):
    f = {"pelvis": (1.1, 1.05, 1.1), "femur_l": (0.95, 0.95, 0.95)}
    r = femur.scale(gait2392, scale=f, mass=80.0, name="subject")
    assert r["model"].name == "subject" and r["static_pose"] is None and r["q"] is None
    ref = femur.scale_model(gait2392, f, subject_mass=80.0)
    np.testing.assert_allclose([b.mass for b in r["model"].bodies], [b.mass for b in ref.bodies], rtol=0, atol=0)
    q = gait2392.default_q()
    np.testing.assert_allclose(r["model"].path_lengths(q), ref.path_lengths(q), rtol=0, atol=0)
    with pytest.raises(ValueError, match="marker_set needs the model as a file path"):
        femur.scale(gait2392, marker_set="markers.xml")


def test_scale_bad_marker_set_names_its_line(opensim, tmp_path):
    p = opensim / "Pipelines/Gait2354_Simbody"
    bad = tmp_path / "markers.xml"
    bad.write_text('<?xml version="1.0"?>\n<OpenSimDocument Version="30000">\n<MarkerSet>\n<objects>\n'
                   '<Marker name="RASI"><body>pelvis</body><location>0 0 nope</location></Marker>\n'
                   '</objects>\n</MarkerSet>\n</OpenSimDocument>\n')
    with pytest.raises(femur.ParseError) as e:
        femur.scale(p / "gait2354_simbody.osim", marker_set=bad)
    assert e.value.file.endswith("markers.xml") and e.value.line == 5, str(e.value)
    assert f"markers.xml:5" in str(e.value)
    with pytest.raises(ValueError, match="'thorax' is not a body of model"):
        femur.scale(p / "gait2354_simbody.osim", scale={"thorax": (1, 1, 1)})


def read_scale_set(path):
    # A ScaleSet file (<Scale><scales>sx sy sz</scales><segment>body</segment>) as {body: (3,)}.
    import xml.etree.ElementTree as ET
    return {s.findtext("segment").strip(): np.array(s.findtext("scales").split(), dtype=float)
            for s in ET.parse(path).getroot().iter("Scale")}


def test_scale_with_the_measurement_set_matches_opensim_and_the_setup(opensim, tmp_path):
    p = opensim / "Pipelines/Gait2354_Simbody"
    setup = p / "subject01_Setup_Scale.xml"
    manual = {"femur_r": (1.14724,) * 3, "femur_l": (1.14724,) * 3, "tibia_r": (0.988523,) * 3,
              "tibia_l": (0.988523,) * 3}  # the setup's ScaleSet
    r = femur.scale(p / "gait2354_simbody.osim", marker_set=p / "gait2354_Scale_MarkerSet.xml",
                    markers=p / "subject01_static.trc", mass=72.6, preserve_mass_distribution=True,
                    measurements=setup, scale=manual, time_range=(1, 2), name="subject01")
    assert set(r["measurement_factors"]) == {"torso", "pelvis", "thigh", "shank", "foot"}
    # OpenSim 4.6's scale set of the same setup (tests/tools/scale_test.cpp: 1e-6).
    theirs = read_scale_set(opensim / "Generated/Gait2354_Simbody/Scale/subject01_scaleSet_applied.xml")
    compared = 0
    for body, f in theirs.items():
        if body.endswith("_offset") or body == "ground":
            continue
        np.testing.assert_allclose(r["factors"][body], f, rtol=0, atol=1e-6, err_msg=body)
        compared += 1
    assert compared == 12  # every body but ground
    # OpenSim's scaled model: masses and the marker positions at the default pose.
    scaled_only = femur.Model(opensim / "Generated/Gait2354_Simbody/Scale/subject01_scaledOnly.osim")
    m = r["model"]
    for b in m.bodies[1:]:
        assert b.mass == pytest.approx(scaled_only.bodies[scaled_only.body_index(b.name)].mass, rel=1e-9), b.name
    q = m.default_q()
    mine = dict(zip(m.marker_names, m.marker_positions(q)))
    ref = dict(zip(scaled_only.marker_names, scaled_only.marker_positions(scaled_only.default_q())))
    assert max(np.abs(mine[k] - ref[k]).max() for k in mine) < 1e-9

    # The setup run by femur (femur.run) writes the same model, and the same factors as dicts.
    d = link(tmp_path, {f: f.name for f in p.iterdir() if f.is_file()})
    femur.run(d / "subject01_Setup_Scale.xml", out_dir=d / "out")
    written = femur.Model(d / "out/subject01_scaledOnly.osim")
    np.testing.assert_allclose([b.mass for b in m.bodies], [b.mass for b in written.bodies], rtol=1e-14)
    np.testing.assert_allclose(m.marker_positions(q), written.marker_positions(q), rtol=0, atol=1e-12)
    pelvis = [{"name": "pelvis", "marker_pairs": [("R.ASIS", "L.ASIS")], "bodies": {"pelvis": "XYZ"}}]
    r2 = femur.scale(p / "gait2354_simbody.osim", marker_set=p / "gait2354_Scale_MarkerSet.xml",
                     markers=p / "subject01_static.trc", measurements=pelvis, time_range=(1, 2))
    assert r2["measurement_factors"]["pelvis"] == r["measurement_factors"]["pelvis"]
    np.testing.assert_array_equal(r2["factors"]["pelvis"], r["factors"]["pelvis"])
    np.testing.assert_array_equal(r2["factors"]["femur_r"], [1, 1, 1])
    # scaling_order: a later step overwrites an earlier one (ModelScaler::processModel).
    both = dict(markers=p / "subject01_static.trc", measurements=pelvis, scale={"pelvis": (2, 2, 2)})
    last_manual = femur.scale(p / "gait2354_simbody.osim", marker_set=p / "gait2354_Scale_MarkerSet.xml", **both)
    last_measured = femur.scale(p / "gait2354_simbody.osim", marker_set=p / "gait2354_Scale_MarkerSet.xml",
                                scaling_order=["manualScale", "measurements"], **both)
    np.testing.assert_array_equal(last_manual["factors"]["pelvis"], [2, 2, 2])
    assert last_measured["factors"]["pelvis"][0] == pytest.approx(r["factors"]["pelvis"][0], rel=1e-3)


def test_scale_measurement_errors_name_the_marker_and_the_line(opensim, tmp_path):
    p = opensim / "Pipelines/Gait2354_Simbody"
    text = (p / "subject01_Setup_Scale.xml").read_text()
    bad = tmp_path / "setup.xml"
    bad.write_text(text.replace("<markers> R.ASIS L.ASIS </markers>", "<markers> R.ASIS L.ASSI </markers>", 1))
    lines = bad.read_text().splitlines()
    at = next(i for i, s in enumerate(lines) if "L.ASSI" in s)
    line = max(i for i in range(at) if "<MarkerPair " in lines[i]) + 1  # the MarkerPair element's
    with pytest.raises(femur.ParseError) as e:
        femur.scale(p / "gait2354_simbody.osim", marker_set=p / "gait2354_Scale_MarkerSet.xml",
                    markers=p / "subject01_static.trc", measurements=bad)
    assert e.value.file.endswith("setup.xml") and e.value.line == line, str(e.value)
    assert "MarkerPair names marker 'L.ASSI'" in str(e.value)
    with pytest.raises(femur.ParseError, match="femur.scale: Measurement 'pelvis': MarkerPair names marker 'NOPE', "
                       "which model 3DGaitModel2354 does not have"):
        femur.scale(p / "gait2354_simbody.osim", marker_set=p / "gait2354_Scale_MarkerSet.xml",
                    markers=p / "subject01_static.trc",
                    measurements=[{"name": "pelvis", "marker_pairs": [("R.ASIS", "NOPE")], "bodies": {"pelvis": "X"}}])
    with pytest.raises(ValueError, match="measurements need markers"):
        femur.scale(p / "gait2354_simbody.osim", measurements=[])
    with pytest.raises(ValueError, match="axes of 'pelvis' must be letters of XYZ"):
        femur.scale(p / "gait2354_simbody.osim", markers=p / "subject01_static.trc",
                    measurements=[{"name": "pelvis", "marker_pairs": [("R.ASIS", "L.ASIS")], "bodies": {"pelvis": "W"}}])


# ---- forward -------------------------------------------------------------------------------

def stage_arm26_forward(opensim, d):
    t = opensim / "Tutorials/Computed_Muscle_Control/OutputReference"
    controls = "StaticOptimization/NonphysiologicalResults/arm26_StaticOptimization_controls.xml"
    return link(d, {t / "ForwardDynamics/arm26_Setup_Forward.xml": "ForwardDynamics/arm26_Setup_Forward.xml",
                    t / "arm26.osim": "ForwardDynamics/arm26.osim", t / controls: controls}), controls


def test_forward_flags_equal_the_setup_file_and_the_command(opensim, cli, tmp_path):
    d, controls = stage_arm26_forward(opensim, tmp_path)
    by_setup = femur.forward(d / "ForwardDynamics/arm26_Setup_Forward.xml")
    y = femur.forward(d / "ForwardDynamics/arm26.osim", 1.0, controls=d / controls, tolerance=1e-5,
                      max_steps=30000, equilibrium=True)
    assert y.time[0] == 0.0 and y.time[-1] == pytest.approx(1.0, abs=1e-12) and len(y) > 100
    assert "/forceset/BIClong/activation" in y and y.shape[1] == 16
    assert_tables_equal(y, by_setup, rtol=0, atol=0)  # the same simulation, in memory both times
    # `femur forward` with the same flags writes the same states (8 digits).
    subprocess.run([cli, "forward", "--quiet", "--model", d / "ForwardDynamics/arm26.osim", "--controls", d / controls,
                    "--final-time", "1", "--tolerance", "1e-5", "--max-steps", "30000", "--equilibrium", "--name",
                    "arm26", "--out", tmp_path / "cli"], check=True)
    written = femur.read_sto(tmp_path / "cli/arm26_states.sto")
    assert_tables_equal(y, written, rtol=1e-7, atol=1e-9)


def test_forward_bad_controls_names_the_file_and_line(opensim, tmp_path):
    d, _ = stage_arm26_forward(opensim, tmp_path)
    bad = tmp_path / "controls.xml"
    bad.write_text('<?xml version="1.0"?>\n<OpenSimDocument Version="30000">\n<ControlSet name="c">\n<objects>\n'
                   '<ControlLinear name="BIClong.excitation"><x_nodes>\n'
                   '<ControlLinearNode><t>0</t><value>abc</value></ControlLinearNode>\n'
                   '</x_nodes></ControlLinear>\n</objects>\n</ControlSet>\n</OpenSimDocument>\n')
    with pytest.raises(femur.ParseError) as e:
        femur.forward(d / "ForwardDynamics/arm26.osim", 0.1, controls=bad)
    assert e.value.file.endswith("controls.xml") and e.value.line == 6, str(e.value)
    with pytest.raises(ValueError, match="final_time .* is not after initial_time"):
        femur.forward(d / "ForwardDynamics/arm26.osim", 0.0)
    with pytest.raises(FileNotFoundError, match="femur.forward: controls: file not found: .*nope.xml"):
        femur.forward(d / "ForwardDynamics/arm26.osim", 0.1, controls=tmp_path / "nope.xml")


# ---- CMC -----------------------------------------------------------------------------------

def arm26_cmc_files(opensim):
    t = opensim / "Tutorials/Computed_Muscle_Control/OutputReference"
    c = t / "ComputedMuscleControl"
    return t, c


def test_cmc_equals_the_setup_run_by_femur(opensim, tmp_path):
    t, c = arm26_cmc_files(opensim)
    files = {f: f.name for f in c.iterdir() if f.suffix == ".xml"}
    files[t / "arm26.osim"] = "arm26.osim"
    files[t / "InverseKinematics/arm26_InverseKinematics.mot"] = "arm26_InverseKinematics.mot"
    d = link(tmp_path, files)
    report = femur.run(d / "arm26_Setup_ComputedMuscleControl.xml", out_dir=d / "out")
    assert len(report["files_written"]) == 10

    # The setup's values as arguments (its time range, filter, reserves, step bounds).
    r = femur.cmc(t / "arm26.osim", t / "InverseKinematics/arm26_InverseKinematics.mot",
                  c / "arm26_ComputedMuscleControl_Tasks.xml", force_set=[c / "arm26_Reserve_Actuators.xml"],
                  initial_time=0.0, final_time=1.0, cutoff=6, min_step=1e-7)
    for key in ("states", "controls", "pErr"):
        # Written with the setup's 8 digits.
        assert_tables_equal(r[key], femur.read_sto(d / f"out/arm26_{key}.sto"), rtol=2e-7, atol=1e-8)
    assert r["start_time"] == pytest.approx(0.03)  # CMC::computeInitialStates
    assert r["states"].time[-1] == pytest.approx(0.99)
    assert "BIClong.excitation" in r["controls_text"]
    assert {"Kinematics_q", "Actuation_force"} <= set(r)
    # And OpenSim's own run of the tutorial (tests/tools/cmc_test.cpp: <= 0.031 RMS measured).
    ref = femur.read_sto(c / "Results/arm26_states.sto")
    for muscle in ("BIClong", "TRIlong"):
        mine = np.interp(ref.time, r["states"].time, r["states"][f"/forceset/{muscle}/activation"])
        inside = (ref.time >= r["states"].time[0]) & (ref.time <= r["states"].time[-1])
        rms = np.sqrt(np.mean((mine - ref[f"{muscle}.activation"])[inside] ** 2))
        assert rms < 0.05, muscle


def test_cmc_task_for_an_unknown_coordinate_names_the_task_file_line(opensim, tmp_path):
    t, c = arm26_cmc_files(opensim)
    tasks = (c / "arm26_ComputedMuscleControl_Tasks.xml").read_text()
    bad = tmp_path / "tasks.xml"
    bad.write_text(tasks.replace("<coordinate> r_elbow_flex </coordinate>", "<coordinate> r_elbow_flx </coordinate>", 1))
    assert bad.read_text() != tasks
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if "<CMC_Joint" in text
                and "r_elbow_flex" in text)
    with pytest.raises(RuntimeError, match=r"tasks\.xml:\d+: task 'r_elbow_flex' tracks coordinate 'r_elbow_flx'") as e:
        femur.cmc(t / "arm26.osim", t / "InverseKinematics/arm26_InverseKinematics.mot", bad,
                  force_set=[c / "arm26_Reserve_Actuators.xml"])
    assert f"tasks.xml:{line}:" in str(e.value)


# ---- RRA -----------------------------------------------------------------------------------

def gait2354_rra_args(p):
    return dict(force_set=[p / "gait2354_RRA_Actuators.xml"], replace_force_set=True,
                external_loads=p / "subject01_walk1_grf.xml", constraints=p / "gait2354_RRA_ControlConstraints.xml",
                initial_time=0.75, final_time=1.25, cutoff=6, tolerance=1e-3, min_step=1e-10)


def test_rra_equals_the_setup_run_by_femur(opensim, tmp_path):
    p = opensim / "Pipelines/Gait2354_Simbody"
    files = {f: f.name for f in p.iterdir() if f.is_file()}
    files[p / "OutputReference/subject01_simbody.osim"] = "subject01_simbody.osim"
    d = link(tmp_path, files)
    report = femur.run(d / "subject01_Setup_RRA.xml", out_dir=d / "out")
    written = {pathlib.Path(f).name: f for f in report["files_written"]}

    r = femur.rra(p / "OutputReference/subject01_simbody.osim", p / "subject01_walk1_ik.mot",
                  p / "gait2354_RRA_Tasks.xml", adjust_com_body="torso", **gait2354_rra_args(p))
    for key in ("states", "controls", "pErr", "Kinematics_q", "Actuation_force"):
        # The setup writes 20 digits, femur.rra reads back 17: the same doubles.
        assert_tables_equal(r[key], femur.read_sto(written[f"subject01_walk1_RRA_{key}.sto"]), rtol=0, atol=0)
    text = pathlib.Path(written["subject01_walk1_RRA_avgResiduals.txt"]).read_text()
    for k, v in r["average_residuals"].items():
        assert f"{k} average = {v:g}" in text
    assert set(r["average_residuals"]) == {"FX", "FY", "FZ", "MX", "MY", "MZ"}
    # The adjusted model: the torso's centre of mass moved as in the written model.
    adjusted = femur.Model(written["subject01_simbody_adjusted.osim"])
    torso = adjusted.body_index("torso")
    np.testing.assert_allclose(r["adjusted_model"].bodies[torso].com_in_body, adjusted.bodies[torso].com_in_body,
                               rtol=0, atol=1e-15)
    original = femur.Model(p / "OutputReference/subject01_simbody.osim")
    assert np.abs(r["adjusted_model"].bodies[torso].com_in_body - original.bodies[torso].com_in_body).max() > 1e-4
    # Without the adjustment: no adjusted model, and the torso's residual moments are larger.
    plain = femur.rra(p / "OutputReference/subject01_simbody.osim", p / "subject01_walk1_ik.mot",
                      p / "gait2354_RRA_Tasks.xml", **gait2354_rra_args(p))
    assert plain["adjusted_model"] is None and plain["states"].shape == r["states"].shape
    assert abs(plain["average_residuals"]["MZ"]) > abs(r["average_residuals"]["MZ"])


def test_rra_bad_desired_kinematics_names_file_line(opensim, tmp_path):
    p = opensim / "Pipelines/Gait2354_Simbody"
    lines = (p / "subject01_walk1_ik.mot").read_text().splitlines()
    header = next(i for i, text in enumerate(lines) if text.strip() == "endheader") + 2  # labels, then rows
    fields = lines[header + 3].split("\t")
    fields[4] = "1.2.3"
    lines[header + 3] = "\t".join(fields)
    bad = tmp_path / "ik.mot"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(femur.ParseError) as e:
        femur.rra(p / "OutputReference/subject01_simbody.osim", bad, p / "gait2354_RRA_Tasks.xml",
                  **gait2354_rra_args(p))
    assert e.value.line == header + 4 and f"ik.mot:{header + 4}:" in str(e.value), str(e.value)


def test_cmc_releases_the_gil(opensim):
    # While CMC runs in another thread, this thread keeps running Python code.
    import threading
    import time

    t, c = arm26_cmc_files(opensim)
    done = threading.Event()

    def work():
        femur.cmc(t / "arm26.osim", t / "InverseKinematics/arm26_InverseKinematics.mot",
                  c / "arm26_ComputedMuscleControl_Tasks.xml", force_set=[c / "arm26_Reserve_Actuators.xml"],
                  cutoff=6)
        done.set()

    thread = threading.Thread(target=work)
    ticks = 0
    start = time.perf_counter()
    thread.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    thread.join()
    elapsed = time.perf_counter() - start
    assert elapsed > 0.05, "the call was too short to tell"
    assert ticks > 0.3 * elapsed / 0.0011, f"main thread ran {ticks} times in {elapsed:.2f} s"


# ---- in-memory inputs: a Model object and Tables instead of paths ---------------------------

def test_forward_of_a_model_object_and_tables_equals_the_paths(opensim, tmp_path):
    d, controls = stage_arm26_forward(opensim, tmp_path)
    osim = d / "ForwardDynamics/arm26.osim"
    m = femur.Model(osim)
    args = dict(equilibrium=True, max_steps=30000)
    by_path = femur.forward(osim, 0.4, controls=d / controls, **args)
    mine = femur.forward(m, 0.4, controls=d / controls, **args)
    assert_tables_equal(mine, by_path, rtol=1e-12, atol=1e-12)
    # OpenSim's run of the tutorial (as tests/tools/forward_test.cpp): equilibrium fiber
    # lengths at the start within 1 mm (its Thelen muscle predates OpenSim 3's rewrite).
    ref = femur.read_sto(opensim / "Tutorials/Computed_Muscle_Control/OutputReference/ForwardDynamics/"
                         "NonphysiologicalResults/arm26_states.sto")
    for muscle in ("TRIlong", "BIClong", "BRA"):
        assert abs(mine[f"/forceset/{muscle}/fiber_length"][0] - ref[f"{muscle}.fiber_length"][0]) < 1e-3, muscle

    # Controls and initial states as Tables (here read from OpenSim's outputs) equal the files.
    out = opensim / "Tutorials/Computed_Muscle_Control/OutputReference/ForwardDynamics/NonphysiologicalResults"
    by_path = femur.forward(osim, 0.5, initial_time=0.2, controls=out / "arm26_controls.sto",
                            states=out / "arm26_states.sto", max_steps=30000)
    mine = femur.forward(m, 0.5, initial_time=0.2, controls=femur.read_sto(out / "arm26_controls.sto"),
                         states=femur.read_sto(out / "arm26_states.sto"), max_steps=30000)
    assert mine.time[0] == pytest.approx(0.2, abs=0.01) and mine.time[-1] == pytest.approx(0.5)
    assert_tables_equal(mine, by_path, rtol=1e-12, atol=1e-12)
    # A table built from numpy arrays with column names: constant controls.
    names = femur.read_sto(out / "arm26_controls.sto").labels
    u = femur.Table(names, np.array([0.0, 1.0]), np.full((2, len(names)), 0.3), name="u")
    held = femur.forward(m, 0.2, controls=u)
    assert not np.allclose(held.data[-1], mine.data[-1])


def test_forward_of_a_scaled_model_held_in_memory(opensim, tmp_path):
    d, controls = stage_arm26_forward(opensim, tmp_path)
    m = femur.Model(d / "ForwardDynamics/arm26.osim")
    scaled = femur.scale_model(m, {"r_humerus": (1.2, 1.2, 1.2), "r_ulna_radius_hand": (1.2, 1.2, 1.2)})
    scaled.write(tmp_path / "scaled.osim")
    a = femur.forward(scaled, 0.2, controls=d / controls, equilibrium=True)
    b = femur.forward(tmp_path / "scaled.osim", 0.2, controls=d / controls, equilibrium=True)
    plain = femur.forward(m, 0.2, controls=d / controls, equilibrium=True)
    # The in-memory model is the one simulated: as its written copy (16 digits in the .osim),
    # unlike the unscaled model.
    np.testing.assert_allclose(a.data[-1], b.data[-1], rtol=1e-8, atol=1e-10)
    assert np.abs(a.data[-1] - plain.data[-1]).max() > 1e-3
    with pytest.raises(ValueError, match="force_set applies to a model read from a file"):
        femur.forward(m, 0.2, force_set=[tmp_path / "x.xml"])
    with pytest.raises(ValueError, match="external_loads_data needs external_loads"):
        femur.forward(m, 0.2, external_loads_data=a)


def test_cmc_of_a_model_object_and_a_table_equals_the_paths(opensim):
    t, c = arm26_cmc_files(opensim)
    ik = t / "InverseKinematics/arm26_InverseKinematics.mot"
    args = dict(initial_time=0.0, final_time=0.5, cutoff=6, min_step=1e-7)
    by_path = femur.cmc(t / "arm26.osim", ik, c / "arm26_ComputedMuscleControl_Tasks.xml",
                        force_set=[c / "arm26_Reserve_Actuators.xml"], **args)
    m = femur.Model(t / "arm26.osim", force_set_files=[c / "arm26_Reserve_Actuators.xml"])
    mine = femur.cmc(m, femur.read_sto(ik), c / "arm26_ComputedMuscleControl_Tasks.xml", **args)
    for key in ("states", "controls", "pErr", "Kinematics_q", "Actuation_force"):
        assert_tables_equal(mine[key], by_path[key], rtol=1e-12, atol=1e-12)
    assert mine["controls_text"] == by_path["controls_text"]
    # OpenSim's own run (as test_cmc_equals_the_setup_run_by_femur).
    ref = femur.read_sto(c / "Results/arm26_states.sto")
    s = mine["states"]
    inside = (ref.time >= s.time[0]) & (ref.time <= s.time[-1])
    for muscle in ("BIClong", "TRIlong"):
        a = np.interp(ref.time, s.time, s[f"/forceset/{muscle}/activation"])
        assert np.sqrt(np.mean((a - ref[f"{muscle}.activation"])[inside] ** 2)) < 0.05, muscle
    # A task for a coordinate the in-memory model lacks names the task file's line and the Model.
    with pytest.raises(ValueError, match="force_set applies to a model read from a file"):
        femur.cmc(m, ik, c / "arm26_ComputedMuscleControl_Tasks.xml", force_set=[c / "arm26_Reserve_Actuators.xml"])
    short = femur.read_sto(ik)
    short = femur.Table(short.labels, short.time[:4], short.data[:4], name="short")
    with pytest.raises(RuntimeError, match=r"femur.cmc\(desired_kinematics=Table 'short'\) has 4 rows"):
        femur.cmc(m, short, c / "arm26_ComputedMuscleControl_Tasks.xml")


def test_rra_of_a_model_object_and_tables_equals_the_paths(opensim):
    p = opensim / "Pipelines/Gait2354_Simbody"
    osim = p / "OutputReference/subject01_simbody.osim"
    args = gait2354_rra_args(p)
    args["final_time"] = 1.0
    by_path = femur.rra(osim, p / "subject01_walk1_ik.mot", p / "gait2354_RRA_Tasks.xml", adjust_com_body="torso",
                        **args)
    m = femur.Model(osim, force_set_files=args.pop("force_set"), replace_force_set=args.pop("replace_force_set"))
    grf = femur.read_sto(p / "subject01_walk1_grf.mot")
    mine = femur.rra(m, femur.read_sto(p / "subject01_walk1_ik.mot"), p / "gait2354_RRA_Tasks.xml",
                     adjust_com_body="torso", external_loads_data=grf, **args)
    for key in ("states", "controls", "pErr", "Kinematics_q", "Actuation_force"):
        assert_tables_equal(mine[key], by_path[key], rtol=1e-12, atol=1e-12)
    assert mine["average_residuals"] == by_path["average_residuals"]
    torso = m.body_index("torso")
    np.testing.assert_allclose(mine["adjusted_model"].bodies[torso].com_in_body,
                               by_path["adjusted_model"].bodies[torso].com_in_body, rtol=0, atol=1e-15)
    # The data replace the file's: other ground reactions give other residuals.
    grf.data[:] *= 1.1
    other = femur.rra(m, p / "subject01_walk1_ik.mot", p / "gait2354_RRA_Tasks.xml", adjust_com_body="torso",
                      external_loads_data=grf, **args)
    assert other["average_residuals"]["FY"] != pytest.approx(by_path["average_residuals"]["FY"], abs=1.0)
