"""Type stubs of femur's C++ extension (python/src/*.cpp). Arrays are float64 numpy arrays;
q, qdot, qddot and tau have Model.nq entries (radians and metres, model coordinate order)."""
import os
from enum import Enum
from typing import Any, Mapping, Optional, Sequence, Tuple, TypedDict, Union, overload

import numpy as np
import numpy.typing as npt

PathLike = Union[str, os.PathLike]
ArrayLike = npt.ArrayLike
NDArray = npt.NDArray[np.float64]

class ParseError(RuntimeError):
    """A bad input file: str(e) is "file:line: what is wrong"."""
    file: str
    line: int
    column: int

class MotionType(Enum):
    Rotational = 0
    Translational = 1
    Coupled = 2

class Coordinate:
    name: str
    motion_type: MotionType
    default_value: float
    default_speed: float
    range_min: float
    range_max: float
    clamped: bool
    locked: bool
    joint: int

class Body:
    name: str
    mass: float
    com_in_body: NDArray  # (3,)
    inertia_about_com: NDArray  # (3, 3)
    parent: int

class Muscle:
    name: str
    type: str
    max_isometric_force: float
    optimal_fiber_length: float
    tendon_slack_length: float
    pennation_angle_at_optimal: float
    path: int
    file: str
    line: int

class Model:
    def __init__(self, path: PathLike, force_set_files: Sequence[PathLike] = ..., replace_force_set: bool = ...) -> None: ...
    name: str
    source_file: str
    nq: int
    nv: int
    gravity: NDArray
    warnings: list[str]
    coordinates: list[Coordinate]
    bodies: list[Body]
    muscles: list[Muscle]
    coordinate_names: list[str]
    body_names: list[str]
    muscle_names: list[str]
    marker_names: list[str]
    path_names: list[str]
    def coordinate_index(self, name: str) -> int: ...
    def body_index(self, name: str) -> int: ...
    def default_q(self) -> NDArray: ...
    def forward_kinematics(self, q: ArrayLike) -> NDArray: ...  # (nbodies, 4, 4)
    def marker_positions(self, q: ArrayLike) -> NDArray: ...  # (nmarkers, 3)
    def point_jacobian(self, q: ArrayLike, body: Union[int, str], point: ArrayLike = ...) -> NDArray: ...  # (3, nv)
    def frame_jacobian(self, q: ArrayLike, body: Union[int, str], point: ArrayLike = ...) -> NDArray: ...  # (6, nv)
    def rnea(self, q: ArrayLike, qdot: ArrayLike, qddot: ArrayLike) -> NDArray: ...
    def aba(self, q: ArrayLike, qdot: ArrayLike, tau: ArrayLike) -> NDArray: ...
    def mass_matrix(self, q: ArrayLike) -> NDArray: ...
    def path_lengths(self, q: ArrayLike) -> NDArray: ...  # (npaths,)
    def moment_arms(self, q: ArrayLike) -> NDArray: ...  # (npaths, nq)
    def write(self, path: PathLike) -> None: ...

class Table:
    def __init__(self, labels: Sequence[str], time: ArrayLike, data: ArrayLike, name: str = ...,
                 in_degrees: bool = ...) -> None: ...
    name: str
    labels: list[str]
    in_degrees: bool
    metadata: dict[str, str]
    time: NDArray  # (rows,), a view
    data: NDArray  # (rows, columns), a view
    shape: tuple[int, int]
    def column(self, label: str) -> int: ...
    def __getitem__(self, label: str) -> NDArray: ...
    def __contains__(self, label: str) -> bool: ...
    def __len__(self) -> int: ...
    def write(self, path: PathLike) -> None: ...

class MarkerTable:
    name: str
    markers: list[str]
    units: str
    data_rate: float
    time: NDArray
    data: NDArray  # (frames, 3 * markers)
    def __len__(self) -> int: ...

class States:
    def __init__(self, time: ArrayLike, q: ArrayLike, u: ArrayLike) -> None: ...
    time: NDArray
    q: NDArray
    u: NDArray
    def __len__(self) -> int: ...

class IkResult:
    coordinate_names: list[str]
    time: NDArray
    q: NDArray
    marker_names: list[str]
    marker_squared_error: NDArray
    total_squared_error: NDArray
    marker_error_rms: NDArray
    marker_error_max: NDArray
    iterations: list[int]
    converged: list[bool]
    def motion(self, model: Model) -> Table: ...
    def __len__(self) -> int: ...

def hip_model() -> Model: ...
def read_sto(path: PathLike) -> Table: ...
def read_trc(path: PathLike) -> MarkerTable: ...
def ik(model: Model, markers: Union[MarkerTable, PathLike], marker_weights: Optional[Mapping[str, float]] = ...,
       accuracy: float = ..., start_time: float = ..., end_time: float = ..., threads: int = ...,
       tasks_from: Optional[PathLike] = ...) -> IkResult: ...
