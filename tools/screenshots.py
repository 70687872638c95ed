"""Screenshots of every page of the app, for the docs: `python tools/screenshots.py --out docs/screenshots`.

Starts the app on 127.0.0.1, drives Debian's Chromium with Playwright (a fake camera playing a sample
clip), and saves: the start page, live coaching of one stretch with the camera running, a guided
routine with the camera running, and the recorded-video page after an analysis. Needs chromium and
ffmpeg (tools/ensure_browser_deps.sh) and the dev requirements.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from drive_live import CHROMIUM_FLAGS, SAFETY_LABEL, WEBRTC_IFRAME  # noqa: E402


def _wait_healthy(port: int, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the app did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--clip", type=Path, default=ROOT / "samples" / "starter" / "lunge_arch.mp4")
    ap.add_argument("--upload", type=Path, default=ROOT / "samples" / "synth"
                    / "hamstring_stretch__lumbar_rounding_35deg_ramp__rr.mp4")
    ap.add_argument("--port", type=int, default=8611)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="posecheck-shots-"))
    y4m = work / "camera.y4m"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(args.clip), "-vf",
                    "scale=640:480,fps=15", "-pix_fmt", "yuv420p", str(y4m)], check=True)
    env = dict(os.environ, POSECHECK_LOOPBACK_ICE="1")
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.address",
                               "127.0.0.1", "--server.port", str(args.port), "--server.headless", "true",
                               "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}"
    try:
        _wait_healthy(args.port)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
                *CHROMIUM_FLAGS, f"--use-file-for-fake-video-capture={y4m}"])
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.goto(base)
            page.get_by_text("Guided routines").wait_for()
            page.screenshot(path=str(args.out / "start.png"), full_page=True)
            page.get_by_role("button", name=SAFETY_LABEL).click()
            page.get_by_text("Thank you").wait_for()

            def live(path: str, name: str, seconds: float) -> None:
                page.goto(f"{base}/{path}")  # a fresh load is a new session: the notice again
                page.get_by_role("button", name=SAFETY_LABEL).click()
                page.frame_locator(WEBRTC_IFRAME).get_by_role("button", name="START").click(timeout=60_000)
                page.wait_for_timeout(seconds * 1000)
                page.screenshot(path=str(args.out / name), full_page=True)
                page.frame_locator(WEBRTC_IFRAME).get_by_role("button", name="STOP").click()

            live("live?stretch=hip_flexor_stretch", "live_stretch.png", 12)
            live("live?routine=back_relief_routine", "live_routine.png", 6)

            page.set_viewport_size({"width": 1400, "height": 2600})  # the page scrolls inside itself
            page.goto(f"{base}/video")
            page.locator("input[type=file]").set_input_files(str(args.upload))
            page.get_by_role("button", name="Analyse").click()
            page.get_by_text("Timeline").wait_for(timeout=120_000)
            page.wait_for_timeout(2000)
            page.screenshot(path=str(args.out / "video.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"Wrote {', '.join(sorted(p.name for p in args.out.glob('*.png')))} to {args.out}")


if __name__ == "__main__":
    main()
