"""Quick look at a pose: one still per parameter set, tiled into a PNG (no mp4, no labels).

python -m tools.synth.preview POSE [--set k=v,k=v] [--set ...] [--mistake CHECK --sev 20]
                              [--body male_average] [--yaw 10] [--view front] --out /tmp/p.png
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("pose")
    ap.add_argument("--set", dest="sets", action="append", default=[], help="k=v,k=v (one still each)")
    ap.add_argument("--mistake", default=None)
    ap.add_argument("--sev", type=float, default=0.0)
    ap.add_argument("--body", default="male_average")
    ap.add_argument("--yaw", type=float, default=5.0)
    ap.add_argument("--elev", type=float, default=8.0)
    ap.add_argument("--view", default=None)
    ap.add_argument("--camera-side", default="left")
    ap.add_argument("--side", default="left")
    ap.add_argument("--out", type=Path, default=Path("/tmp/preview.png"))
    a = ap.parse_args(argv)
    from PIL import Image

    from tools.synth.clip import ClipSpec, render_clip
    from tools.synth.render import Renderer

    renderer = Renderer()
    tiles = []
    for text in a.sets or [""]:
        over = {k: float(v) for k, v in (kv.split("=") for kv in text.split(",") if kv)}
        spec = ClipSpec(
            "preview",
            a.pose,
            side=a.side,
            camera_side=a.camera_side,
            mistake=a.mistake,
            severity=a.sev,
            duration_s=1 / 15,
            overrides=over,
            body=a.body,
            skin="medium",
            yaw_deg=a.yaw if a.view != "front" else 90.0 - a.yaw,
            elevation_deg=a.elev,
            view=a.view,
        )
        r = render_clip(spec, renderer)
        print(text or "defaults", r.params[0], r.measured[0])
        tiles.append(r.frames[0])
    renderer.close()
    cols = min(len(tiles), 3)
    rows = (len(tiles) + cols - 1) // cols
    h, w, _ = tiles[0].shape
    sheet = np.full((rows * h, cols * w, 3), 255, np.uint8)
    for i, t in enumerate(tiles):
        sheet[(i // cols) * h : (i // cols + 1) * h, (i % cols) * w : (i % cols + 1) * w] = t
    Image.fromarray(sheet).resize((cols * w * 2 // 3, rows * h * 2 // 3)).save(a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
