"""femur: musculoskeletal simulation, OpenSim-compatible and fast.

Models, kinematics, dynamics, muscle paths, the OpenSim tools (IK, ID, static optimization,
joint reaction, muscle analysis, scaling, forward simulation, any setup file) and the hip
scenarios, on numpy arrays. Every computation releases the GIL; bad input files raise
femur.ParseError with the file and line.

Example:
    >>> import femur, numpy as np
    >>> m = femur.Model("gait2392_simbody.osim")
    >>> tau = m.rnea(m.default_q(), np.zeros(m.nv), np.zeros(m.nv))
"""
from ._femur import (  # noqa: F401
    Body,
    Coordinate,
    IkResult,
    MarkerTable,
    Model,
    MotionType,
    Muscle,
    ParseError,
    States,
    Table,
    batch,
    batch_trials,
    forward,
    hip_model,
    id,
    ik,
    jr,
    muscle_analysis,
    read_sto,
    read_trc,
    run,
    run_trial,
    scale_model,
    scenario,
    scenarios,
    so,
    states,
)

__all__ = [
    "Body", "Coordinate", "IkResult", "MarkerTable", "Model", "MotionType", "Muscle", "ParseError",
    "States", "Table", "forward", "hip_model", "id", "ik", "jr", "muscle_analysis", "read_sto",
    "read_trc", "run", "run_trial", "batch", "batch_trials", "scale_model", "scenario", "scenarios", "so", "states",
]
