"""Score recognition on labelled clips it was not trained on: the share of in-position time for
which the recogniser names the right stretch, per stretch, with what it named instead.

    python tools/recognition_eval.py [samples/heldout] [--markdown docs/recognition-table.md]

Each clip is fed from its first frame, as a user starting the stretch would be, so the time the
recogniser needs to settle counts against it. Time is the sum of frame intervals.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.labels import load_labels
from posecheck.recognition import Recognizer, load_model
from posecheck.sources.recording import RecordingSource


def score_clip(labels_path: Path, model: object) -> tuple[str, float, float, Counter[str]] | None:
    npz = labels_path.with_name(labels_path.name.replace(".labels.json", ".landmarks.npz"))
    if not npz.exists():
        return None
    pose = load_labels(labels_path).pose
    spans = [(float(p["start_s"]), float(p["end_s"]))
             for p in json.loads(labels_path.read_text()).get("in_position", [])]
    rec = Recognizer(model)  # type: ignore[arg-type]
    right = total = 0.0
    named: Counter[str] = Counter()
    prev_t: float | None = None
    for frame in RecordingSource(npz):
        current = rec.update(frame)
        t = frame.timestamp
        dt = 0.0 if prev_t is None else t - prev_t
        prev_t = t
        if any(a <= t <= b for a, b in spans):
            total += dt
            right += dt if current == pose else 0.0
            named[current or "(none)"] += dt
    return pose, right, total, named


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", default="samples/heldout", type=Path)
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    args = ap.parse_args(argv)
    model = load_model()
    per: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    wrong: dict[str, Counter[str]] = defaultdict(Counter)
    for path in sorted(args.folder.glob("*.labels.json")):
        got = score_clip(path, model)
        if got is None:
            continue
        pose, right, total, named = got
        per[pose][0] += right
        per[pose][1] += total
        per[pose][2] += 1
        for k, v in named.items():
            if k != pose:
                wrong[pose][k] += v
    lines = ["| stretch | clips | in position (s) | named right | named instead (s) |",
             "|---|---:|---:|---:|---|"]
    all_right = all_total = 0.0
    for pose, (right, total, n) in sorted(per.items()):
        all_right += right
        all_total += total
        instead = ", ".join(f"{k} {v:.1f}" for k, v in wrong[pose].most_common(3)) or "-"
        share = 100 * right / total if total else 0.0
        lines.append(f"| {pose} | {int(n)} | {total:.1f} | {share:.0f}% | {instead} |")
    overall = 100 * all_right / all_total if all_total else 0.0
    lines.append(f"| **all** | {sum(int(v[2]) for v in per.values())} | {all_total:.1f} | "
                 f"**{overall:.1f}%** | |")
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        args.markdown.write_text(f"<!-- written by tools/recognition_eval.py {args.folder} -->\n{table}\n",
                                 encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
