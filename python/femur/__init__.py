"""femur: musculoskeletal simulation, OpenSim-compatible and fast.

Models, kinematics, dynamics, muscle paths, the OpenSim tools (scaling, IK, ID, static
optimization, joint reaction, muscle analysis, forward simulation, CMC, RRA, any setup file),
optimal control (MocoInverse, tracking, prediction) and the hip scenarios, on numpy arrays. Every computation releases the GIL; bad input files raise
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
    cmc,
    forward,
    hip_model,
    id,
    ik,
    inverse,
    jr,
    muscle_analysis,
    predict,
    read_sto,
    read_trc,
    rra,
    run,
    run_trial,
    scale,
    scale_model,
    scenario,
    scenarios,
    so,
    states,
    track,
)

__all__ = [
    "Body", "Coordinate", "IkResult", "MarkerTable", "Model", "MotionType", "Muscle", "ParseError",
    "States", "Table", "cmc", "forward", "hip_model", "id", "ik", "inverse", "jr", "muscle_analysis",
    "predict", "read_sto", "read_trc", "rra", "run", "run_trial", "batch", "batch_trials", "scale",
    "scale_model", "scenario", "scenarios", "so", "states", "track",
]
