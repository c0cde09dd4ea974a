"""The tools from Python against OpenSim's reference outputs (../shared/opensim, read in
place) and against the same tool run by the C++ command line (`femur run`). Tolerances are
those of the C++ reference tests (tests/tools/*_test.cpp) and of shared/opensim/README.md."""
import os
import pathlib

import numpy as np
import pytest

import femur


def stage(tmp_path, files):
    # Symbolic links to the reference files: the setups run in a scratch folder.
    for src, name in files.items():
        dst = tmp_path / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(src, dst)
    return tmp_path


def column_errors(mine, ref):
    assert mine.shape == ref.shape
    np.testing.assert_allclose(mine.time, ref.time, atol=6e-9)
    for label in ref.labels:
        yield label, np.abs(mine[label] - ref[label]).max(), np.abs(ref[label]).max()


def test_id_equals_femur_run_and_matches_opensim(opensim, tmp_path):
    p = opensim / "Pipelines/Gait2392_Simbody"
    d = stage(tmp_path, {p / "subject01_Setup_InverseDynamics.xml": "setup.xml",
                         p / "subject01_walk1_grf.xml": "subject01_walk1_grf.xml",
                         p / "subject01_walk1_grf.mot": "subject01_walk1_grf.mot",
                         p / "subject01_walk1_ik.mot": "subject01_walk1_ik.mot",
                         p / "OutputReference/subject01_simbody.osim": "subject01_simbody.osim"})
    report = femur.run(d / "setup.xml", out_dir=d / "out")
    assert [pathlib.Path(f).name for f in report["files_written"]] == ["InverseDynamicsOutput.sto"]
    by_run = femur.read_sto(d / "out/InverseDynamicsOutput.sto")

    m = femur.Model(d / "subject01_simbody.osim")
    tau = femur.id(m, d / "subject01_walk1_ik.mot", d / "subject01_walk1_grf.xml", lowpass_cutoff_hz=6,
                   start_time=0.4, end_time=1.6, forces_to_exclude=["muscles"])
    assert tau.labels == by_run.labels
    np.testing.assert_allclose(tau.data, by_run.data, rtol=1e-12, atol=1e-9)  # written with 16 digits

    ref = femur.read_sto(opensim / "Generated/Gait2392_Simbody/ResultsInverseDynamics/InverseDynamicsOutput.sto")
    for label, err, peak in column_errors(tau, ref):
        assert err <= 1e-6 and err <= 1e-3 * peak, f"{label}: {err:.2e} (peak {peak:.3f})"


def test_ik_matches_opensim(opensim, gait2392):
    p = opensim / "Pipelines/Gait2392_Simbody"
    r = femur.ik(gait2392, p / "subject01_walk1.trc", threads=2, start_time=0.5, end_time=2.5,
                 tasks_from=p / "subject01_Setup_IK.xml")
    assert len(r) == 121 and all(r.converged)
    assert r.q.shape == (121, gait2392.nq) and r.coordinate_names == gait2392.coordinate_names
    motion = r.motion(gait2392)
    ref = femur.read_sto(opensim / "Generated/Gait2392_Simbody/subject01_walk1_ik.mot")
    np.testing.assert_allclose(motion.time, ref.time, atol=6e-9)
    for c in gait2392.coordinates:
        d = motion[c.name] - ref[c.name]
        if c.motion_type == femur.MotionType.Rotational:  # degrees
            assert np.sqrt(np.mean(d ** 2)) <= 0.1 and np.abs(d).max() <= 0.5, c.name
        else:
            assert np.abs(d).max() <= 1e-3, c.name
    # The Python view of q is the radians of the written motion.
    k = gait2392.coordinate_index("hip_flexion_r")
    np.testing.assert_allclose(np.degrees(r.q[:, k]), motion["hip_flexion_r"], rtol=1e-12)


