"""Load routine files and check that every step names a known stretch."""

from __future__ import annotations

import os
from pathlib import Path

from posecheck.datafiles import load_model
from posecheck.errors import RoutineDefinitionError
from posecheck.poses.schema import PoseDefinition
from posecheck.routines.schema import Routine


def default_routine_dir() -> Path:
    """`$POSECHECK_ROUTINES`, else the `routines/` folder beside the package."""
    env = os.environ.get("POSECHECK_ROUTINES")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "routines"


def load_routine(path: str | Path, catalogue: dict[str, PoseDefinition]) -> Routine:
    """Read and validate one routine file against the stretches in `catalogue`."""
    path = Path(path)
    routine = load_model(path, Routine, RoutineDefinitionError, "routine file")
    if path.suffix in (".yaml", ".yml") and path.stem != routine.id:
        raise RoutineDefinitionError(f"{path}: id: {routine.id!r} must match the file name {path.stem!r}.")
    for n, step in enumerate(routine.steps):
        if step.pose not in catalogue:
            raise RoutineDefinitionError(
                f"{path}: steps[{n}].pose: unknown stretch {step.pose!r}; known stretches: "
                f"{', '.join(sorted(catalogue))}")
        pose = catalogue[step.pose]
        if step.reps is not None and pose.reps is None:
            raise RoutineDefinitionError(
                f"{path}: steps[{n}].reps: {step.pose!r} is a hold, not done in reps; use `hold_s`.")
        if step.reps is not None and pose.reps is not None and pose.reps.per_direction_s is not None:
            raise RoutineDefinitionError(
                f"{path}: steps[{n}].reps: {step.pose!r} is timed each way "
                f"({pose.reps.per_direction_s:g} s), not counted to a number of reps; remove `reps`.")
    return routine


def load_routines(catalogue: dict[str, PoseDefinition], directory: str | Path | None = None
                  ) -> dict[str, Routine]:
    """Every routine file in a folder, by id (file order)."""
    folder = Path(directory) if directory else default_routine_dir()
    if not folder.is_dir():
        raise RoutineDefinitionError(f"{folder}: no routine folder here (set POSECHECK_ROUTINES).")
    routines: dict[str, Routine] = {}
    for path in sorted(folder.glob("*.yaml")):
        routine = load_routine(path, catalogue)
        routines[routine.id] = routine
    return routines


def stretch_order(catalogue: dict[str, PoseDefinition], routines: dict[str, Routine]) -> list[str]:
    """Stretch ids in the order the routines do them, then any others by name (for pickers)."""
    seen: list[str] = []
    for routine in routines.values():
        seen += [s.pose for s in routine.steps if s.pose not in seen]
    rest = sorted((p for p in catalogue if p not in seen), key=lambda p: catalogue[p].name)
    return seen + rest
