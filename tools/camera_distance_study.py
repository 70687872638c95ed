"""Does a camera further away make the lumbar checks flag a flat back, or miss a bent one?

python tools/camera_distance_study.py SET_DIR ... [--sessions DIR ...] [--only STRETCH] [--out FILE]

The renders frame the body to fill 78% of the picture's larger side (tools/synth/scene.py,
frame_camera). A laptop camera 2-3 m away, as the pose files ask, can leave a seated or kneeling
person smaller than that: a wide laptop lens (66 deg across) 3 m away sees a picture about 2.9 m
high, which a person 1.3 m tall on a chair fills 45% of, or 57% of the size they were rendered at;
4 m away, 43%. The person mask the back's outline is traced on then has fewer pixels across the
torso. Each clip's video is run again through MediaPipe and the checker as it is, and as a camera
further back would give it (CONDITIONS, applied to every decoded frame before the model sees it):
- far (60%): the person at 60% of the size they were rendered at; the picture is shrunk about
  its centre (a camera moved straight back) and the space around it is filled with the
  picture's own edge pixels (the wall above, the floor below);
- far (45%): the same at 45%;
- far (35%): the same at 35%, near the size at which MediaPipe stops finding a person (the
  tables give the share of frames it found one in);
- far (60%), dim: far (60%), then the dim room of tools/camera_quality_study.py (exposure x0.4,
  sensor noise, the gain that restores the brightness).
(How each run is scored: tools/camera_quality_study.py SCORING, which the study's output gives
after this text.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.camera_quality_study import Condition, as_rendered, dim, study  # noqa: E402


def far(share: float) -> Condition:
    """The picture a camera further back would give: the frame shrunk to `share` of its size about
    its centre, and the border filled with the shrunk picture's edge pixels."""

    def change(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        h, w = rgb.shape[:2]
        sw, sh = round(w * share), round(h * share)
        small = cv2.resize(rgb, (sw, sh), interpolation=cv2.INTER_AREA)
        top, left = (h - sh) // 2, (w - sw) // 2
        return cv2.copyMakeBorder(small, top, h - sh - top, left, w - sw - left, cv2.BORDER_REPLICATE)

    return change


def far_and_dim(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """far (60%), then the dim room."""
    return dim(far(0.6)(rgb, rng), rng)


CONDITIONS: dict[str, Condition] = {"as rendered": as_rendered, "far (60%)": far(0.6),
                                    "far (45%)": far(0.45), "far (35%)": far(0.35),
                                    "far (60%), dim": far_and_dim}


def main(argv: list[str] | None = None) -> int:
    return study(argv, CONDITIONS, "The lumbar checks through a camera further away", __doc__ or "",
                 "tools/camera_distance_study.py")


if __name__ == "__main__":
    sys.exit(main())
