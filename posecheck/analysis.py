"""Recorded-video analysis: wire a source, an estimator, a checker and the chosen sinks together."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from posecheck.checker.checker import PoseChecker
from posecheck.checker.events import Verdict
from posecheck.errors import NoPersonFound, UnsuitableInput
from posecheck.estimators import PoseEstimator, make_estimator
from posecheck.frames import ImageFrame, PoseFrame
from posecheck.landmarks import Side
from posecheck.poses.schema import PoseDefinition
from posecheck.recognition.coach import AutoCoach
from posecheck.sinks.csv_features import FeatureCSV, RecognitionCSV
from posecheck.sinks.report import TimelineSpool, build_auto_report, build_report
from posecheck.sources.recording import RecordingSource, write_recording
from posecheck.sources.video import VideoFileSource, scaled_size
from posecheck.stages import Background, Prefetch

Progress = Callable[[int, int], None]  # (frames done, frames expected or 0)
Item = TypeVar("Item")


@dataclass
class Outputs:
    """Where to write results; every field is optional."""

    json: Path | None = None
    csv: Path | None = None
    annotated: Path | None = None


@dataclass
class AnalysisResult:
    report: dict[str, Any]
    verdicts: list[Verdict] = field(default_factory=list)


def is_recording(path: str | Path) -> bool:
    return str(path).endswith(".npz")


def estimate_frames(video: Iterable[ImageFrame], estimator: PoseEstimator
                    ) -> Iterator[tuple[ImageFrame, PoseFrame]]:
    """Run the estimator over every decoded frame, yielding the image with its pose."""
    for image in video:
        yield image, estimator.estimate(image)


def _every_nth(items: Iterable[Item], stride: int, pose_of: Callable[[Item], PoseFrame]
               ) -> Iterator[tuple[Item, PoseFrame | None]]:
    """Each item with its pose, worked out for every `stride`-th item only (None for the others,
    whose images are still drawn)."""
    for n, item in enumerate(items):
        yield item, (pose_of(item) if n % stride == 0 else None)


def extract(video_path: str | Path, out_path: str | Path, *, segmentation: bool = True,
            backend: str = "mediapipe", task_file: str | None = None,
            progress: Progress | None = None, binary_mask: bool = False) -> int:
    """Record what the estimator sees in a video, so checks can re-run without inference."""
    video = VideoFileSource(video_path)
    estimator = make_estimator(backend, segmentation=segmentation, task_file=task_file)
    done = 0

    def frames() -> Iterator[PoseFrame]:
        nonlocal done
        for _, pose_frame in estimate_frames(video, estimator):
            done += 1
            if progress:
                progress(done, video.info.frame_count)
            yield pose_frame

    try:
        n = write_recording(out_path, frames(), {
            "source": Path(video_path).name, "fps": video.info.fps, "estimator": estimator.name,
            "rotation": video.info.rotation, "segmentation": segmentation, "binary_mask": binary_mask,
        }, binary_mask=binary_mask)
    finally:
        estimator.close()
    return n


def analyze(path: str | Path, pose: PoseDefinition | None, *, side: Side | None = None,
            outputs: Outputs | None = None, progress: Progress | None = None,
            backend: str = "mediapipe", task_file: str | None = None,
            keep_verdicts: bool = True, catalogue: dict[str, PoseDefinition] | None = None,
            stride: int = 1, max_side: int | None = None) -> AnalysisResult:
    """Judge a video file or a landmark recording against one pose; write the requested outputs.

    With `pose` None the stretch is recognised frame by frame among `catalogue` (default: the
    shipped poses) and each recognised stretch is coached by its own checker. `stride` N judges
    every Nth frame only (for slow machines; the annotated video still has every frame). `max_side`
    shrinks video frames so the longer side is at most that many pixels before anything else sees
    them (the annotated video is written at that size too).
    `keep_verdicts` keeps every frame's verdict in memory, for callers that chart them; without it
    memory stays flat however long the video is (the JSON timeline is spooled to a temporary file).
    """
    if stride < 1:
        raise ValueError("stride must be at least 1")
    if max_side is not None and max_side < 64:
        raise ValueError("max_side must be at least 64 pixels")
    outputs = outputs or Outputs()
    coach: AutoCoach | None = None
    if pose is None:
        from posecheck.poses import load_catalogue
        from posecheck.recognition import load_model

        coach = AutoCoach(catalogue or load_catalogue(), load_model())
        checker: PoseChecker | AutoCoach = coach
        csv_sink: FeatureCSV | RecognitionCSV | None = RecognitionCSV(outputs.csv) if outputs.csv else None
    else:
        checker = PoseChecker(pose, side=side)
        csv_sink = FeatureCSV(outputs.csv, pose, checker.feature_names) if outputs.csv else None
    estimator: PoseEstimator | None = None
    decoded: Prefetch[ImageFrame] | None = None
    annotate: Background[_Drawing] | None = None
    verdicts: list[Verdict] = []
    source_info: dict[str, Any] = {"path": str(path)}
    with contextlib.ExitStack() as cleanup:
        # the JSON's timeline, spooled to a temporary file (off the heap) and closed whatever happens
        spool = cleanup.enter_context(TimelineSpool()) if outputs.json else None
        failed = True
        try:
            if is_recording(path):
                recording = RecordingSource(path)
                source_info.update(kind="landmarks", **{k: recording.meta.get(k) for k in ("source", "fps")})
                total = len(recording)
                pairs: Iterator[tuple[ImageFrame | None, PoseFrame | None]] = (
                    (None, pose) for _, pose in _every_nth(recording, stride, lambda f: f))
            else:
                video = VideoFileSource(path, max_side=max_side)
                info = video.info
                width, height = scaled_size(info.width, info.height, max_side)
                source_info.update(kind="video", width=info.width, height=info.height, fps=round(info.fps, 3),
                                   rotation=info.rotation, duration_s=round(info.duration_s, 3))
                if (width, height) != (info.width, info.height):
                    source_info.update(analysed_width=width, analysed_height=height)
                total = info.frame_count
                estimator = make_estimator(backend, segmentation=True, task_file=task_file)
                # Decoding runs ahead on one thread and drawing + encoding trails on another, so that on
                # two cores both hide behind pose inference on this one (bench/analysis_overhead.py).
                decoded = Prefetch(video, depth=4, name="posecheck-decode")
                pairs = _every_nth(decoded, stride, estimator.estimate)
                if outputs.annotated:
                    draw, finish = _annotator(outputs.annotated, width, height, info.fps)
                    annotate = Background(draw, depth=4, name="posecheck-annotate", finish=finish)
            verdict: Verdict | None = None
            drawn: PoseFrame | None = None
            for done, (image, pose_frame) in enumerate(pairs, start=1):
                shown = coach.pose if coach is not None else pose
                if pose_frame is not None:
                    verdict, drawn = checker.update(pose_frame), pose_frame
                    if keep_verdicts:
                        verdicts.append(verdict)
                    if spool is not None:
                        spool.add(verdict)
                    if isinstance(csv_sink, RecognitionCSV):
                        csv_sink.write(verdict, shown.id if shown else "")
                    elif csv_sink:
                        csv_sink.write(verdict)
                if annotate is not None and image is not None and verdict is not None and drawn is not None:
                    annotate.submit(_Drawing(image, drawn, verdict, shown))
                if progress:
                    progress(done, total)
            checker.finish()
            failed = False
        finally:
            _close_all(failed, decoded, annotate, csv_sink, estimator)
        if coach is not None:
            report = build_auto_report(coach, source_info, verdicts if keep_verdicts else None)
        else:
            assert isinstance(checker, PoseChecker)
            report = build_report(checker, source_info, verdicts if keep_verdicts else None)
        if outputs.json and spool is not None:
            from posecheck.sinks.report import write_report

            write_report(outputs.json, report, spool.rows())
    _raise_if_unjudgeable(report)
    return AnalysisResult(report, verdicts)


@dataclass(frozen=True)
class _Drawing:
    """One frame of the annotated video, as handed to the drawing thread."""

    image: ImageFrame
    pose: PoseFrame
    verdict: Verdict
    shown: PoseDefinition | None


def _annotator(path: Path, width: int, height: int, fps: float
               ) -> tuple[Callable[[_Drawing], None], Callable[[], None]]:
    """Draw and encode a frame, and finish the file: both run on the annotating thread."""
    from posecheck.sinks.overlay import draw_overlay
    from posecheck.sinks.video_writer import H264Writer

    writer = H264Writer(path, width, height, fps)

    def work(d: _Drawing) -> None:
        writer.write(draw_overlay(d.image.rgb, d.pose, d.verdict, d.shown), d.image.timestamp)

    return work, writer.close


def _close_all(failed: bool, decoded: Prefetch[ImageFrame] | None, annotate: Background[_Drawing] | None,
               csv_sink: FeatureCSV | RecognitionCSV | None, estimator: PoseEstimator | None) -> None:
    """Stop the threads and close every file, each whatever happened to the others. The first
    error while closing is raised afterwards, unless the analysis had already failed: then the
    error that stopped it is the one that matters, and these are dropped."""
    steps = [s.close for s in (decoded, annotate, csv_sink, estimator) if s is not None]
    first: Exception | None = None
    for step in steps:
        try:
            step()
        except Exception as exc:
            first = first or exc
    if first is not None and not failed:
        raise first


def _raise_if_unjudgeable(report: dict[str, Any]) -> None:
    """Turn an input that never allowed a verdict into a clear error (after outputs are written)."""
    if report["frames"] and report["frames_with_person"] == 0:
        raise NoPersonFound("No person was found in the video.",
                            "Make sure your whole body is in the picture and the room is well lit.")
    if "recognised" in report:
        if not report["recognised"]:
            raise UnsuitableInput("posecheck did not recognise any stretch from its catalogue in this video.",
                                  "Film the whole body from the side (or the front, for the arm "
                                  "stretches), or choose the stretch with --pose.")
        return
    judged = sum(s["in_position_s"] for s in report["sides"].values())
    if judged == 0 and report["guidance_s"]:
        top = next(iter(report["guidance_s"]))
        raise UnsuitableInput("posecheck could not judge this video.", f"Most of the time: {top}")
