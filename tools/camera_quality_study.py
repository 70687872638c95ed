"""Does a poor laptop camera make the lumbar checks flag a flat back, or miss a bent one?

python tools/camera_quality_study.py SET_DIR ... [--sessions DIR ...] [--only STRETCH] [--out FILE]

The renders are clean: even light, sharp edges, mild compression. A laptop camera in a living
room is not. Each clip's video is run again through MediaPipe and the checker as it is, and as a
poor camera would give it (CONDITIONS, applied to every decoded frame before the model sees it):
- dim: a room lit by one lamp; the camera's gain lifts the picture back to its brightness and the
  sensor noise with it (exposure x0.4, noise of 5 levels in 255 before the gain);
- soft: a cheap lens and a starved video link; the picture is captured at 320x240, scaled back up
  and sent as a JPEG of quality 25;
- washed out: a bright window behind the person: the picture loses half its contrast and is
  lifted towards white;
- hunting exposure: the camera's automatic exposure never settles (a person moving in front of a
  window): the brightness swings 30% either way and back over every 60 frames (4 s at the
  renders' 15 fps), with sensor noise of 3 levels;
- blur and jitter: a slow shutter and a link whose compression changes from frame to frame: each
  picture is blended half and half with the one before it (movement smears) and sent as a JPEG
  whose quality is drawn anew for every frame between 20 and 60.
(How each run is scored: SCORING, which the study's output gives after this text.)
"""

from __future__ import annotations

import argparse
import copy
import math
import shutil
import statistics
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck import regress  # noqa: E402
from posecheck.checker.checker import PoseChecker  # noqa: E402
from posecheck.checker.events import Event, Verdict  # noqa: E402
from posecheck.estimators.base import quiet_native_logs  # noqa: E402
from posecheck.features.silhouette import working_scale  # noqa: E402
from posecheck.frames import PoseFrame  # noqa: E402
from posecheck.labels import ClipLabels, labels_beside  # noqa: E402
from posecheck.landmarks import INDEX  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from posecheck.poses.schema import PoseDefinition  # noqa: E402
from posecheck.sources.recording import write_recording  # noqa: E402
from tools.spine_study import STUDIED  # noqa: E402
from tools.study_output import cell, emit, heading  # noqa: E402

Condition = Callable[[np.ndarray, np.random.Generator], np.ndarray]
SHOULDERS = [INDEX["left_shoulder"], INDEX["right_shoulder"]]
HIPS = [INDEX["left_hip"], INDEX["right_hip"]]

POINTER = "\n(How each run is scored"  # where a study's docstring hands over to SCORING
SCORING = """Each condition's noise is drawn from a generator seeded by the clip's name, so a run repeats.

Each run is scored as `posecheck regress` scores a clip (posecheck/regress.py run_clip, with the
picture changed before the model sees it). SET_DIR holds correct holds (the restless sets): a flag
of a lumbar check there is a false alarm, and its seconds are regress's false-alarm seconds.
--sessions DIR holds sessions-style clips (a correct start, then a 30 deg mistake): each must be
flagged, and the onset is regress's, timed from where the labelled lumbar angle passes 15 deg.
The tables also say how well the person was seen: the share of frames MediaPipe found someone in,
and the median length of their torso (mid-hip to mid-shoulder) in the mask the back's outline is
traced on (320 pixels on its longest side; below 12 the outline is not traced). For the flat
backs they give how long the person had held the position when their own neutral was learned (the
coach says "Hold still with your back long" until then; a neutral adopted after 10 s of a flag
counts too), and in how many holds it never was. Beside each mistake not caught: when its own
neutral was learned, and its seconds in position."""


