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
    BackDots,
    back_dots,
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
    scale = overlay_scale(img)
    draw_skeleton(img, frame, view.verdict, view.pose, scale, back_dots(frame, view.verdict, view.pose))
    _cue_banner(img, cue, scale)
    _countdown_and_footer(img, view, fps, scale)
    return img


class LiveOverlay:
    """`draw_live` for one live session, reusing what stays the same from one camera frame to the
    next: the cue banner is drawn once per cue and size, the back outline once per judged frame.
    The pictures are the same as `draw_live`'s; each session keeps its own."""

    def __init__(self) -> None:
        self._banner_key: tuple[object, ...] | None = None
        self._banner: np.ndarray | None = None
        self._dots_for: tuple[PoseFrame, object] | None = None
        self._dots: BackDots | None = None

    def draw(self, rgb: np.ndarray, frame: PoseFrame, view: ProgrammeView, cue: Cue, fps: float
             ) -> np.ndarray:
        img = rgb.copy()
        scale = overlay_scale(img)
        judged = (frame, view.verdict)  # the dots' places come from the frame, their colour from the verdict
        if self._dots_for is None or any(a is not b for a, b in zip(judged, self._dots_for, strict=True)):
            self._dots_for, self._dots = judged, back_dots(frame, view.verdict, view.pose)
        if (frame.width, frame.height) == (img.shape[1], img.shape[0]):
            # (the browser may change the camera's size mid-session: then the skeleton waits for the
            # first frame judged at the new size rather than being drawn in the wrong place)
            draw_skeleton(img, frame, view.verdict, view.pose, scale, back=self._dots)
        self._paste_banner(img, cue, scale)
        _countdown_and_footer(img, view, fps, scale)
        return img

    def starting(self, rgb: np.ndarray, cue: Cue | None = None) -> np.ndarray:
        """`draw_starting` (or `cue` instead of its words, e.g. when the model cannot start), with
        the banner kept like the others."""
        img = rgb.copy()
        self._paste_banner(img, cue or STARTING, overlay_scale(img))
        return img

    def _paste_banner(self, img: np.ndarray, cue: Cue, scale: float) -> None:
        key = (cue.text, cue.kind, img.shape, scale)
        if key != self._banner_key or self._banner is None:
            drawn = np.zeros_like(img)
            band = _cue_banner(drawn, cue, scale)
            self._banner_key, self._banner = key, drawn[:band].copy()
        img[: len(self._banner)] = self._banner


def _countdown_and_footer(img: np.ndarray, view: ProgrammeView, fps: float, scale: float) -> None:
    h, w = img.shape[:2]
    if view.countdown_s is not None:
        text = f"{int(view.countdown_s + 0.999)}"
        size = 3.0 * scale
        (tw, th), _ = cv2.getTextSize(text, FONT, size, int(6 * scale))
        org = ((w - tw) // 2, (h + th) // 2)
        cv2.putText(img, text, org, FONT, size, DARK, int(10 * scale), cv2.LINE_AA)
        cv2.putText(img, text, org, FONT, size, WHITE, int(5 * scale), cv2.LINE_AA)
    _footer(img, view, fps, scale)


STARTING = Cue("starting", "routine", "Starting the coach...", 0.0)


def draw_starting(rgb: np.ndarray) -> np.ndarray:
    """The first frames, before the pose model has judged one: say that it is starting."""
    img = rgb.copy()
    _cue_banner(img, STARTING, overlay_scale(img))
    return img


def _cue_banner(img: np.ndarray, cue: Cue, scale: float) -> int:
    """The current cue in large letters on a band of its colour, wrapped to three lines at most.
    Returns the band's height in pixels (the band covers the full width from the top)."""
    w = img.shape[1]
    lines = textwrap.wrap(cue.text, width=max(20, int(w / (15 * scale)))) or [""]
    lines = lines if len(lines) <= 3 else [*lines[:2], " ".join(lines[2:])]
    line_h = int(34 * scale)
    band = line_h * len(lines) + int(14 * scale)
    cv2.rectangle(img, (0, 0), (w, band), CUE_COLOURS.get(cue.kind, GREY), -1)
    for n, line in enumerate(lines):
        fit_text(img, line, (int(10 * scale), int((n + 1) * line_h)), 0.9 * scale, WHITE, w - int(20 * scale))
    return min(band + 1, img.shape[0])


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
