"""femur.Model: properties, and the algorithms against each other (identities that hold for
any model) and against finite differences; errors as Python exceptions with file:line."""
import pathlib
import threading
import time

import numpy as np
import pytest

import femur

ROOT = pathlib.Path(__file__).resolve().parents[2]


def random_state(m, seed=1):
    rng = np.random.default_rng(seed)
    q = m.default_q() + 0.2 * rng.standard_normal(m.nq)
    return q, rng.standard_normal(m.nv), rng.standard_normal(m.nv)


def test_hip_model_properties(hip):
    assert hip.nq == len(hip.coordinates) == len(hip.coordinate_names)
    assert hip.bodies[0].name == "ground" and hip.bodies[0].parent == -1
    assert "hip_flexion_r" in hip.coordinate_names
    assert hip.coordinate_index("hip_flexion_r") == hip.coordinate_names.index("hip_flexion_r")
    assert hip.coordinate_index("nope") == -1
    muscles = hip.muscles
    assert len(muscles) == len(hip.muscle_names) > 10
    assert all(mu.max_isometric_force > 0 and mu.path >= 0 for mu in muscles)
    assert hip.path_names[muscles[0].path] == muscles[0].name


def test_rnea_is_mass_matrix_times_acceleration_plus_bias(hip):
    q, v, a = random_state(hip)
    tau = hip.rnea(q, v, a)
    bias = hip.rnea(q, v, np.zeros(hip.nv))
    M = hip.mass_matrix(q)
    np.testing.assert_allclose(M, M.T, atol=1e-12)
    np.testing.assert_allclose(tau, M @ a + bias, rtol=1e-9, atol=1e-9)


def test_aba_inverts_rnea(hip):
    q, v, a = random_state(hip, 2)
    np.testing.assert_allclose(hip.aba(q, v, hip.rnea(q, v, a)), a, rtol=1e-8, atol=1e-8)


def test_point_jacobian_matches_finite_differences(hip):
    q, _, _ = random_state(hip, 3)
    body = hip.body_index("femur_r") if hip.body_index("femur_r") >= 0 else len(hip.bodies) - 1
    p = np.array([0.01, -0.3, 0.02])
    J = hip.point_jacobian(q, body, p)
    assert J.shape == (3, hip.nv)

    def x(qq):
        T = hip.forward_kinematics(qq)[body]
        return T[:3, :3] @ p + T[:3, 3]

    h = 1e-6
    fd = np.column_stack([(x(q + h * e) - x(q - h * e)) / (2 * h) for e in np.eye(hip.nq)])
    np.testing.assert_allclose(J, fd, atol=1e-7)
    F = hip.frame_jacobian(q, body, p)
    np.testing.assert_allclose(F[3:], J, atol=1e-12)


def test_moment_arms_are_minus_length_derivatives(hip):
    q = hip.default_q()
    r = hip.moment_arms(q)
    assert r.shape == (len(hip.path_names), hip.nq)
    k = hip.coordinate_index("hip_flexion_r")
    h = 1e-6
    e = np.zeros(hip.nq)
    e[k] = h
    dL = (hip.path_lengths(q + e) - hip.path_lengths(q - e)) / (2 * h)
    np.testing.assert_allclose(r[:, k], -dL, atol=1e-6)


def test_wrong_sizes_raise_value_error(hip):
    with pytest.raises(ValueError, match=r"q has 2 values, the model needs \d+"):
        hip.rnea(np.zeros(2), np.zeros(hip.nv), np.zeros(hip.nv))
    with pytest.raises(KeyError, match="no body 'nope'"):
        hip.point_jacobian(hip.default_q(), "nope")


def test_bad_model_file_raises_parse_error_with_file_and_line():
    bad = ROOT / "tests/data/bad/osim_mass_not_a_number.osim"
    with pytest.raises(femur.ParseError) as e:
        femur.Model(bad)
    assert str(e.value) == f"{bad}:8: <mass> of 'thigh': expected a number, found '8 kg'"
    assert e.value.file == str(bad) and e.value.line == 8
    assert isinstance(e.value, RuntimeError)


def test_tables_are_views_with_column_names(tmp_path):
    t = femur.Table(["a", "b"], np.array([0.0, 0.1, 0.2]), np.arange(6.0).reshape(3, 2), name="x")
    assert t.shape == (3, 2) and "b" in t and "c" not in t
    np.testing.assert_array_equal(t["b"], [1.0, 3.0, 5.0])
    t.data[1, 1] = 42.0  # a view of the table's own buffer
    assert t["b"][1] == 42.0
    t.write(tmp_path / "x.sto")
    back = femur.read_sto(tmp_path / "x.sto")
    assert back.labels == ["a", "b"]
    np.testing.assert_array_equal(back.data, t.data)
    with pytest.raises(ValueError, match="expected len"):
        femur.Table(["a"], np.zeros(3), np.zeros((3, 2)))


