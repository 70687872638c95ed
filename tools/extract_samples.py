"""Record landmarks for every clip under a folder that does not have them yet.

The person mask is stored only for clips of stretches whose checks read it (a pose file's
`needs_mask`): masks are most of a recording's size, and the others never look at them. Clips
whose stretch is unknown keep their masks. With --binary-mask the masks are stored as inside /
outside only, about 8 times smaller (the clips added with the Tier-2 stretches are; back_curve
reads about 1 deg flatter on such a mask than on the soft one, measured on the Tier-1 clips).

Usage: python tools/extract_samples.py samples/ [--binary-mask] [--strip-unused-masks]
(skips clips whose .landmarks.npz exists; --strip-unused-masks rewrites existing recordings of
stretches that never read the mask without it)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.analysis import extract
from posecheck.poses import load_catalogue


def needs_mask(video: Path, catalogue: dict) -> bool:
    labels = video.with_name(video.name.replace(".mp4", ".labels.json"))
    try:
        pose = json.loads(labels.read_text(encoding="utf-8")).get("pose")
    except (OSError, json.JSONDecodeError):
        return True
    return pose not in catalogue or catalogue[pose].needs_mask


def strip_unused_masks(root: Path, catalogue: dict) -> int:
    """Drop the mask from recordings whose stretch never reads it; returns how many were rewritten."""
    n = 0
    for npz in sorted(root.rglob("*.landmarks.npz")):
        video = npz.with_name(npz.name.replace(".landmarks.npz", ".mp4"))
        if needs_mask(video, catalogue):
            continue
        with np.load(npz) as z:
            mask_fields = ("mask", "mask_delta", "mask_present")  # older recordings store "mask"
            if not set(mask_fields) & set(z.files):
                continue
            kept = {k: z[k] for k in z.files if k not in mask_fields}
        np.savez_compressed(npz, **kept)
        n += 1
    return n


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    binary = "--binary-mask" in sys.argv
    root = Path(args[0] if args else "samples")
    catalogue = load_catalogue()
    if "--strip-unused-masks" in sys.argv:
        print(f"masks dropped from {strip_unused_masks(root, catalogue)} recordings")
    todo = [p for p in sorted(root.rglob("*.mp4"))
            if not p.with_name(p.name.replace(".mp4", ".landmarks.npz")).exists()]
    for video in tqdm(todo, desc="Extracting", unit="clip"):
        extract(video, video.with_name(video.name.replace(".mp4", ".landmarks.npz")),
                segmentation=needs_mask(video, catalogue), binary_mask=binary)
    print(f"extracted {len(todo)} clips")
    return 0


if __name__ == "__main__":
    sys.exit(main())
