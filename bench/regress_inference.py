"""Full regression run with pose inference, side by side with the fast run from recorded landmarks.

Prints both tables' headline numbers, whether their verdicts agree clip by clip, and the time
ratio (inference run / landmark run), measured in the same process on the same machine.

Usage: python bench/regress_inference.py [samples/]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck import regress


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("samples")
    t0 = time.perf_counter()
    fast = regress.run(root, from_landmarks=True)
    t1 = time.perf_counter()
    full = regress.run(root, from_landmarks=False)
    t2 = time.perf_counter()
    agree = total = 0
    for a, b in zip(fast, full, strict=True):
        for ca, cb in zip(a.checks, b.checks, strict=True):
            total += 1
            agree += ca.flagged == cb.flagged
    print(regress.markdown(full, regress.metrics(full)))
    print(f"\nclips: {len(full)}; verdicts agreeing between the two runs: {agree}/{total}")
    print(f"time from landmarks: {t1 - t0:.2f} s; with inference: {t2 - t1:.2f} s; "
          f"ratio {((t2 - t1) / max(t1 - t0, 1e-9)):.0f}x")
    return 0 if agree == total else 1


if __name__ == "__main__":
    sys.exit(main())
