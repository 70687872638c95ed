"""CLI: render a clip set (mp4 + labels.json per clip): the curated matrix or the held-out set.

python -m tools.synth.generate --out DIR [--set curated|heldout] [--only POSE[,POSE]]
                               [--match TEXT] [--seed N] [--duration S] [--skip-existing] [--list]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tqdm import tqdm

from tools.synth.matrix import CURATED_SEED, HELD_OUT_SEED, SETS, clips


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, help="output folder")
    ap.add_argument("--only", default="", help="comma-separated pose ids")
    ap.add_argument("--match", default="", help="only clips whose name contains this")
    ap.add_argument("--exclude", default="", help="leave out clips whose name contains this")
    ap.add_argument("--set", dest="which", choices=SETS, default="curated", help="clip set (default curated)")
    ap.add_argument(
        "--seed",
        type=int,
        default=None,
        help=f"matrix seed (default: the set's own, curated {CURATED_SEED}, heldout {HELD_OUT_SEED})",
    )
    ap.add_argument("--duration", type=float, default=None,
                    help="render each correct hold this many seconds long instead of the set's length "
                         "(its movements keep their times; clips with a mistake or reps keep theirs)")
    ap.add_argument("--list", action="store_true", help="list the clips and exit")
    ap.add_argument("--skip-existing", action="store_true", help="keep clips already rendered")
    a = ap.parse_args(argv)
    specs = clips(a.seed, a.which)
    if a.only:
        poses = set(a.only.split(","))
        specs = [s for s in specs if s.pose in poses]
    if a.match:
        specs = [s for s in specs if a.match in s.name]
    if a.exclude:
        specs = [s for s in specs if a.exclude not in s.name]
    if a.duration is not None:
        if a.duration <= 0:
            ap.error("--duration must be positive")
        for s in specs:
            if s.mistake is None and s.reps is None:
                s.duration_s = a.duration
    if a.list:
        for s in specs:
            sev = f"{s.mistake} {s.severity:g}deg {s.timing}" if s.mistake else "correct"
            comp = " compensated" if s.compensated else ""
            view = f" view={s.view}" if s.view else ""
            print(f"{s.name:70s} {sev}{comp}{view} body={s.body} skin={s.skin} {s.duration_s}s")
        print(f"{len(specs)} clips", file=sys.stderr)
        return 0
    if a.out is None:
        ap.error("--out is required unless --list")
    from tools.synth.clip import render_clip, write_mp4
    from tools.synth.labels import build_labels, write_labels
    from tools.synth.render import Renderer

    a.out.mkdir(parents=True, exist_ok=True)
    renderer = Renderer()
    index = []
    for s in tqdm(specs, desc="clips", unit="clip", mininterval=5):
        mp4 = a.out / f"{s.name}.mp4"
        lab = a.out / f"{s.name}.labels.json"
        if not (a.skip_existing and mp4.exists() and lab.exists()):
            t0 = time.time()
            r = render_clip(s, renderer)
            write_mp4(r.frames, mp4)
            write_labels(build_labels(s, r, mp4.name), lab)
            tqdm.write(f"{s.name}: {len(r.frames)} frames in {time.time() - t0:.1f}s")
        index.append(
            {
                "file": mp4.name,
                "labels": lab.name,
                "pose": s.pose,
                "mistake": s.mistake,
                "severity_deg": s.severity,
                "compensated": s.compensated,
                "timing": s.timing if s.mistake else None,
                "side": s.side,
                "camera_side": s.camera_side,
                **({"view": s.view} if s.view else {}),
            }
        )
    renderer.close()
    if not (a.only or a.match or a.exclude):
        (a.out / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
