"""Train the recognition model on the curated generated clips and write posecheck/recognition/model.json.

Every clip with recorded landmarks under the training folder (default samples/synth) adds its
in-position frames to its class: the stretch plus the variant in its name (the part before "__",
e.g. glute_stretch_seated, hip_flexor_stretch_front). Mistake clips count too: a stretch done
badly is still that stretch. The held-out clips are never read here; score them with
tools/recognition_eval.py.

    python tools/train_recognizer.py [samples/synth] [--out posecheck/recognition/model.json]
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

from posecheck.features.catalogue import FEATURES
from posecheck.labels import load_labels
from posecheck.recognition.model import DEFAULT_MODEL
from posecheck.recognition.vector import NAMES, FrameVector
from posecheck.sources.recording import RecordingSource

# Smallest spread per unit: generated bodies are more alike than people, so a class must not be
# narrower than what real bodies and cameras would add.
MIN_STD = {"deg": 6.0, "torso": 0.08, "cos": 0.1, "lift": 0.15, "m": 0.02, "hip widths": 0.15}
# The generator poses the arms one way per stretch, where people hold them many ways (hands on the
# thigh or hanging in a lunge): arm features get a wider floor, so they tell apart only stretches
# whose arms really differ (wall angels, doorway stretch, all fours) and do not overrule the rest.
ARM_MIN_STD = {"elbow_bend_max": 20.0, "elbow_bend_min": 20.0, "arms_from_vertical": 20.0,
               "arm_raise": 20.0, "forearms_alternation_abs": 0.4}
# the shoulders' rise-and-fall spread: still bodies read ~0.003, full shoulder rolls ~0.045
# Heights in torso lengths follow the body's proportions (legs against trunk), which the few
# bodies of one stretch's clips sample by chance: a wider floor stops two stretches of the same
# shape (standing tall, arms down) being told apart by who happened to do them. Lying against
# standing still differs by about 2 torso lengths.
OTHER_MIN_STD = {"shoulder_lift_motion": 0.01, "hip_height": 0.25, "head_height": 0.25,
                 "shoulder_height": 0.25, "hips_to_heels": 0.25}
REJECT_PERCENTILE = 99.5
REJECT_FACTOR = 4.0


def unit_of(name: str) -> str:
    base = name.removesuffix("_max").removesuffix("_abs")
    for candidate in (name, base, f"left_{base}"):
        if candidate in FEATURES:
            return FEATURES[candidate].unit
    raise KeyError(name)


def in_position(labels_path: Path) -> list[tuple[float, float]]:
    data = json.loads(labels_path.read_text())
    return [(float(p["start_s"]), float(p["end_s"])) for p in data.get("in_position", [])]


def clip_vectors(labels_path: Path) -> tuple[str, str, np.ndarray] | None:
    """(pose, variant, vectors of the in-position frames) for one labelled clip with landmarks."""
    npz = labels_path.with_name(labels_path.name.replace(".labels.json", ".landmarks.npz"))
    if not npz.exists():
        return None
    labels = load_labels(labels_path)
    spans = in_position(labels_path)
    vec = FrameVector()
    rows = []
    for frame in RecordingSource(npz):
        x = vec(frame)
        if x is None or not any(a <= frame.timestamp <= b for a, b in spans):
            continue
        rows.append(x)
    if not rows:
        return None
    variant = labels_path.name.split("__")[0]
    return labels.pose, variant, np.vstack(rows)


def collect(folder: Path) -> dict[tuple[str, str], list[np.ndarray]]:
    groups: dict[tuple[str, str], list[np.ndarray]] = defaultdict(list)
    for path in sorted(folder.glob("*.labels.json")):
        got = clip_vectors(path)
        if got is not None:
            pose, variant, rows = got
            groups[(pose, variant)].append(rows)
    return groups


# Stretches of the same shape that only their movement tells apart: (moves more, moves less, feature).
MOVEMENT_PAIRS = (("shoulder_roll", "shoulder_blade_squeeze", "shoulder_lift_motion"),)


def movement_splits(groups: dict[tuple[str, str], list[np.ndarray]]) -> list[dict[str, object]]:
    """For each look-alike pair: the level halfway between the two stretches' median of the feature."""
    k = NAMES.index
    out = []
    for above, below, feature in MOVEMENT_PAIRS:
        med = {}
        for pose in (above, below):
            rows = [x for (p, _), parts in groups.items() if p == pose for x in parts]
            if not rows:
                break
            med[pose] = float(np.nanmedian(np.vstack(rows)[:, k(feature)]))
        else:
            out.append({"above": above, "below": below, "feature": feature,
                        "split": round((med[above] + med[below]) / 2.0, 4)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", default="samples/synth", type=Path)
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    args = ap.parse_args(argv)
    groups = collect(args.folder)
    if not groups:
        print(f"no labelled clips with landmarks under {args.folder}", file=sys.stderr)
        return 2
    classes = []
    for (pose, variant), parts in sorted(groups.items()):
        x = np.vstack(parts)
        seen = np.isfinite(x).sum(axis=0)
        with np.errstate(all="ignore"):
            mean = np.where(seen > 0, np.nanmean(np.where(seen > 0, x, 0.0), axis=0), np.nan)
            std = np.where(seen > 1, np.nanstd(np.where(seen > 0, x, 0.0), axis=0), np.nan)
        classes.append({"pose": pose, "variant": variant, "frames": int(len(x)),
                        "mean": [None if math.isnan(v) else round(float(v), 4) for v in mean],
                        "std": [None if math.isnan(v) else round(float(v), 4) for v in std]})
    model = {"format": "posecheck-recognition/1", "features": list(NAMES),
             "min_std": [ARM_MIN_STD.get(n, OTHER_MIN_STD.get(n, MIN_STD[unit_of(n)] if n in FEATURES
                                                           or n.endswith(("_max", "_abs")) else 0.01))
                         for n in NAMES], "reject_z2": 0.0,
             "trained_on": f"{args.folder} ({sum(c['frames'] for c in classes)} in-position frames, "
                           f"{len(classes)} classes)",
             "classes": classes}
    # the rejection level: well past what the training frames' own best match reaches
    from posecheck.recognition.model import RecognitionModel, Scorer

    model["reject_z2"] = 1.0
    scorer = Scorer(RecognitionModel.model_validate(model))
    best = [float(np.min(scorer.score(row)[1])) for parts in groups.values() for x in parts for row in x]
    model["reject_z2"] = round(float(np.percentile(best, REJECT_PERCENTILE)) * REJECT_FACTOR, 3)
    model["splits"] = movement_splits(groups)
    args.out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    print(f"{len(classes)} classes, {len(best)} frames, reject above mean z^2 {model['reject_z2']}; "
          f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
