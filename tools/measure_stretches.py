"""What the features read on each stretch's labelled clips, whether or not the checker is in position.

For every pose named (default: all with clips), every clip with a recording is replayed through
the pose's checker with the labelled working side. Over the labelled in-position frames it prints,
per feature the pose file reads (position conditions, checks, reps): the 1st, 50th and 99th
percentile on correct-form clips, and the median at each hold severity (a multiple of 5 deg)
of each mistake. It
also gives the share of labelled in-position time the checker's position gate was open. These
are the numbers the pose files' levels are set from (docs/measurements/stretches.md keeps them).

    python tools/measure_stretches.py samples/synth [pose ...] \
        [--out docs/measurements/stretches.md]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.checker import PoseChecker
from posecheck.features.catalogue import limb_feature
from posecheck.labels import load_labels
from posecheck.poses import load_catalogue
from posecheck.poses.schema import PoseDefinition
from posecheck.sources.recording import RecordingSource


def read_features(pose: PoseDefinition) -> list[tuple[str, str, str | None]]:
    """(role, feature, limb) for everything the pose file reads."""
    out = [("position", c.feature, c.limb) for c in pose.position.when]
    out += [(f"check {c.id}", c.feature, c.limb) for c in pose.checks]
    if pose.reps is not None:
        out.append(("reps", pose.reps.feature, None))
        if pose.reps.direction_feature:
            out.append(("reps direction", pose.reps.direction_feature, None))
    return out


def key(feature: str, limb: str | None) -> str:
    return f"{limb} {feature}" if limb else feature


def clip_rows(labels_path: Path, pose: PoseDefinition) -> tuple[str, list[dict[str, float]], float, float]:
    """(clip kind, rows, gate-open s, in-position s): a row per labelled in-position frame with
    each feature read (per-leg ones for the labelled working side) and "_sev:<check>" severities."""
    npz = labels_path.with_name(labels_path.name.replace(".labels.json", ".landmarks.npz"))
    labels = load_labels(labels_path)
    spans = [(float(p["start_s"]), float(p["end_s"]))
             for p in json.loads(labels_path.read_text()).get("in_position", [])]
    checker = PoseChecker(pose, side=labels.side if labels.side in ("left", "right") else None)  # type: ignore[arg-type]
    rows: list[dict[str, float]] = []
    gate_s = total_s = 0.0
    prev: float | None = None
    for i, frame in enumerate(RecordingSource(npz)):
        v = checker.update(frame)
        t = frame.timestamp
        dt = 0.0 if prev is None else t - prev
        prev = t
        if not any(a <= t <= b for a, b in spans):
            continue
        total_s += dt
        gate_s += dt if v.in_position else 0.0
        row = dict(v.features)
        for _, feature, limb in read_features(pose):
            if limb:
                name = limb_feature(feature, limb, labels.side) or ""
                row[key(feature, limb)] = v.features.get(name, math.nan)
        if i < len(labels.frame_severity):
            for check, sev in labels.frame_severity[i].items():
                row[f"_sev:{check}"] = sev
        rows.append(row)
    name = labels_path.name
    kind = "correct" if "__correct" in name else "reps" if "__reps" in name else "mistake"
    return kind, rows, gate_s, total_s


def pct(values: list[float]) -> str:
    v = [x for x in values if not math.isnan(x)]
    if not v:
        return "-"
    p1, p50, p99 = np.percentile(v, [1, 50, 99])
    return f"{p1:.3g} / {p50:.3g} / {p99:.3g}"


def report(root: Path, poses: list[str]) -> str:
    catalogue = load_catalogue()
    lines = []
    by_pose: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(root.glob("*.labels.json")):
        if path.with_name(path.name.replace(".labels.json", ".landmarks.npz")).exists():
            by_pose[json.loads(path.read_text())["pose"]].append(path)
    for pose_id in poses or sorted(by_pose):
        pose = catalogue[pose_id]
        correct: list[dict[str, float]] = []
        mistakes: dict[str, dict[float, list[dict[str, float]]]] = defaultdict(lambda: defaultdict(list))
        gate = {"correct": [0.0, 0.0], "mistake": [0.0, 0.0], "reps": [0.0, 0.0]}
        for path in by_pose.get(pose_id, []):
            kind, rows, g, tot = clip_rows(path, pose)
            gate[kind][0] += g
            gate[kind][1] += tot
            if kind in ("correct", "reps"):
                correct += rows
            for r in rows:
                for k, sev in r.items():
                    # the hold plateaus (5, 15, 25, 30 ...); a ramp's frames in between are left out
                    if k.startswith("_sev:") and sev > 0 and abs(sev - 5 * round(sev / 5)) < 0.01:
                        mistakes[k[5:]][round(sev)].append(r)
        lines.append(f"### {pose_id}\n")
        shares = ", ".join(f"{k} {100 * g / t:.0f}% of {t:.1f} s" for k, (g, t) in gate.items() if t)
        lines.append(f"Position gate open (of labelled in-position time): {shares}\n")
        lines.append("| reads | feature | correct form p1 / p50 / p99 | median at labelled severity |")
        lines.append("|---|---|---|---|")
        for role, feature, limb in read_features(pose):
            k = key(feature, limb)

            def vals(rows: list[dict[str, float]], k: str = k) -> list[float]:
                return [r.get(k, math.nan) for r in rows]

            per_sev = []
            for check, by_sev in sorted(mistakes.items()):
                meds = []
                for sev, rows in sorted(by_sev.items()):
                    v = [x for x in vals(rows) if not math.isnan(x)]
                    if v:
                        meds.append(f"{sev}: {np.median(v):.3g}")
                if meds:
                    per_sev.append(f"{check} ({', '.join(meds)})")
            lines.append(f"| {role} | {f'{limb} ' if limb else ''}{feature} | {pct(vals(correct))} | "
                         f"{'; '.join(per_sev) or '-'} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("poses", nargs="*")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    text = report(args.folder, args.poses)
    print(text)
    if args.out:
        args.out.write_text(f"<!-- python tools/measure_stretches.py {args.folder} "
                            f"{' '.join(args.poses)} -->\n\n{text}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
