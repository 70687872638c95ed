"""Command line: `posecheck analyze | extract | poses`.

Exit codes (also in the README):
  0  success
  1  unexpected internal error (a bug: please report it)
  2  bad command-line usage
  3  the video or landmark file cannot be read
  4  a pose file is invalid, or the pose id is unknown
  5  no person was found in the video
  6  a person was found but could never be judged (wrong camera angle, out of frame)
  7  `regress`: a result got worse than the committed baseline
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from posecheck import __version__
from posecheck.errors import PosecheckError
from posecheck.estimators.base import quiet_native_logs

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE = 0, 1, 2


class _Bar:
    """A tqdm progress bar fed (done, total) pairs; silent with --quiet."""

    def __init__(self, desc: str, enabled: bool, unit: str = "frame") -> None:
        from tqdm import tqdm

        self._bar = tqdm(desc=desc, unit=unit, disable=not enabled, dynamic_ncols=True, leave=False)

    def __call__(self, done: int, total: int) -> None:
        if total and self._bar.total != total and total >= done:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        self._bar.close()


def _cmd_analyze(args: argparse.Namespace) -> int:
    from posecheck.analysis import Outputs, analyze
    from posecheck.poses import pose_by_id
    from posecheck.sinks.report import text_summary

    if (args.pose is None) == (args.routine is None):
        print("posecheck analyze: give --pose (a stretch id, or auto) or --routine (a routine id), "
              "not both and not neither.", file=sys.stderr)
        return 2
    pose = None if args.pose in (None, "auto") else pose_by_id(args.pose, args.poses_dir)
    if pose is None and args.side != "auto":
        print("posecheck analyze: --side needs one stretch (--pose ID); a recognised stretch finds its "
              "own working side.", file=sys.stderr)
        return 2
    catalogue = None
    if pose is None:
        from posecheck.poses import load_catalogue

        catalogue = load_catalogue(args.poses_dir)
        if args.routine is not None:
            from posecheck.routines import load_routines
            from posecheck.routines.player import step_stretches

            routines = load_routines(catalogue, args.routines_dir)
            if args.routine not in routines:
                from posecheck.errors import RoutineDefinitionError

                raise RoutineDefinitionError(f"unknown routine {args.routine!r}; known routines: "
                                             f"{', '.join(sorted(routines))}")
            catalogue = step_stretches(routines[args.routine], catalogue)
    side = None if args.side == "auto" else args.side
    from posecheck.batch import expand

    videos = expand(args.video)
    if not videos:
        print(f"posecheck analyze: no videos or recordings found in {' '.join(args.video)}.", file=sys.stderr)
        return 3
    if len(videos) > 1 or args.jobs is not None or args.out_dir is not None:
        return _analyze_batch(args, videos, pose, catalogue)
    outputs = Outputs(json=args.json, csv=args.csv, annotated=args.annotated)
    video = videos[0]
    bar = _Bar(f"Analysing {video.name}", not args.quiet)
    try:
        result = analyze(video, pose, side=side, outputs=outputs, progress=bar,
                         backend=args.backend, task_file=args.task_file, keep_verdicts=False,
                         catalogue=catalogue, stride=args.stride, max_side=args.max_side)
    finally:
        bar.close()
    print(text_summary(result.report))
    for label, path in (("JSON report", args.json), ("CSV features", args.csv),
                        ("annotated video", args.annotated)):
        if path:
            print(f"Wrote {label}: {path}")
    return EXIT_OK


def _analyze_batch(args: argparse.Namespace, videos: list[Path], pose: object,
                   catalogue: object) -> int:
    """Several files: a worker process each, one progress bar, a summary table; exit code of the
    first file that failed (0 when every file was analysed)."""
    from posecheck.batch import run_batch, table

    if args.json or args.csv or args.annotated or args.side != "auto":
        print("posecheck analyze: with several files use --out-dir (a JSON report per file and "
              "summary.json); --json, --csv, --annotated and --side are for one file.", file=sys.stderr)
        return 2
    bar = _Bar(f"Analysing {len(videos)} files", not args.quiet, unit="file")
    try:
        rows = run_batch(videos, pose, catalogue, jobs=args.jobs, out_dir=args.out_dir,  # type: ignore[arg-type]
                         progress=bar, options={"backend": args.backend, "task_file": args.task_file,
                                                "stride": args.stride, "max_side": args.max_side})
    finally:
        bar.close()
    print(table(rows))
    if args.out_dir:
        print(f"Wrote a JSON report per file and summary.json to {args.out_dir}")
    return next((r.exit_code for r in rows if r.exit_code), 0)


def _cmd_extract(args: argparse.Namespace) -> int:
    from posecheck.analysis import extract

    bar = _Bar(f"Extracting {Path(args.video).name}", not args.quiet)
    try:
        n = extract(args.video, args.output, segmentation=not args.no_mask, backend=args.backend,
                    task_file=args.task_file, progress=bar)
    finally:
        bar.close()
    print(f"Wrote {n} frames of landmarks to {args.output}")
    return EXIT_OK


def _cmd_poses(args: argparse.Namespace) -> int:
    from posecheck.poses import load_catalogue, load_pose

    if args.check:
        for path in args.check:
            pose = load_pose(path)
            target = f"{pose.reps.target} reps" if pose.reps else f"hold {pose.hold.seconds:g} s"
            print(f"{path}: OK ({pose.id}: {len(pose.checks)} checks, {'/'.join(pose.camera.views)} view, "
                  f"{target})")
        return EXIT_OK
    catalogue = load_catalogue(args.poses_dir)
    width = max(len(p) for p in catalogue) if catalogue else 10
    for pose in catalogue.values():
        checks = ", ".join(c.id for c in pose.checks) or ("counts reps" if pose.reps else "timer only")
        views = "+".join(pose.camera.views)
        if pose.reps is None:
            target = f"hold {pose.hold.seconds:>4g} s"
        elif pose.reps.per_direction_s:
            target = f"{pose.reps.per_direction_s:g} s each way"
        else:
            target = f"{pose.reps.target:>3} reps"
        print(f"{pose.id:<{width}}  {views:<10} {target:<12} {checks}")
    return EXIT_OK


def _cmd_routines(args: argparse.Namespace) -> int:
    from posecheck.poses import load_catalogue
    from posecheck.routines import load_routine, load_routines

    catalogue = load_catalogue(args.poses_dir)
    if args.check:
        for path in args.check:
            routine = load_routine(path, catalogue)
            print(f"{path}: OK ({routine.id}: {len(routine.steps)} steps)")
        return EXIT_OK
    for routine in load_routines(catalogue, args.routines_dir).values():
        print(f"{routine.id}: {routine.name} ({routine.source})")
        for n, step in enumerate(routine.steps, start=1):
            pose = catalogue[step.pose]
            print(f"  {n}. {pose.name}: {step.target_text(pose)}")
    return EXIT_OK


def _cmd_regress(args: argparse.Namespace) -> int:
    from posecheck import regress

    if args.max_side and args.from_landmarks:
        print("posecheck regress: --max-side shrinks the video before the pose model; recorded landmarks "
              "have no pictures to shrink. Leave out --from-landmarks.", file=sys.stderr)
        return 2

    bar = _Bar("Judging samples", not args.quiet, unit="clip")
    try:
        outcomes = regress.run(args.samples, from_landmarks=args.from_landmarks, progress=bar,
                               stride=args.stride, max_side=args.max_side)
    finally:
        bar.close()
    if not outcomes:
        print(f"posecheck: no *.labels.json files under {args.samples}.", file=sys.stderr)
        return 3
    current = regress.metrics(outcomes)
    table = regress.markdown(outcomes, current)
    print(table)
    if args.report:
        mode = "from recorded landmarks" if args.from_landmarks else "with pose inference"
        args.report.write_text(f"# Regression report\n\n{len(outcomes)} clips under `{args.samples}`, "
                               f"judged {mode}.\n\n{regress.__doc__}\n\n{table}\n", encoding="utf-8")
    baseline = args.baseline or args.samples / "regress_baseline.json"
    if args.update_baseline:
        regress.save_baseline(baseline, current)
        print(f"Baseline written to {baseline}")
        return EXIT_OK
    if baseline.exists():
        worse = regress.compare(current, json.loads(baseline.read_text(encoding="utf-8")))
        if worse:
            print("\nWorse than the baseline:", *worse, sep="\n  ", file=sys.stderr)
            return 7
        print(f"\nNothing worse than the baseline ({baseline}).")
    return EXIT_OK


def _whole_number(minimum: int, unit: str, too_small: str) -> Callable[[str], int]:
    """An argparse type: a whole number of `unit` (for the message) no smaller than `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number{unit}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(too_small)
        return value

    return parse


_stride = _whole_number(1, "", "must be 1 (every frame) or more")
# the pose model itself looks at 256x256: below 64 pixels there is nothing left to see
_max_side = _whole_number(64, " of pixels", "must be at least 64 pixels (480 or 640 are sensible)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posecheck",
                                     description="Form coach for back-pain relief stretches.")
    parser.add_argument("--version", action="version", version=f"posecheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    common.add_argument("--backend", choices=("mediapipe", "tasks"), default="mediapipe",
                        help="pose estimator (default: MediaPipe's bundled Full model, offline)")
    common.add_argument("--task-file", help="a pose_landmarker .task file, for --backend tasks")

    a = sub.add_parser("analyze", parents=[common], help="judge a recorded video against a stretch",
                       description="Judge a video (or a .landmarks.npz recording) against one stretch.")
    a.add_argument("video", nargs="+",
                   help="video file (mp4, mov, m4v, webm, avi, mkv) or .landmarks.npz recording; several "
                        "files, folders or glob patterns analyse them all (see --jobs, --out-dir)")
    a.add_argument("--stride", type=_stride, default=1,
                   help="judge every Nth frame only, for slow machines (the accuracy it costs: "
                        "`posecheck regress --stride N`)")
    a.add_argument("--max-side", type=_max_side, metavar="PIXELS",
                   help="shrink each frame so its longer side is at most this many pixels before "
                        "judging it (e.g. 480), for slow machines; the annotated video is written at "
                        "that size (the accuracy it costs: `posecheck regress --max-side N`)")
    a.add_argument("--jobs", type=int, help="worker processes for several files (default: one per CPU)")
    a.add_argument("--out-dir", type=Path, help="for several files: write a JSON report per file and "
                                                "summary.json here")
    a.add_argument("--pose",
                   help="stretch id (see `posecheck poses`), a pose .yaml file, or `auto` to recognise "
                        "which catalogue stretch is being done (and when it changes)")
    a.add_argument("--routine",
                   help="a routine id (see `posecheck routines`): recognise its stretches in a recorded "
                        "session and judge each against the routine's hold or reps")
    a.add_argument("--routines-dir", type=Path, help="folder of routine files (default: routines/)")
    a.add_argument("--side", choices=("auto", "left", "right"), default="auto",
                   help="working side; auto detects it (default)")
    a.add_argument("--json", type=Path, help="write the JSON report here")
    a.add_argument("--csv", type=Path, help="write per-frame features here")
    a.add_argument("--annotated", type=Path, help="write an annotated H.264 mp4 here")
    a.add_argument("--poses-dir", type=Path, help="folder of pose files (default: poses/)")
    a.set_defaults(func=_cmd_analyze)

    e = sub.add_parser("extract", parents=[common],
                       help="record landmarks so checks re-run without inference")
    e.add_argument("video")
    e.add_argument("-o", "--output", required=True, type=Path, help="output .landmarks.npz file")
    e.add_argument("--no-mask", action="store_true", help="do not record the person mask")
    e.set_defaults(func=_cmd_extract)

    r = sub.add_parser("regress", help="judge labelled samples and compare with the known truth")
    r.add_argument("samples", type=Path, help="folder of clips with *.labels.json")
    r.add_argument("--from-landmarks", action="store_true",
                   help="replay recorded .landmarks.npz files instead of running the model")
    r.add_argument("--report", type=Path, help="write the tables as Markdown here")
    r.add_argument("--baseline", type=Path, help="baseline JSON (default: SAMPLES/regress_baseline.json)")
    r.add_argument("--update-baseline", action="store_true", help="save these results as the baseline")
    r.add_argument("--stride", type=_stride, default=1,
                   help="judge every Nth frame only (what `analyze --stride N` costs in accuracy)")
    r.add_argument("--max-side", type=_max_side, metavar="PIXELS",
                   help="shrink each frame to this longer side before inference (what `analyze "
                        "--max-side N` costs in accuracy; not with --from-landmarks)")
    r.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_regress)

    rt = sub.add_parser("routines", help="list the guided routines, or validate routine files")
    rt.add_argument("--check", nargs="+", metavar="FILE", help="validate these routine files")
    rt.add_argument("--poses-dir", type=Path, help="folder of pose files (default: poses/)")
    rt.add_argument("--routines-dir", type=Path, help="folder of routine files (default: routines/)")
    rt.set_defaults(func=_cmd_routines)

    p = sub.add_parser("poses", help="list the stretches, or validate pose files")
    p.add_argument("--check", nargs="+", metavar="FILE", help="validate these pose files")
    p.add_argument("--poses-dir", type=Path, help="folder of pose files (default: poses/)")
    p.set_defaults(func=_cmd_poses)
    return parser


def main(argv: list[str] | None = None) -> int:
    quiet_native_logs()  # before anything imports MediaPipe
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "output", None) and not str(args.output).endswith(".npz"):
        parser.error("the landmark file must end in .npz (e.g. clip.landmarks.npz)")
    try:
        return int(args.func(args))
    except PosecheckError as exc:
        print(f"posecheck: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  {exc.hint}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("posecheck: interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
