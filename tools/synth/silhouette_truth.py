"""CLI: render each clip's true silhouette (the body's visible pixels), to test the mask against it.

python -m tools.synth.silhouette_truth --out DIR [--set curated|heldout] [--only POSE[,POSE]]
                                       [--match TEXT] [--skip-existing]

The clip matrix is deterministic (tools/synth/matrix.py), so each clip is posed and framed again
exactly as `tools.synth.generate` rendered it. Each frame is rendered twice into the same scene:
once as the picture and once for depth; the body's visible pixels are those whose depth is nearer
than the empty scene's (floor, wall and props). A prop in front of the body hides it, as in the
picture. The silhouettes are shrunk to the size the back outline is traced at
(posecheck.features.silhouette.WORK_SIDE) by area averaging, so the edge keeps its sub-pixel
position, and saved as DIR/<clip>.silhouette.npz (`mask`: uint8 frames x H x W, 0 to 255).

tools/spine_study.py --true-silhouettes DIR traces them with the same landmarks as the MediaPipe
mask: the difference between the two is what a perfect mask would buy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from tools.synth.matrix import SETS, clips

SUFFIX = ".silhouette.npz"


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--only", default="", help="comma-separated pose ids")
    ap.add_argument("--match", default="", help="only clips whose name contains this")
    ap.add_argument("--set", dest="which", choices=SETS, default="curated", help="clip set (default curated)")
    ap.add_argument("--skip-existing", action="store_true", help="keep silhouettes already rendered")
    a = ap.parse_args(argv)
    specs = clips(None, a.which)
    if a.only:
        poses = set(a.only.split(","))
        specs = [s for s in specs if s.pose in poses]
    if a.match:
        specs = [s for s in specs if a.match in s.name]
    if not specs:
        print("No clip matches.", file=sys.stderr)
        return 2

    import cv2
    import pyrender

    from posecheck.features.silhouette import WORK_SIDE
    from tools.synth.clip import render_clip
    from tools.synth.render import Renderer

    class SilhouetteRenderer(Renderer):
        """Also keeps, for every picture rendered, the body's visible pixels."""

        def setup(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().setup(*args, **kwargs)
            depth = self.r.render(self.scene, flags=pyrender.RenderFlags.DEPTH_ONLY)
            self.empty_depth = np.where(depth > 0, depth, np.inf)
            self.silhouettes: list[np.ndarray] = []

        def render(self, vertices: np.ndarray, faces: np.ndarray, colors: np.ndarray) -> np.ndarray:
            rgb = super().render(vertices, faces, colors)
            depth = self.r.render(self.scene, flags=pyrender.RenderFlags.DEPTH_ONLY)
            self.silhouettes.append((depth > 0) & (depth < self.empty_depth - 1e-4))
            return rgb

    a.out.mkdir(parents=True, exist_ok=True)
    renderer = SilhouetteRenderer()
    try:
        for s in tqdm(specs, desc="silhouettes", unit="clip", mininterval=5):
            path = a.out / f"{s.name}{SUFFIX}"
            if a.skip_existing and path.exists():
                continue
            t0 = time.time()
            rendered = render_clip(s, renderer)
            # still stretches of a clip reuse one picture: follow the pictures to their silhouettes
            per_frame, k, previous = [], -1, None
            for picture in rendered.frames:
                if picture is not previous:
                    k += 1
                per_frame.append(renderer.silhouettes[k])
                previous = picture
            h, w = per_frame[0].shape
            scale = min(1.0, WORK_SIDE / max(h, w))
            size = (round(w * scale), round(h * scale))
            small = [cv2.resize(m.astype(np.float32), size, interpolation=cv2.INTER_AREA) for m in per_frame]
            np.savez_compressed(path, mask=np.clip(np.stack(small) * 255.0 + 0.5, 0, 255).astype(np.uint8))
            tqdm.write(f"{s.name}: {len(per_frame)} frames in {time.time() - t0:.1f}s")
    finally:
        renderer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
