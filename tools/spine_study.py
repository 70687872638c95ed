"""Validate the back-outline feature (back_curve) against the lumbar angle set in the renders.

For every labelled clip of a pose with a lumbar check, run that pose's checker over the landmark
recording (mask included) and pair the smoothed `back_curve` it read in each frame with the
lumbar angle the generator set in that frame (flexion positive, extension negative). Reports:
- Pearson r within each pose, and split by camera angle, body and the side facing the camera;
- the same r for the landmark proxies the checks used before, and for the front (belly) outline;
- what correct form and flat-back compensations read, against the shipped thresholds;
- each body's neutral reading (the main source of error that remains);
- with --true-silhouettes: the same r when the outline is traced on the body's true silhouette
  (tools/synth/silhouette_truth.py) instead of MediaPipe's mask, with the same landmarks.

Usage: python tools/spine_study.py samples/synth --heldout samples/heldout --out docs/spine.md
           [--true-silhouettes DIR --heldout-true-silhouettes DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.checker import PoseChecker
from posecheck.features import silhouette
from posecheck.features.catalogue import measure
from posecheck.features.skeleton import Skeleton, Unseen
from posecheck.frames import PoseFrame
from posecheck.poses import load_catalogue
from posecheck.sources.recording import RecordingSource

# pose -> (its lumbar check, the landmark proxy that check read before the silhouette)
STUDIED = {
    "hamstring_stretch": ("lumbar_rounding", "working hip_flexion"),
    "hip_flexor_stretch": ("arched_lower_back", "trunk_lean"),
    "glute_stretch": ("forward_bend", "other hip_flexion"),
}


def _front_curve(sk: Skeleton) -> float:
    """The front outline's bend, measured like back_curve (research only: not a shipped feature)."""
    try:
        o = sk.trunk_outline
    except Unseen:
        return math.nan
    lower = silhouette.segment_angle(o, "front", *silhouette.LOWER_BACK)
    upper = silhouette.segment_angle(o, "front", *silhouette.UPPER_BACK)
    return lower - upper


def _traced_curve(frame: PoseFrame, camera_side: str, mask: np.ndarray) -> float:
    """back_curve of one frame, unsmoothed, traced on `mask` with the frame's own landmarks."""
    try:
        return silhouette.back_curve(Skeleton(frame.landmarks, frame.width, frame.height, camera_side,
                                              mask).trunk_outline)
    except Unseen:
        return math.nan


def lumbar_angle(params: dict) -> float:
    """The lumbar angle a frame's labels set, degrees: flexion positive, extension negative."""
    return params.get("lumbar_flexion_deg", 0.0) - params.get("lumbar_extension_deg", 0.0)


def studied_clips(root: Path) -> Iterator[tuple[str, dict, Path]]:
    """(clip name, labels, landmark recording) of every side-view clip of a studied pose under
    `root` that has a recording; for the glute stretch only the seated variant, the one with the
    forward-bend check."""
    for label_path in sorted(root.rglob("*.labels.json")):
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        if labels.get("pose") not in STUDIED or labels.get("view", {}).get("kind", "side") != "side":
            continue
        rec_path = label_path.with_name(label_path.name.replace(".labels.json", ".landmarks.npz"))
        if not rec_path.exists():
            continue
        seated = bool(labels["generator"]["params"]["spec"].get("overrides", {}).get("seated"))
        if labels["pose"] == "glute_stretch" and not seated:
            continue
        yield label_path.name.removesuffix(".labels.json"), labels, rec_path


def collect(root: Path, truth_dir: Path | None = None) -> list[dict]:
    """One row per frame of every studied clip: truth, back_curve, proxy, front curve, clip facts.

    With `truth_dir` (tools/synth/silhouette_truth.py's output for this clip set) each row also
    gets `raw` and `true`: the unsmoothed reading on MediaPipe's mask and on the true silhouette.
    """
    catalogue = load_catalogue()
    rows: list[dict] = []
    for clip, labels, rec_path in studied_clips(root):
        pose = catalogue[labels["pose"]]
        check_id, proxy = STUDIED[pose.id]
        checker = PoseChecker(pose, side=labels["side"])
        true_masks = None
        if truth_dir is not None:
            truth_path = truth_dir / f"{clip}.silhouette.npz"
            if not truth_path.exists():
                raise SystemExit(f"No true silhouette for {clip} in {truth_dir}: render it with "
                                 "python -m tools.synth.silhouette_truth")
            true_masks = np.load(truth_path)["mask"]
        for i, (frame_labels, frame) in enumerate(zip(labels["frames"], RecordingSource(rec_path),
                                                      strict=False)):
            verdict = checker.update(frame)
            value = verdict.features.get("back_curve", math.nan)
            if frame.landmarks is None or math.isnan(value):
                continue
            truth = lumbar_angle(frame_labels["params"])
            sk = Skeleton(frame.landmarks, frame.width, frame.height, verdict.camera_side or "left",
                          frame.mask)
            limb, _, name = proxy.rpartition(" ")
            side = verdict.side if limb == "working" else ("right" if verdict.side == "left" else "left")
            proxy_value = measure(f"{side}_{name}" if limb else name, sk)[0]
            if true_masks is not None:
                side = verdict.camera_side or "left"
                extra = {"raw": _traced_curve(frame, side, frame.mask),
                         "true": _traced_curve(frame, side, true_masks[i].astype(np.float32) / 255.0)}
            else:
                extra = {}
            rows.append({
                **extra, "pose": pose.id, "clip": clip,
                "truth": truth, "back_curve": value, "proxy": proxy_value, "front": _front_curve(sk),
                "yaw": abs(labels["view"]["yaw_deg"]), "body": labels["body"]["phenotype"]["name"],
                "camera_side": labels["camera_side"], "compensated": bool(labels.get("compensated")),
                "in_position": verdict.in_position, "check": check_id,
                "mistake": bool(frame_labels.get("active_mistakes", {}).get(check_id)),
            })
    return rows


