"""Shared fixtures of the Python tests: the femur module, the CLI and the OpenSim data.

The OpenSim reference data are read in place from FEMUR_OPENSIM_DATA (default
../shared/opensim from the project root); tests that need them are skipped with the reason
printed when the folder is absent.
"""
import os
import pathlib

import pytest

import femur

ROOT = pathlib.Path(__file__).resolve().parents[2]


def opensim_dir():
    return pathlib.Path(os.environ.get("FEMUR_OPENSIM_DATA", ROOT / ".." / "shared" / "opensim")).resolve()


@pytest.fixture(scope="session")
def opensim():
    d = opensim_dir()
    if not (d / "Pipelines").is_dir():
        reason = f"OpenSim reference data not found at {d} (set FEMUR_OPENSIM_DATA)"
        if os.environ.get("FEMUR_REQUIRE_DATA") == "1":  # CI (.ci/run): absent data is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    return d


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("FEMUR_CLI", str(ROOT / "build" / "femur"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"femur CLI not found at {path} (set FEMUR_CLI)")
    return path


@pytest.fixture(scope="session")
def gait2392(opensim):
    return femur.Model(opensim / "Pipelines/Gait2392_Simbody/OutputReference/subject01_simbody.osim")


@pytest.fixture(scope="session")
def hip():
    return femur.hip_model()