def as_rendered(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return rgb


def dim(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Under-exposed by 0.4, sensor noise of 5 levels, then the gain of 2.5 that restores the brightness."""
    dark = rgb.astype(np.float32) * 0.4 + rng.normal(0.0, 5.0, rgb.shape).astype(np.float32)
    return np.clip(dark * 2.5, 0, 255).astype(np.uint8)


def soft(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Captured at 320x240, scaled back to the frame's size, and sent as a JPEG of quality 25."""
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (320, 240), interpolation=cv2.INTER_AREA)
    big = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return _jpeg(big, 25)


def washed_out(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Half the contrast, lifted towards white (a window behind the person)."""
    return np.clip(rgb.astype(np.float32) * 0.5 + 110.0, 0, 255).astype(np.uint8)


def _jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    ok, jpeg = cv2.imencode(".jpg", rgb, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(jpeg, cv2.IMREAD_UNCHANGED)


class HuntingExposure:
    """Brightness x (1 + 0.3 sin(2 pi n / 60)) on the n-th frame of a run, and sensor noise of 3
    levels. It counts frames, so each run takes its own copy (run_clip does)."""

    PERIOD_FRAMES = 60
    SWING = 0.3

    def __init__(self) -> None:
        self.frame = 0

    def __call__(self, rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        gain = 1.0 + self.SWING * math.sin(2.0 * math.pi * self.frame / self.PERIOD_FRAMES)
        self.frame += 1
        lit = rgb.astype(np.float32) * gain + rng.normal(0.0, 3.0, rgb.shape).astype(np.float32)
        return np.clip(np.rint(lit), 0, 255).astype(np.uint8)


class BlurAndJitter:
    """Each picture blended half and half with the previous one (as captured), then a JPEG of a
    quality drawn for each frame from 20 to 60. Keeps the previous picture, so each run takes its
    own copy (run_clip does)."""

    def __init__(self) -> None:
        self.previous: np.ndarray | None = None

    def __call__(self, rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        now = rgb.astype(np.float32)
        blended = now if self.previous is None else 0.5 * (now + self.previous)
        self.previous = now
        return _jpeg(np.clip(np.rint(blended), 0, 255).astype(np.uint8), int(rng.integers(20, 61)))


CONDITIONS: dict[str, Condition] = {"as rendered": as_rendered, "dim": dim, "soft": soft,
                                    "washed out": washed_out, "hunting exposure": HuntingExposure(),
                                    "blur and jitter": BlurAndJitter()}


@dataclass(frozen=True)
class Run:
    """One clip under one condition, scored by regress on the stretch's lumbar check: flagged (for a
    mistake clip, within the tolerance of its must-flag frames), the false-alarm seconds, the onset
    after the labelled angle passed 15 deg (None unless flagged there), the seconds in position,
    when (in the video's time) the check first learned or adopted the person's own neutral (None:
    never), when the person last came into position before that (or first, if it never was), and
    the two readings the check judges (`readings_of`) on each frame judged in position, by time."""

    clip: str
    stretch: str
    condition: str
    flagged: bool
    false_alarm_s: float
    onset_s: float | None
    in_position_s: float
    neutral_s: float | None = None
    found_share: float = 1.0  # of the clip's frames, those MediaPipe found a person in
    torso_px: float = math.nan  # median hip-to-shoulder length in the mask the outline is traced on
    entered_s: float | None = None  # None: never in position
    readings: dict[float, tuple[float, float]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def learning_s(self) -> float | None:
        """How long the person held the position before their neutral was learned (None: never)."""
        if self.neutral_s is None or self.entered_s is None:
            return None
        return self.neutral_s - self.entered_s


def traced_torso_px(frame: PoseFrame) -> float | None:
    """The person's torso (mid-hip to mid-shoulder) in the mask the back's outline is traced on
    (a video's mask is the frame's size, shrunk as silhouette.working_mask does); None when no one
    was found."""
    lm = frame.landmarks
    if lm is None:
        return None
    chord = np.mean(lm.image[SHOULDERS, :2], axis=0) - np.mean(lm.image[HIPS, :2], axis=0)
    return float(np.hypot(*chord)) * working_scale(frame.height, frame.width)


def readings_of(pose: PoseDefinition) -> tuple[str, str]:
    """The features the pose's lumbar check reads: for its fixed level and against the own neutral."""
    check = pose.check(STUDIED[pose.id][0])
    return check.feature, check.neutral_feature or check.feature


def run_clip(video: Path, condition: str, catalogue: dict,
             conditions: dict[str, Condition] = CONDITIONS, labels: ClipLabels | None = None,
             keep: Path | None = None) -> Run | None:
    """Run one clip through the estimator and the checker under `condition` (a name in
    `conditions`) and score it; None for a clip that is not of a lumbar stretch. `labels`: the
    clip's labels, for a caller that has read them already. `keep`: a folder to save the pose
    frames in, as a landmark recording beside a copy of the labels (`kept_recording`), so a later
    study can replay this run without the estimator."""
    labels = labels_beside(video) if labels is None else labels
    if labels.pose not in STUDIED:
        return None
    change = copy.deepcopy(conditions[condition])  # a condition may count frames: a fresh one per run
    rng = np.random.default_rng(zlib.crc32(f"{video.name}:{condition}".encode()))
    pose = catalogue[labels.pose]
    check = STUDIED[labels.pose][0]
    features = readings_of(pose)
    checker = PoseChecker(pose, also_measure=features)
    torsos: list[float | None] = []  # per frame; None where no one was found
    readings: dict[float, tuple[float, float]] = {}

    frames: list[PoseFrame] = []

    def watch(frame: PoseFrame, verdict: Verdict) -> None:
        if keep is not None:
            frames.append(frame)
        torsos.append(traced_torso_px(frame))
        if verdict.in_position and verdict.status in ("good", "mistake"):
            readings[round(verdict.timestamp, 3)] = (verdict.features.get(features[0], math.nan),
                                                     verdict.features.get(features[1], math.nan))

    outcome = regress.run_clip(labels, pose, from_landmarks=False, picture=lambda rgb: change(rgb, rng),
                               checker=checker, watch=watch)
    if keep is not None:
        kept_recording(keep, condition, labels, frames)
    c = next(c for c in outcome.checks if c.check == check)
    seen = [t for t in torsos if t is not None]
    found = len(seen) / len(torsos) if torsos else 0.0
    torso = float(np.median(seen)) if seen else math.nan
    neutral = neutral_learned_at(checker, check)
    return Run(video.name, labels.pose, condition, c.flagged, c.false_alarm_s, c.onset_error_s,
               outcome.in_position_s, neutral, found, torso, entered_at(checker.events, neutral), readings)


def kept_recording(keep: Path, condition: str, labels: ClipLabels, frames: list[PoseFrame]) -> Path:
    """Save one run's pose frames as `keep/<condition>/<clip>.landmarks.npz` (the condition's name
    with dashes for spaces), with the clip's labels copied beside them; returns the folder."""
    folder = keep / condition.replace(" ", "-")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(labels.path, folder / labels.path.name)
    rec = folder / labels.path.name.replace(".labels.json", ".landmarks.npz")
    write_recording(rec, frames, {"source": f"{labels.path.name} under {condition}"})
    return folder


def neutral_learned_at(checker: PoseChecker, check: str) -> float | None:
    """When `check` first learned or adopted the person's own neutral, from the checker's events
    (None: never)."""
    return min((e.timestamp for e in checker.events if e.kind == "neutral_learned" and e.check == check),
               default=None)


def entered_at(events: Iterable[Event], before: float | None) -> float | None:
    """From a checker's events: when the person last came into position at or before `before`;
    with `before` None, when they first did (None: never)."""
    entered = [e.timestamp for e in events if e.kind == "position_entered"]
    if before is not None:
        entered = [t for t in entered if t <= before + 1e-9][-1:]
    return entered[0] if entered else None


def _conditions_of(runs: list[Run]) -> list[str]:
    """The conditions the runs were made under, in the order first run."""
    return list(dict.fromkeys(r.condition for r in runs))


def _groups(runs: list[Run]) -> Iterator[tuple[str, str, list[Run]]]:
    """The runs of each stretch under each condition, in table order (empty groups left out)."""
    for stretch in STUDIED:
        for condition in _conditions_of(runs):
            rs = [r for r in runs if r.stretch == stretch and r.condition == condition]
            if rs:
                yield stretch, condition, rs


SEEN_HEAD = "person found (frames) | torso in the traced mask (px, median)"


def _seen(rs: list[Run]) -> str:
    """The table cells of how well the person was seen: the share of frames they were found in,
    and the median of the runs' median torso lengths in the traced mask."""
    torsos = [r.torso_px for r in rs if not math.isnan(r.torso_px)]
    return (f"{100.0 * statistics.fmean(r.found_share for r in rs):.0f}% | "
            f"{cell(statistics.median(torsos) if torsos else None, '.0f')}")


def _learning(rs: list[Run]) -> str:
    """The table cell of how long the neutral took to learn: the median and the longest time from
    coming into position, and how many of the runs that came into position learned none."""
    waits = [w for r in rs if (w := r.learning_s) is not None]
    none = sum(r.entered_s is not None and r.neutral_s is None for r in rs)
    cell_text = f"{statistics.median(waits):.1f} / {max(waits):.1f}" if waits else "-"
    return cell_text + (f"; none in {none}" if none else "")


def flat_rows(runs: list[Run]) -> list[str]:
    lines = [f"| stretch | condition | {SEEN_HEAD} | neutral learned, s in position: median / longest | "
             "flat backs flagged | seconds flagged / in position |",
             "|---|---|---|---|---|---|---|"]
    for stretch, condition, rs in _groups(runs):
        n = sum(r.flagged for r in rs)
        lines.append(f"| {stretch} | {condition} | {_seen(rs)} | {_learning(rs)} | {n} of {len(rs)} | "
                     f"{sum(r.false_alarm_s for r in rs):.1f} / {sum(r.in_position_s for r in rs):.0f} |")
    return lines


def mistake_rows(runs: list[Run]) -> list[str]:
    lines = [f"| stretch | condition | {SEEN_HEAD} | mistakes caught | median onset after 15 deg (s) "
             "| latest (s) |", "|---|---|---|---|---|---|---|"]
    for stretch, condition, rs in _groups(runs):
        onsets = [r.onset_s for r in rs if r.onset_s is not None]
        caught = sum(r.flagged for r in rs)
        median = f"{statistics.median(onsets):+.2f}" if onsets else "-"
        latest = f"{max(onsets):+.2f}" if onsets else "-"
        lines.append(f"| {stretch} | {condition} | {_seen(rs)} | {caught} of {len(rs)} | {median} "
                     f"| {latest} |")
    return lines


def missed_clips(runs: list[Run]) -> list[str]:
    """The mistakes not caught (no flag within regress's tolerance of their must-flag frames)
    under some condition, each with when its own neutral was learned, its seconds in position, and
    the share of frames a person was found in where that was not all of them."""
    missed = [r for r in runs if not r.flagged]
    if not missed:
        return ["Every mistake is caught under every condition."]

    def why(r: Run) -> str:
        learned = "no neutral learned" if r.neutral_s is None else f"neutral learned at {r.neutral_s:.1f} s"
        found = "" if r.found_share >= 1.0 else f"; person found in {100.0 * r.found_share:.0f}% of frames"
        return f" ({learned}; in position {r.in_position_s:.1f} s{found})"

    return ["Not caught:", "", *(f"- {r.clip.removesuffix('.mp4')}: {r.condition}{why(r)}"
                                    for r in sorted(missed, key=lambda r: (r.clip, r.condition)))]


def flagged_clips(runs: list[Run], conditions: Iterable[str] = CONDITIONS) -> list[str]:
    """The flat backs flagged under some condition, with their seconds under each of `conditions`
    (a column each)."""
    conditions = list(conditions)
    by_clip: dict[str, dict[str, float]] = {}
    for r in runs:
        by_clip.setdefault(r.clip, {})[r.condition] = r.false_alarm_s
    flagged = {c: v for c, v in by_clip.items() if any(s > 0 for s in v.values())}
    if not flagged:
        return ["No flat back is flagged under any condition."]
    lines = ["| clip | " + " | ".join(conditions) + " |", "|---|" + "---|" * len(conditions)]
    for clip, v in sorted(flagged.items()):
        lines.append(f"| {clip.removesuffix('.mp4')} | "
                     + " | ".join(f"{v[c]:.1f}" if c in v else "-" for c in conditions) + " |")
    return lines


def study(argv: list[str] | None, conditions: dict[str, Condition], title: str, doc: str,
          script: str) -> int:
    """The command line of a study of the lumbar checks under `conditions`: run every clip of the
    given folders under each, and print (and keep) the tables under `title`, with the text of
    `doc` after its first paragraph, up to its POINTER to SCORING, then SCORING. `script`: the
    tool's path, for the line saying how the file was made."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("sets", nargs="*", type=Path, help="folders of correct holds (mp4 + labels)")
    ap.add_argument("--sessions", nargs="*", type=Path, default=[], help="folders of sessions-style clips")
    ap.add_argument("--only", help="one stretch id (hamstring_stretch, hip_flexor_stretch, glute_stretch)")
    ap.add_argument("--keep", type=Path, help="save every run's pose frames here, one folder "
                    "per condition, as landmark recordings beside the clips' labels")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    quiet_native_logs()
    catalogue = load_catalogue()

    def runs_of(dirs: list[Path], what: str) -> list[Run]:
        videos = [v for d in dirs for v in sorted(d.glob("*.mp4"))
                  if args.only is None or v.name.startswith(args.only)]
        jobs = [(v, c) for v in videos for c in conditions]
        out = []
        for video, condition in tqdm(jobs, desc=what, unit="run"):
            r = run_clip(video, condition, catalogue, conditions, keep=args.keep)
            if r is not None:
                out.append(r)
        return out

    flat, mistakes = runs_of(args.sets, "flat backs"), runs_of(args.sessions, "mistakes")
    command = " ".join(["python", script, *map(str, args.sets)])
    if args.sessions:
        command += " --sessions " + " ".join(map(str, args.sessions))
    if args.only:
        command += f" --only {args.only}"
    lines = heading(title, command, args.out)
    described = doc.split("\n\n", 1)[1].split(POINTER, 1)[0].strip()
    lines += [described + "\n" + SCORING, ""]
    if flat:
        lines += ["## Flat backs (must stay silent)", "", *flat_rows(flat), "",
                  *flagged_clips(flat, conditions), ""]
    if mistakes:
        lines += ["## Mistakes (must be flagged)", "", *mistake_rows(mistakes), "",
                  *missed_clips(mistakes), ""]
    return emit(lines, args.out)


def main(argv: list[str] | None = None) -> int:
    return study(argv, CONDITIONS, "The lumbar checks through a poor camera", __doc__ or "",
                 "tools/camera_quality_study.py")


if __name__ == "__main__":
    sys.exit(main())