def id(model: Model, coordinates: Union[Table, PathLike], external_loads: Optional[PathLike] = ...,
       lowpass_cutoff_hz: float = ..., start_time: Optional[float] = ..., end_time: Optional[float] = ...,
       forces_to_exclude: Sequence[str] = ...) -> Table: ...
def states(model: Model, coordinates: Union[Table, PathLike], lowpass_cutoff_hz: float = ...) -> States: ...
def so(model: Model, states: States, external_loads: Optional[PathLike] = ..., activation_exponent: float = ...,
       use_muscle_physiology: bool = ..., start_time: float = ..., end_time: float = ...,
       step_interval: int = ...) -> tuple[Table, Table]: ...
def jr(model: Model, states: States, joints: Sequence[str] = ..., on: Sequence[str] = ...,
       in_frame: Sequence[str] = ..., forces: Optional[Table] = ..., external_loads: Optional[PathLike] = ...,
       start_time: float = ..., end_time: float = ..., step_interval: int = ...) -> Table: ...
def muscle_analysis(model: Model, states: States, muscles: Sequence[str] = ..., coordinates: Sequence[str] = ...,
                    compute_moments: bool = ..., solve_for_equilibrium: bool = ...) -> dict[str, Table]: ...
def scale_model(model: Model, factors: Mapping[str, ArrayLike], preserve_mass_distribution: bool = ...,
                subject_mass: float = ...) -> Model: ...
@overload
def forward(setup: PathLike) -> Table: ...
@overload
def forward(model: Union[Model, PathLike], final_time: float, *, initial_time: float = ...,
            controls: Optional[Union[Table, PathLike]] = ..., states: Optional[Union[Table, PathLike]] = ...,
            external_loads: Optional[PathLike] = ..., external_loads_data: Optional[Union[Table, PathLike]] = ...,
            force_set: Sequence[PathLike] = ..., tolerance: float = ..., min_step: float = ..., max_step: float = ...,
            max_steps: int = ..., equilibrium: bool = ...) -> Table: ...

class Measurement(TypedDict, total=False):
    name: str
    marker_pairs: Sequence[Tuple[str, str]]
    bodies: Mapping[str, str]  # body -> axes, e.g. "XYZ"
    apply: bool

class ScaleResult(TypedDict):
    model: Model
    factors: dict[str, NDArray]  # body -> (3,)
    measurement_factors: dict[str, float]  # measurement -> factor (NaN: a marker missing)
    static_pose: Optional[Table]
    q: Optional[NDArray]  # (nq,)
    moved_markers: list[str]
    marker_error_rms: Optional[float]
    warnings: list[str]

def scale(model: Union[Model, PathLike], *, marker_set: Optional[PathLike] = ...,
          markers: Optional[Union[MarkerTable, PathLike]] = ..., mass: float = ...,
          scale: Mapping[str, ArrayLike] = ..., preserve_mass_distribution: bool = ...,
          time_range: Optional[Tuple[float, float]] = ..., place_markers: bool = ...,
          name: Optional[str] = ..., measurements: Optional[Union[PathLike, Sequence[Measurement]]] = ...,
          scaling_order: Optional[Sequence[str]] = ...) -> ScaleResult: ...

class CmcResult(TypedDict, total=False):
    states: Table
    controls: Table
    pErr: Table
    Kinematics_q: Table
    Kinematics_u: Table
    Kinematics_dudt: Table
    Actuation_force: Table
    Actuation_speed: Table
    Actuation_power: Table
    controls_text: str  # the _controls.xml ControlSet
    start_time: float
    windows: int
    seconds: float
    warnings: list[str]

class RraResult(TypedDict, total=False):
    states: Table
    controls: Table
    pErr: Table
    Kinematics_q: Table
    Kinematics_u: Table
    Kinematics_dudt: Table
    Actuation_force: Table
    Actuation_speed: Table
    Actuation_power: Table
    average_residuals: dict[str, float]  # FX FY FZ MX MY MZ
    adjusted_model: Optional[Model]

def cmc(model: Union[Model, PathLike], desired_kinematics: Union[Table, PathLike], task_set: PathLike, *,
        force_set: Sequence[PathLike] = ..., replace_force_set: bool = ..., external_loads: Optional[PathLike] = ...,
        external_loads_data: Optional[Union[Table, PathLike]] = ..., constraints: Optional[PathLike] = ...,
        initial_time: Optional[float] = ..., final_time: Optional[float] = ..., cutoff: float = ...,
        window: float = ..., fast_target: bool = ..., equilibrium: bool = ..., tolerance: float = ...,
        min_step: float = ..., max_step: float = ..., actuators_to_exclude: Sequence[str] = ...) -> CmcResult: ...
