"""Measure each check's feature against the labelled severity and derive its thresholds.

For every labelled clip with a landmark recording, run the pose's checker, take the smoothed
feature value the check reads in each in-position frame, and pair it with that frame's labelled
severity (degrees set on the skeleton). A least-squares line feature = a + b * severity then gives:
  flag threshold  = the feature at the "must flag" severity  (MUST_FLAG_DEG)
  clear threshold = the feature at the "must stay silent" severity (SILENT_DEG)
Results are printed as a Markdown table (kept in docs/measurements/).

It also measures MediaPipe's keypoint error against the rendered ground truth (pixels, per pose
and camera yaw), and lists every threshold in poses/ beside its measurement.

Usage: python tools/calibrate.py samples/synth --out docs/accuracy.md
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.checker import PoseChecker
from posecheck.labels import load_labels
from posecheck.poses import load_catalogue
from posecheck.regress import MUST_FLAG_DEG, SILENT_DEG  # the same boundaries the regress run scores
from posecheck.sources.recording import RecordingSource

CATALOGUE = load_catalogue()


def collect(root: Path) -> dict[tuple[str, str], list[tuple[float, float, str]]]:
    """(pose, check) -> [(severity, feature value, clip name)] over all in-position frames."""
    pairs: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for label_path in sorted(root.rglob("*.labels.json")):
        rec_path = label_path.with_name(label_path.name.replace(".labels.json", ".landmarks.npz"))
        if not rec_path.exists():
            continue
        labels = load_labels(label_path)
        pose = CATALOGUE.get(labels.pose)
        if pose is None:  # a clip for a pose this checkout does not define
            continue
        checker = PoseChecker(pose, side=labels.side)  # type: ignore[arg-type]
        for i, frame in enumerate(RecordingSource(rec_path)):
            verdict = checker.update(frame)
            if not verdict.in_position or i >= len(labels.frame_severity):
                continue
            for status in verdict.checks:
                if math.isnan(status.value):
                    continue
                sev = labels.severity_at(i, status.id)
                pairs[(pose.id, status.id)].append((sev, status.value, label_path.stem))
    return pairs


def table(pairs: dict[tuple[str, str], list[tuple[float, float, str]]]) -> str:
    rows = ["| pose | check | frames | clips | severity range (deg) | slope per deg | r | "
            f"feature at {SILENT_DEG:g} deg | feature at {MUST_FLAG_DEG:g} deg | correct-form 1%-99% | "
            "thresholds in poses/ |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for (pose_id, check_id), data in sorted(pairs.items()):
        sev = np.array([d[0] for d in data])
        val = np.array([d[1] for d in data])
        clips = len({d[2] for d in data})
        check = CATALOGUE[pose_id].check(check_id)
        current = f"flag {check.enter:g} / clear {check.exit:g}"
        ok = val[sev <= SILENT_DEG]
        spread = (f"{np.percentile(ok, 1):.3g} to {np.percentile(ok, 99):.3g}" if len(ok) else "-")
        if np.ptp(sev) < 1e-6:
            rows.append(f"| {pose_id} | {check_id} | {len(sev)} | {clips} | {sev.min():.0f} (no ramp) "
                        f"| - | - | mean {val.mean():.3g} ± {val.std():.2g} | - | {spread} | {current} |")
            continue
        slope, intercept = np.polyfit(sev, val, 1)
        r = float(np.corrcoef(sev, val)[0, 1])
        rows.append(f"| {pose_id} | {check_id} | {len(sev)} | {clips} | {sev.min():.0f}-{sev.max():.0f} | "
                    f"{slope:.3g} | {r:.2f} | {intercept + slope * SILENT_DEG:.3g} | "
                    f"{intercept + slope * MUST_FLAG_DEG:.3g} | {spread} | {current} |")
    return "\n".join(rows)


def keypoint_error(root: Path) -> str:
    """Median and 90th-percentile pixel error of MediaPipe against the labels' projected keypoints."""
    from posecheck.landmarks import INDEX

    errors: dict[tuple[str, str], list[float]] = defaultdict(list)
    for label_path in sorted(root.rglob("*.labels.json")):
        rec_path = label_path.with_name(label_path.name.replace(".labels.json", ".landmarks.npz"))
        if not rec_path.exists():
            continue
        labels = load_labels(label_path)
        view = "side-on" if labels.yaw_deg < 10 else "10-25 deg off"
        for i, frame in enumerate(RecordingSource(rec_path)):
            if frame.landmarks is None or i >= len(labels.keypoints):
                continue
            for name, (x, y) in labels.keypoints[i].items():
                if name in INDEX:
                    px, py = frame.landmarks.image[INDEX[name], :2]
                    errors[(labels.pose, view)].append(float(np.hypot(px - x, py - y)))
    rows = ["| pose | view | keypoints | median error (px) | 90th percentile (px) |", "|---|---|---|---|---|"]
    for (pose, view), errs in sorted(errors.items()):
        e = np.array(errs)
        rows.append(f"| {pose} | {view} | {len(e)} | {np.median(e):.1f} | {np.percentile(e, 90):.1f} |")
    return "\n".join(rows)


def thresholds(measured: set[tuple[str, str]]) -> str:
    """Every threshold in poses/, and whether any labelled clip measures it."""
    rows = ["| pose | check | feature | flag | clear | min duration (s) | severity | measured on clips |",
            "|---|---|---|---|---|---|---|---|"]
    for pose in CATALOGUE.values():
        for c in pose.checks:
            feature = f"{c.limb} {c.feature}" if c.limb else c.feature
            op = ">" if c.rising else "<"
            back = "<" if c.rising else ">"
            seen = "yes" if (pose.id, c.id) in measured else "**no: unvalidated**"
            rows.append(f"| {pose.id} | {c.id} | {feature} | {op} {c.enter:g} | {back} {c.exit:g} | "
                        f"{c.min_duration_s:g} | {c.severity} | {seen} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    pairs = collect(args.root)
    text = table(pairs)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        intro = (Path(__file__).with_name("accuracy_intro.md").read_text(encoding="utf-8")
                 if Path(__file__).with_name("accuracy_intro.md").exists() else "")
        args.out.write_text(
            f"# Accuracy report\n\nGenerated by `python tools/calibrate.py {args.root} --out {args.out}` "
            f"over every labelled clip that has a landmark recording.\n\n{intro}\n"
            f"## Thresholds in poses/\n\n{thresholds(set(pairs))}\n\n"
            f"## Features against labelled severity\n\nA line feature = a + b * severity is fitted over "
            f"in-position frames. A mistake of {MUST_FLAG_DEG:g} deg must be flagged; one of "
            f"{SILENT_DEG:g} deg must not. Rows without a ramp show the feature on correct form.\n\n"
            f"{text}\n\n## MediaPipe keypoints against the rendered truth\n\n{keypoint_error(args.root)}\n",
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