def test_bad_sto_raises_parse_error(tmp_path):
    f = tmp_path / "bad.sto"
    f.write_text("x\nversion=1\nendheader\ntime\ta\n0\t1\n0.1\tnan\n")
    with pytest.raises(femur.ParseError) as e:
        femur.read_sto(f)
    assert e.value.line == 6 and str(e.value).startswith(f"{f}:6:")


def test_scenario_returns_the_numbers_the_cli_prints(cli):
    import json
    import subprocess

    r = femur.scenario("glute-med-weakness", min_strength=30, strength_step=35)
    out = subprocess.run([cli, "scenario", "glute-med-weakness", "--set", "min_strength=30", "--set",
                          "strength_step=35", "--json"], capture_output=True, text=True, check=True)
    j = json.loads(out.stdout)
    assert r["name"] == j["scenario"] == "glute-med-weakness"
    assert r["parameters"] == j["parameters"]
    assert r["key_number"]["value"] == pytest.approx(j["key_number"]["value"], rel=1e-12)
    assert r["verdict"]["status"] == j["verdict"]["status"]
    cli_numbers = [np.nan if n["value"] is None else n["value"] for n in j["numbers"]]  # JSON null = NaN
    np.testing.assert_allclose(list(r["numbers"].values()), cli_numbers, rtol=1e-12, equal_nan=True)
    assert "glute-med-weakness" in [s["name"] for s in femur.scenarios()]
    with pytest.raises(ValueError, match="min_strength"):
        femur.scenario("glute-med-weakness", no_such_key=1)
    with pytest.raises(ValueError, match="unknown scenario"):
        femur.scenario("no-such-scenario")


def test_gil_is_released_during_computations(hip):
    # While a long femur call runs in another thread, this thread keeps running Python code.
    ticks = 0
    done = threading.Event()

    def work():
        femur.scenario("glute-med-weakness", strength_step=5, drop_step=0.5, lean_step=0.5)
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - start
    assert elapsed > 0.05, "the call was too short to tell"
    assert ticks > 0.3 * elapsed / 0.0011, f"main thread ran {ticks} times in {elapsed:.2f} s"


def test_every_public_name_has_a_docstring_with_an_example():
    import inspect

    missing = []
    for name in femur.__all__:
        obj = getattr(femur, name)
        if "Example" not in (obj.__doc__ or ""):
            missing.append(name)
        if inspect.isclass(obj):
            missing += [f"{name}.{n}" for n, f in vars(obj).items()
                        if not n.startswith("_") and callable(f) and "Example" not in (f.__doc__ or "")]
    assert missing == []


def test_scenario_population_is_reproducible_and_absent_for_motion_scenarios():
    a = femur.scenario("glute-inhibition", samples=4, seed=3, cap_points=2)
    b = femur.scenario("glute-inhibition", samples=4, seed=3, cap_points=2)
    assert a["population"]["samples"] == 4
    assert sum(a["population"]["verdicts"].values()) == 4
    assert a["population"] == b["population"]
    key = a["key_number"]["label"]
    p = a["population"]["numbers"][key]
    assert p["p5"] <= p["median"] <= p["p95"]
    assert femur.scenario("glute-inhibition", samples=0, cap_points=2)["population"] is None
    assert femur.scenario("sciatic-stretch", points=5)["population"] is None


def test_stubs_declare_every_public_function_with_its_keyword_names():
    # python/femur/_femur.pyi against the extension: each public function is declared, with
    # the parameter names pybind11 reports in its signature line(s) (overloads: each one).
    import ast
    import pathlib
    import re

    stub = ast.parse((pathlib.Path(femur.__file__).parent / "_femur.pyi").read_text())
    declared = {}
    for node in stub.body:
        if isinstance(node, ast.FunctionDef):
            a = node.args
            declared.setdefault(node.name, []).append(
                [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs])
        elif isinstance(node, ast.ClassDef):
            declared.setdefault(node.name, [])
    problems = []
    for name in femur.__all__:
        if name not in declared:
            problems.append(f"{name}: not in the stubs")
            continue
        obj = getattr(femur, name)
        if not callable(obj) or isinstance(obj, type):
            continue
        signatures = re.findall(rf"^(?:\d+\. )?{name}\((.*?)\) ->", obj.__doc__, re.M)
        for sig in signatures:
            names = re.findall(r"(?:^|,\s*)(\w+):", sig)
            if names not in declared[name]:
                problems.append(f"{name}: extension takes {names}, stubs declare {declared[name]}")
    assert problems == []
