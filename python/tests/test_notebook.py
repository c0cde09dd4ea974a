"""python/examples/hip_study.ipynb, executed (nbclient, a python3 kernel of this interpreter)
so that it never rots: IK -> ID -> SO -> JR on gait2392 and a scenario sweep, with plots."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_hip_study_notebook_runs(opensim):
    nbformat = pytest.importorskip("nbformat", reason="python3-nbformat is not installed")
    nbclient = pytest.importorskip("nbclient", reason="python3-nbclient is not installed")
    nb = nbformat.read(ROOT / "python/examples/hip_study.ipynb", as_version=4)
    os.environ.setdefault("FEMUR_PROJECT_ROOT", str(ROOT))
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "peak hip contact" in text and "frames" in text
    peak = float(text.split("peak hip contact ")[1].split()[0])
    assert 2.0 < peak < 8.0, f"hip contact peak {peak} BW"  # walking: about 3-5 body weights
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert len(images) == 2