def test_path_lengths_and_moment_arms_match_opensim_muscle_analysis(opensim, gait2392):
    g = opensim / "Generated/Gait2392_Simbody"
    s = femur.states(gait2392, g / "subject01_walk1_ik.mot")
    length = femur.read_sto(g / "MuscleAnalysis/gait2392_walk1_MuscleAnalysis_Length.sto")
    arm = femur.read_sto(g / "MuscleAnalysis/gait2392_walk1_MuscleAnalysis_MomentArm_hip_flexion_r.sto")
    k = gait2392.coordinate_index("hip_flexion_r")
    cols = [gait2392.path_names.index(label) for label in length.labels]
    rows = np.searchsorted(s.time, length.time[::10] - 1e-9)
    np.testing.assert_allclose(s.time[rows], length.time[::10], atol=1e-9)
    for row, ref_row in zip(rows, range(0, len(length), 10)):
        np.testing.assert_allclose(gait2392.path_lengths(s.q[row])[cols], length.data[ref_row], atol=1e-6)
        np.testing.assert_allclose(gait2392.moment_arms(s.q[row])[cols, k], arm.data[ref_row], atol=1e-5)
    # The MuscleAnalysis tool gives the same numbers as the Model calls.
    few = femur.States(s.time[rows], s.q[rows], s.u[rows])
    ma = femur.muscle_analysis(gait2392, few, coordinates=["hip_flexion_r"])
    np.testing.assert_allclose(ma["Length"].data, np.array([gait2392.path_lengths(q)[cols] for q in few.q]),
                               rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ma["MomentArm_hip_flexion_r"].data,
                               np.array([gait2392.moment_arms(q)[cols, k] for q in few.q]), atol=1e-12)


def test_static_optimization_and_joint_reaction_match_opensim_tutorial(opensim, tmp_path):
    t = opensim / "Tutorials/Estimating_Joint_Reaction_Loads"
    m = femur.Model(t / "subject01_simbody_adjusted_StaticOp.osim",
                    force_set_files=[t / "gait2392_SO_weak_Residual_Actuators.xml"])
    s = femur.states(m, t / "subject01_walk1_Kinematics.sto")
    act, force = femur.so(m, s, t / "foot_floor_loads.xml", start_time=0.5, end_time=1.999, step_interval=10)
    ref = femur.read_sto(t / "OutputReference/ResultsStaticOptimization/subject01_StaticOptimization_activation.sto")
    assert len(act) == len(ref)
    np.testing.assert_allclose(act.time, ref.time, atol=1e-6)
    # tests/tools/static_optimization_test.cpp: overall RMS < 1e-3, worst column RMS < 2.5e-3.
    d = np.column_stack([act[c] - ref[c] for c in ref.labels])
    assert np.sqrt(np.mean(d ** 2)) < 1e-3
    assert np.sqrt(np.mean(d ** 2, axis=0)).max() < 2.5e-3

    # The same numbers as the setup run by femur (`femur run setup_static_optimization.xml`).
    d = stage(tmp_path, {f: f.name for f in t.iterdir() if f.is_file()})
    os.symlink(t / "subject01_simbody_adjusted_StaticOp.osim", d / "subject01_simbody_adjusted.osim")
    femur.run(d / "setup_static_optimization.xml", out_dir=d / "out")
    by_run = femur.read_sto(d / "out/subject01_StaticOptimization_activation.sto")
    assert by_run.labels == act.labels
    np.testing.assert_allclose(act.data, by_run.data, rtol=1e-12, atol=1e-15)

    jr = femur.jr(m, s, ["ground_pelvis", "hip_r", "hip_r"], ["child", "child", "parent"],
                  ["ground", "child", "child"], forces=force, external_loads=t / "foot_floor_loads.xml",
                  start_time=0.5, end_time=1.999, step_interval=10)
    ref = femur.read_sto(t / "OutputReference/ResultsStaticOptimization/subject01_JointReaction_ReactionLoads.sto")
    np.testing.assert_allclose(jr.time, ref.time, atol=1e-6)
    for c in [c for c in ref.labels if c.startswith("hip_r_on_femur_r") and c[-2:] in ("fx", "fy", "fz")]:
        peak = np.abs(ref[c]).max()
        assert np.abs(jr[c] - ref[c]).max() <= 0.01 * peak, c  # README: hip forces <= 0.7% of peak


def test_scale_model_scales_masses_and_lengths(gait2392):
    big = femur.scale_model(gait2392, {b.name: (1.1, 1.1, 1.1) for b in gait2392.bodies[1:]}, subject_mass=80.0)
    assert sum(b.mass for b in big.bodies) == pytest.approx(80.0, rel=1e-12)
    q = gait2392.default_q()
    i = gait2392.path_names.index("glut_med1_r")
    assert big.path_lengths(q)[i] == pytest.approx(1.1 * gait2392.path_lengths(q)[i], rel=1e-9)
