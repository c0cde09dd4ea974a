"""Batch trials for the tests and the batch benchmark (python/bench/bench_batch.py): inverse
dynamics of the Gait2354 walk with the coordinates perturbed per trial (and a few short
inverse kinematics), plus trials corrupted in the ways a lab's data go wrong. Everything is
written under a scratch folder; the OpenSim files are referred to in place."""
import pathlib

import numpy as np

import femur

ID_SETUP = """<?xml version="1.0" encoding="UTF-8"?>
<OpenSimDocument Version="30000">
  <InverseDynamicsTool name="{name}">
    <results_directory>results</results_directory>
    <model_file>{model}</model_file>
    <time_range>0.5 1.4</time_range>
    <forces_to_exclude>Muscles</forces_to_exclude>
    <external_loads_file>{grf}</external_loads_file>
    <coordinates_file>coords.mot</coordinates_file>
    <lowpass_cutoff_frequency_for_coordinates>6</lowpass_cutoff_frequency_for_coordinates>
    <output_gen_force_file>id.sto</output_gen_force_file>
  </InverseDynamicsTool>
</OpenSimDocument>
"""

IK_SETUP = """<?xml version="1.0" encoding="UTF-8"?>
<OpenSimDocument Version="30000">
  <InverseKinematicsTool name="{name}">
    <results_directory>results</results_directory>
    <model_file>{model}</model_file>
    <IKTaskSet name="tasks"><objects>
      <IKMarkerTask name="R.ASIS"><apply>true</apply><weight>10</weight></IKMarkerTask>
      <IKMarkerTask name="{marker}"><apply>true</apply><weight>1</weight></IKMarkerTask>
    </objects></IKTaskSet>
    <marker_file>{trc}</marker_file>
    <time_range>0.5 0.53</time_range>
    <output_motion_file>results/ik.mot</output_motion_file>
  </InverseKinematicsTool>
</OpenSimDocument>
"""

CORRUPTIONS = ["truncated", "nan_row", "missing_column", "bad_xml", "missing_model", "unknown_marker"]


def _paths(opensim):
    p = pathlib.Path(opensim) / "Pipelines/Gait2354_Simbody"
    return {"model": p / "OutputReference/subject01_simbody.osim", "grf": p / "subject01_walk1_grf.xml",
            "ik": p / "OutputReference/subject01_walk1_ik.mot", "trc": p / "subject01_walk1.trc"}


def make_id_trial(folder, opensim, seed, corruption=None):
    """One ID trial in `folder` (setup_id.xml + coords.mot); returns the setup path."""
    f = _paths(opensim)
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    coords = femur.read_sto(f["ik"])
    rng = np.random.default_rng(seed)
    coords.data[:] += 0.01 * rng.standard_normal(coords.data.shape)  # 0.01 deg (or m) noise
    coords.write(folder / "coords.mot")
    lines = (folder / "coords.mot").read_text().splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.strip() == "endheader") + 2  # first data row
    if corruption == "truncated":
        text = "".join(lines)
        cut = text.index(lines[header + 30]) + len(lines[header + 30]) // 2
        (folder / "coords.mot").write_text(text[:cut])
    elif corruption == "nan_row":
        cells = lines[header + 20].split("\t")
        cells[5] = "nan"
        lines[header + 20] = "\t".join(cells)
        (folder / "coords.mot").write_text("".join(lines))
    elif corruption == "missing_column":
        lines[header + 30] = "\t".join(lines[header + 30].rstrip("\n").split("\t")[:-1]) + "\n"
        (folder / "coords.mot").write_text("".join(lines))
    setup = ID_SETUP.format(name=folder.name, model=f["model"], grf=f["grf"])
    if corruption == "missing_model":
        setup = setup.replace(str(f["model"]), str(folder / "no_such_model.osim"))
    if corruption == "bad_xml":
        setup = setup[: len(setup) // 2]
    (folder / "setup_id.xml").write_text(setup)
    return folder / "setup_id.xml"


def make_ik_trial(folder, opensim, marker="L.ASIS"):
    f = _paths(opensim)
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "setup_ik.xml").write_text(IK_SETUP.format(name=folder.name, model=f["model"], trc=f["trc"],
                                                         marker=marker))
    return folder / "setup_ik.xml"


def make_study(root, opensim, good, corruptions=CORRUPTIONS, ik=1):
    """`good` perturbed ID trials, `ik` short IK trials and one trial per corruption, each in
    its own folder under root. Returns {trial id (setup path relative to root): kind}."""
    root = pathlib.Path(root)
    kinds = {}
    for i in range(good):
        s = make_id_trial(root / f"trial{i:03d}", opensim, seed=i)
        kinds[s.relative_to(root).as_posix()] = "ok"
    for i in range(ik):
        s = make_ik_trial(root / f"ik{i:02d}", opensim)
        kinds[s.relative_to(root).as_posix()] = "ok"
    for c in corruptions:
        if c == "unknown_marker":
            s = make_ik_trial(root / f"bad_{c}", opensim, marker="NoSuchMarker")
        else:
            s = make_id_trial(root / f"bad_{c}", opensim, seed=1000, corruption=c)
        kinds[s.relative_to(root).as_posix()] = c
    return kinds
