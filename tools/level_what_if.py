"""What would moving a check's fixed levels cost? Regress scores of the lumbar checks, shipped beside moved.

The pose files are copied to a temporary folder, the named checks' fixed flag and clear levels are
replaced there, and `posecheck regress` runs (from the recorded landmarks) on each set with the
shipped files and with the copies. Printed: per set, each lumbar check's sensitivity (mistakes of
15 deg or more flagged), specificity and false-alarm seconds, shipped -> moved. Nothing in poses/ is
changed.

Usage: python tools/level_what_if.py samples/synth samples/heldout samples/sessions
           --move hamstring_stretch/lumbar_rounding=-3,-5 --move glute_stretch/forward_bend=-0.5,-2.5
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.poses.loader import default_pose_dir
from posecheck.regress import metrics, run
from tools.spine_study import STUDIED


def moved_copy(folder: Path, moves: dict[str, tuple[float, float]]) -> None:
    """Replace the flag and clear levels of each `pose/check` in `moves` in the pose files under `folder`."""
    for key, (flag, clear) in moves.items():
        pose_id, check_id = key.split("/")
        path = folder / f"{pose_id}.yaml"
        text = path.read_text(encoding="utf-8")
        start = text.index(f"  - id: {check_id}\n")
        end = text.find("\n  - id: ", start + 1)
        block = text[start:] if end < 0 else text[start:end]
        new, n = re.subn(r"(flag_(?:above|below)): [-\d.]+\n(\s+)(clear_(?:below|above)): [-\d.]+",
                         rf"\g<1>: {flag:g}\n\g<2>\g<3>: {clear:g}", block, count=1)
        if n != 1:
            raise SystemExit(f"{key}: no fixed flag/clear levels found in {path.name}")
        path.write_text(text.replace(block, new), encoding="utf-8")


def scores(root: Path, poses: Path | None) -> dict[str, dict[str, Any]]:
    """regress metrics on `root` with the pose files in `poses` (None: the shipped ones)."""
    old = os.environ.get("POSECHECK_POSES")
    try:
        if poses is not None:
            os.environ["POSECHECK_POSES"] = str(poses)
        return metrics(run(root, from_landmarks=True))
    finally:
        if old is None:
            os.environ.pop("POSECHECK_POSES", None)
        else:
            os.environ["POSECHECK_POSES"] = old


def _cell(m: dict[str, Any] | None) -> str:
    if m is None:
        return "-"
    sens = "-" if m["sensitivity"] is None else f"{100 * m['sensitivity']:.0f}% of {m['must_flag']}"
    spec = "-" if m["specificity"] is None else f"{100 * m['specificity']:.0f}% of {m['must_be_silent']}"
    return f"{sens} / {spec} / {m['false_alarm_s']:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", type=Path, nargs="+", help="clip folders with recorded landmarks")
    parser.add_argument("--move", action="append", default=[], metavar="POSE/CHECK=FLAG,CLEAR",
                        help="new fixed levels for one check (repeatable)")
    args = parser.parse_args()
    moves: dict[str, tuple[float, float]] = {}
    for item in args.move:
        key, _, levels = item.partition("=")
        flag, clear = (float(x) for x in levels.split(","))
        moves[key] = (flag, clear)
    if not moves:
        parser.error("give at least one --move")
    keys = [f"{p}/{c}" for p, (c, *_) in sorted(STUDIED.items())]
    rows = ["| set | check | shipped: sensitivity / specificity / false alarms | moved: the same |",
            "|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "poses"
        shutil.copytree(default_pose_dir(), folder)
        moved_copy(folder, moves)
        for root in args.sets:
            before, after = scores(root, None), scores(root, folder)
            for key in keys:
                for k in (key, f"{key} (compensated)"):
                    if k in before or k in after:
                        rows.append(f"| {root} | {k} | {_cell(before.get(k))} | {_cell(after.get(k))} |")
    print("moved: " + ", ".join(f"{k} flag {f:g} / clear {c:g}" for k, (f, c) in moves.items()))
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
