"""The live coaching overlay: skeleton by check state, one large cue, hold timer, side, countdowns, fps."""

from __future__ import annotations

import textwrap

import cv2
import numpy as np

from posecheck.frames import PoseFrame
from posecheck.live.cues import Cue
from posecheck.live.programme import ProgrammeView
from posecheck.sinks.overlay import (
    AMBER,
    DARK,
    GREEN,
    GREY,
    RED,
    WHITE,
    draw_skeleton,
    fit_text,
    overlay_scale,
    progress_text,
)

BLUE = (52, 152, 219)
CUE_COLOURS = {"mistake": RED, "guidance": AMBER, "position": AMBER, "good": GREEN, "routine": BLUE,
               "done": BLUE}
FONT = cv2.FONT_HERSHEY_SIMPLEX


def draw_live(rgb: np.ndarray, frame: PoseFrame, view: ProgrammeView, cue: Cue, fps: float) -> np.ndarray:
    """Return a copy of `rgb` with the live overlay (`fps`: frames judged per second). Pure: every
    number comes from its arguments."""
    img = rgb.copy()
    h, w = img.shape[:2]
    scale = overlay_scale(img)
    draw_skeleton(img, frame, view.verdict, view.pose, scale)
    _cue_banner(img, cue, scale)
    if view.countdown_s is not None:
        text = f"{int(view.countdown_s + 0.999)}"
        size = 3.0 * scale
        (tw, th), _ = cv2.getTextSize(text, FONT, size, int(6 * scale))
        org = ((w - tw) // 2, (h + th) // 2)
        cv2.putText(img, text, org, FONT, size, DARK, int(10 * scale), cv2.LINE_AA)
        cv2.putText(img, text, org, FONT, size, WHITE, int(5 * scale), cv2.LINE_AA)
    _footer(img, view, fps, scale)
    return img


STARTING = Cue("starting", "routine", "Starting the coach...", 0.0)


def draw_starting(rgb: np.ndarray) -> np.ndarray:
    """The first frames, before the pose model has judged one: say that it is starting."""
    img = rgb.copy()
    _cue_banner(img, STARTING, overlay_scale(img))
    return img


def _cue_banner(img: np.ndarray, cue: Cue, scale: float) -> None:
    """The current cue in large letters on a band of its colour, wrapped to three lines at most."""
    w = img.shape[1]
    lines = textwrap.wrap(cue.text, width=max(20, int(w / (15 * scale)))) or [""]
    lines = lines if len(lines) <= 3 else [*lines[:2], " ".join(lines[2:])]
    line_h = int(34 * scale)
    band = line_h * len(lines) + int(14 * scale)
    cv2.rectangle(img, (0, 0), (w, band), CUE_COLOURS.get(cue.kind, GREY), -1)
    for n, line in enumerate(lines):
        fit_text(img, line, (int(10 * scale), int((n + 1) * line_h)), 0.9 * scale, WHITE, w - int(20 * scale))


def _footer(img: np.ndarray, view: ProgrammeView, fps: float, scale: float) -> None:
    """Bottom bar: what is running, the working side, the good-form hold, fps; a hold progress bar."""
    h, w = img.shape[:2]
    bar_h = int(30 * scale)
    cv2.rectangle(img, (0, h - bar_h), (w, h), DARK, -1)
    v = view.verdict
    parts = [view.title]
    if v is not None:
        if f"{v.side} side" not in view.title:
            parts.append(f"side: {v.side or '?'}")
        parts.append(progress_text(v)[0])
    parts.append(f"judging {fps:4.1f} fps")
    fit_text(img, "  |  ".join(parts), (int(8 * scale), h - int(10 * scale)), 0.55 * scale, WHITE,
             w - int(16 * scale))
    if v is not None and (v.hold_target_s or v.reps_target):
        frac = progress_text(v)[1]
        cv2.rectangle(img, (0, h - bar_h - int(6 * scale)), (int(w * frac), h - bar_h), GREEN, -1)