def _r(rows: list[dict], key: str) -> str:
    pairs = [(r["truth"], r[key]) for r in rows if math.isfinite(r[key])]
    if len(pairs) < 5:
        return "-"
    t, v = np.array(pairs).T
    if np.ptp(t) < 1e-9 or np.ptp(v) < 1e-9:
        return "-"
    return f"{np.corrcoef(t, v)[0, 1]:+.2f}"


def correlation_table(rows: list[dict]) -> str:
    out = ["| pose | frames | r back_curve | slope (deg per deg) | r side-on (<10 deg) | r 10-25 deg off | "
           "r left side to camera | r right side to camera | r landmark proxy | r front outline |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for pose in STUDIED:
        rs = [r for r in rows if r["pose"] == pose]
        if not rs:
            continue
        t = np.array([r["truth"] for r in rs])
        v = np.array([r["back_curve"] for r in rs])
        slope = np.polyfit(t, v, 1)[0]
        out.append(
            f"| {pose} | {len(rs)} | {_r(rs, 'back_curve')} | {slope:.2f} | "
            f"{_r([r for r in rs if r['yaw'] < 10], 'back_curve')} | "
            f"{_r([r for r in rs if r['yaw'] >= 10], 'back_curve')} | "
            f"{_r([r for r in rs if r['camera_side'] == 'left'], 'back_curve')} | "
            f"{_r([r for r in rs if r['camera_side'] == 'right'], 'back_curve')} | "
            f"{_r(rs, 'proxy')} ({STUDIED[pose][1]}) | {_r(rs, 'front')} |")
    return "\n".join(out)


def body_table(rows: list[dict]) -> str:
    """Per body: r within that body, and its reading with a neutral lumbar spine."""
    bodies = sorted({r["body"] for r in rows})
    head = "| pose | " + " | ".join(f"{b}: neutral / r" for b in bodies) + " |"
    out = [head, "|---|" + "---|" * len(bodies)]
    for pose in STUDIED:
        cells = []
        for b in bodies:
            rs = [r for r in rows if r["pose"] == pose and r["body"] == b]
            neutral = [r["back_curve"] for r in rs if abs(r["truth"]) < 1e-6]
            n = f"{np.median(neutral):.1f}" if neutral else "-"
            cells.append(f"{n} / {_r(rs, 'back_curve')}")
        out.append(f"| {pose} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def flat_back_table(rows: list[dict]) -> str:
    """Clips whose lumbar angle stays below the silent boundary: what they read, and the flag level."""
    catalogue = load_catalogue()
    out = ["| pose | clip | lumbar set (deg) | back_curve in position: min / max | flag level | flagged? |",
           "|---|---|---|---|---|---|"]
    by_clip: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_clip[r["clip"]].append(r)
    for clip, rs in sorted(by_clip.items()):
        worst = max(abs(r["truth"]) for r in rs)
        if worst > 5.0 + 1e-6:
            continue
        check = catalogue[rs[0]["pose"]].check(rs[0]["check"])
        vals = [r["back_curve"] for r in rs if r["in_position"]]
        if not vals:
            continue
        crosses = max(vals) >= check.enter if check.rising else min(vals) <= check.enter
        op = ">" if check.rising else "<"
        comp = " (compensated)" if rs[0]["compensated"] else ""
        out.append(f"| {rs[0]['pose']} | {clip} | {worst:g}{comp} | "
                   f"{min(vals):.1f} / {max(vals):.1f} | {op} {check.enter:g} | "
                   f"{'**yes**' if crosses else 'no'} |")
    return "\n".join(out)


def calibration_table(rows: list[dict]) -> str:
    """What a per-person neutral reading would buy: r with each body's (and camera side's) median
    reading at a neutral lumbar spine subtracted, taken from the labels (an oracle: in use the
    person would have to be asked to hold a neutral back first), and r with each clip's first
    reading subtracted (no asking: but a clip may start in the mistake)."""
    out = ["| pose | r as shipped | frames with a neutral to remove | r as shipped, those frames "
           "| r, each body's neutral removed (oracle), those frames | r, each clip's first reading removed |",
           "|---|---|---|---|---|---|"]
    for pose in STUDIED:
        rs = [r for r in rows if r["pose"] == pose]
        if len(rs) < 5:
            continue
        t = np.array([r["truth"] for r in rs])
        v = np.array([r["back_curve"] for r in rs])
        oracle, known = v.copy(), np.zeros(len(rs), bool)
        for key in {(r["body"], r["camera_side"]) for r in rs}:
            idx = np.array([i for i, r in enumerate(rs) if (r["body"], r["camera_side"]) == key])
            neutral = v[idx][np.abs(t[idx]) < 1e-6]
            if len(neutral):
                oracle[idx] -= np.median(neutral)
                known[idx] = True
        first = v.copy()
        for clip in {r["clip"] for r in rs}:
            idx = np.array([i for i, r in enumerate(rs) if r["clip"] == clip])
            first[idx] -= v[idx[0]]
        enough = known.sum() >= 5
        r_known = f"{np.corrcoef(t[known], v[known])[0, 1]:+.2f}" if enough else "-"
        r_oracle = f"{np.corrcoef(t[known], oracle[known])[0, 1]:+.2f}" if enough else "-"
        out.append(f"| {pose} | {np.corrcoef(t, v)[0, 1]:+.2f} | {int(known.sum())} of {len(rs)} "
                   f"| {r_known} | {r_oracle} | {np.corrcoef(t, first)[0, 1]:+.2f} |")
    return "\n".join(out)


def truth_table(rows: list[dict]) -> str:
    """r on MediaPipe's mask against r on the true silhouette, both unsmoothed, same landmarks;
    on the true silhouette also split into plain mistakes and compensated ones."""
    out = ["| pose | frames | r, MediaPipe mask | r, true silhouette | median gap between the two "
           "readings (deg) | slope on the true silhouette (deg per deg) | r true, not compensated "
           "| r true, compensated |",
           "|---|---|---|---|---|---|---|---|"]
    for pose in STUDIED:
        rs = [r for r in rows if r["pose"] == pose and math.isfinite(r["raw"]) and math.isfinite(r["true"])]
        if len(rs) < 5:
            continue
        t = np.array([r["truth"] for r in rs])
        raw, true = np.array([r["raw"] for r in rs]), np.array([r["true"] for r in rs])
        r_raw, r_true = np.corrcoef(t, raw)[0, 1], np.corrcoef(t, true)[0, 1]
        gap, slope = np.median(np.abs(raw - true)), np.polyfit(t, true, 1)[0]
        plain = _r([r for r in rs if not r["compensated"]], "true")
        comp = _r([r for r in rs if r["compensated"]], "true")
        out.append(f"| {pose} | {len(rs)} | {r_raw:+.2f} | {r_true:+.2f} | {gap:.1f} | {slope:.2f} "
                   f"| {plain} | {comp} |")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--heldout", type=Path, help="clips the thresholds were not set on")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--true-silhouettes", type=Path,
                        help="true silhouettes of the root's clips (python -m tools.synth.silhouette_truth)")
    parser.add_argument("--heldout-true-silhouettes", type=Path,
                        help="true silhouettes of the held-out clips (... --set heldout)")
    args = parser.parse_args()
    rows = collect(args.root, args.true_silhouettes)
    sections = {
        "Correlation with the lumbar angle set": correlation_table(rows),
        "Each body's neutral reading and its own r": body_table(rows),
        "Flat backs: correct form and compensations of 5 deg or less": flat_back_table(rows),
    }
    if args.heldout:
        held = collect(args.heldout, args.heldout_true_silhouettes)
        sections[f"Held-out clips ({args.heldout}): correlation"] = correlation_table(held)
        sections[f"Held-out clips ({args.heldout}): flat backs"] = flat_back_table(held)
    sections["What a per-person neutral reading would buy"] = calibration_table(rows)
    if args.heldout:
        sections[f"What a per-person neutral reading would buy, held out ({args.heldout})"] = (
            calibration_table(held))
    if args.true_silhouettes:
        sections["A perfect mask: the true silhouette"] = truth_table(rows)
    if args.heldout and args.heldout_true_silhouettes:
        sections[f"A perfect mask, held out ({args.heldout})"] = truth_table(held)
    text = "\n\n".join(f"## {k}\n\n{v}" for k, v in sections.items())
    print(text)
    if args.out:
        intro_path = Path(__file__).with_name("spine_intro.md")
        intro = intro_path.read_text(encoding="utf-8") if intro_path.exists() else ""
        command = " ".join(["python tools/spine_study.py", *sys.argv[1:]])
        args.out.write_text(f"# The back's outline: validation\n\nGenerated by `{command}`.\n\n"
                            f"{intro}\n{text}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
