"""Guided routines: a sequence of stretches with their holds, side switches and rests, as data."""

from posecheck.routines.loader import load_routine, load_routines, stretch_order
from posecheck.routines.schema import Routine, RoutineStep

__all__ = ["Routine", "RoutineStep", "load_routine", "load_routines", "stretch_order"]
