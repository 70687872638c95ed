"""Record landmarks (with masks) for every clip under a folder that does not have them yet.

Usage: python tools/extract_samples.py samples/   (skips clips whose .landmarks.npz exists)
"""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.analysis import extract


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "samples")
    todo = [p for p in sorted(root.rglob("*.mp4"))
            if not p.with_name(p.name.replace(".mp4", ".landmarks.npz")).exists()]
    for video in tqdm(todo, desc="Extracting", unit="clip"):
        extract(video, video.with_name(video.name.replace(".mp4", ".landmarks.npz")))
    print(f"extracted {len(todo)} clips")
    return 0


if __name__ == "__main__":
    sys.exit(main())