def rra(model: Union[Model, PathLike], desired_kinematics: Union[Table, PathLike], task_set: PathLike, *,
        force_set: Sequence[PathLike] = ..., replace_force_set: bool = ..., external_loads: Optional[PathLike] = ...,
        external_loads_data: Optional[Union[Table, PathLike]] = ..., constraints: Optional[PathLike] = ...,
        initial_time: Optional[float] = ..., final_time: Optional[float] = ..., cutoff: float = ...,
        equilibrium: bool = ..., tolerance: float = ..., min_step: float = ..., max_step: float = ...,
        adjust_com_body: Optional[str] = ..., com_time_range: Optional[Tuple[float, float]] = ...,
        actuators_to_exclude: Sequence[str] = ...) -> RraResult: ...

class InverseResult(TypedDict):
    trajectory: Table  # Moco's layout: states, controls, implicit derivatives
    success: bool
    status: str
    iterations: int
    objective: float
    objective_excitation_effort: float
    objective_auxiliary_derivatives: float
    objective_activation_effort: float
    worst_constraint: str
    worst_violation: float
    resimulation_activation_drift: float
    resimulation_tendon_force_drift: float
    nodes: int
    variables: int
    constraints: int
    seconds_solve: float
    seconds_functions: float
    seconds_setup: float
    warnings: list[str]

class GaitResult(TypedDict, total=False):
    trajectory: Table  # Moco's layout: states, controls, accelerations
    grf: Table  # contact forces per node, the reference's column names
    success: bool
    status: str
    iterations: int
    objective: float
    objective_states: float
    objective_grf: float
    objective_effort: float
    worst_constraint: str
    worst_violation: float
    resimulation_angle_drift_deg: float
    resimulation_time_to_5deg: float
    nodes: int
    variables: int
    constraints: int
    seconds_solve: float
    seconds_functions: float
    seconds_setup: float
    warnings: list[str]
    # with a states reference:
    joint_angle_rms_deg: float
    grf_rms_x: list[float]
    grf_rms_y: list[float]
    grf_peak_y: list[float]
    grf_peak_y_reference: list[float]
    # predict only:
    half_cycle: float
    stride_length: float
    cadence: float
    speed: float
    walks: bool
    walk_reason: str
    grf_peaks_body_weights: list[float]

def inverse(model: Model, coordinates: Union[Table, PathLike], *, external_loads: Optional[PathLike] = ...,
            t0: Optional[float] = ..., t1: Optional[float] = ..., mesh_interval: float = ..., lowpass: float = ...,
            weld: Sequence[str] = ..., muscles: str = ..., ignore_passive_fiber: bool = ..., tendon: str = ...,
            transcription: str = ..., reserves: float = ..., reserves_weight: float = ...,
            minimize_activations: bool = ..., tolerance: float = ..., constraint_tolerance: float = ...,
            max_iterations: int = ..., hessian: str = ..., guess: Optional[Union[Table, PathLike]] = ...,
            return_failed: bool = ..., ipopt_output: bool = ...) -> InverseResult: ...
def track(model: Model, states_reference: Union[Table, PathLike], *, external_loads: Optional[PathLike] = ...,
          lowpass: float = ..., states_weight: float = ..., track_speeds: bool = ..., grf_weight: float = ...,
          grf_normalize: bool = ..., effort_weight: float = ..., symmetry: bool = ...,
          bounds: Mapping[str, Tuple[float, float]] = ..., remove_muscles: bool = ..., reserves: float = ...,
          t0: Optional[float] = ..., t1: Optional[float] = ..., mesh_intervals: int = ...,
          mesh_interval: Optional[float] = ..., guess: Optional[Union[Table, PathLike]] = ..., tolerance: float = ...,
          constraint_tolerance: float = ..., max_iterations: int = ..., hessian: str = ...,
          return_failed: bool = ..., ipopt_output: bool = ...) -> GaitResult: ...
def predict(problem: PathLike, model: Model, guess: Union[Table, PathLike], *,
            states_reference: Optional[Union[Table, PathLike]] = ..., external_loads: Optional[PathLike] = ...,
            max_iterations: Optional[int] = ..., hessian: str = ..., return_failed: bool = ...,
            ipopt_output: bool = ...) -> GaitResult: ...
def run(setup: PathLike, out_dir: Optional[PathLike] = ..., threads: int = ...) -> dict[str, Any]: ...
def scenario(name: str, model: Optional[Model] = ..., **parameters: float) -> dict[str, Any]: ...
def scenarios() -> list[dict[str, Any]]: ...
def batch_trials(path: PathLike) -> tuple[str, list[dict[str, str]]]: ...
def batch(path: PathLike, threads: int = ..., resume: bool = ..., summary: Optional[PathLike] = ...) -> dict[str, Any]: ...
def run_trial(setup: PathLike, out_dir: Optional[PathLike] = ...) -> dict[str, Any]: ...
