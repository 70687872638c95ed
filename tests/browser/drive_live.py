"""Drive posecheck's live coaching page in a real Chromium, fed a video file as its camera.

Meant to run inside a loopback-only network namespace (tests/browser/test_live_browser.py starts it with
`unshare -n`), so it proves the whole session works with nothing but 127.0.0.1. It:

1. starts `streamlit run APP` on 127.0.0.1:PORT with POSECHECK_LOOPBACK_ICE=1 and waits for /_stcore/health;
2. launches /usr/bin/chromium through Playwright (never a downloaded browser) with a fake camera that
   plays the given Y4M file;
3. opens the live page, accepts the safety notice, presses START in the streamlit-webrtc iframe;
4. waits for the processed <video> to play, then for the expected cue text to show up in the page
   (for several, noting when each first showed);
5. takes a full-page screenshot and prints one line `DRIVE_LIVE_RESULT {json}` on stdout.

Streamlit and the browser are always stopped, also on failure, and a failure prints Streamlit's log tail
to stderr. Exit status 0 only when the video played and the cue was seen.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # camera_clip, beside this file

RESULT_PREFIX = "DRIVE_LIVE_RESULT "
SAFETY_LABEL = "None of these apply to me — continue"
WEBRTC_IFRAME = 'iframe[title*="webrtc_streamer"]'
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
# Keep the stream the page's own getUserMedia returns (the camera that is sent to the coach), so the
# measurement reads the very frames that go out. Runs in every frame, the component's iframe included.
KEEP_CAMERA_JS = """(() => {
  const md = navigator.mediaDevices;
  if (!md || !md.getUserMedia) return;
  const original = md.getUserMedia.bind(md);
  md.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    window.__posecheckCamera = stream;
    return stream;
  };
})();"""
# Read the burned-in frame counter (tests/browser/camera_clip.py) from the camera stream and from the
# returned video on every frame each presents, for `seconds`. The camera side is timed by the frame's
# capture time where Chromium gives it, the returned side by when the frame is shown.
MEASURE_JS = """async (v, args) => {
  const {seconds, layout} = args;
  const camera = window.__posecheckCamera;
  if (!camera) return {error: "the page's camera stream was not captured"};
  if (!('requestVideoFrameCallback' in HTMLVideoElement.prototype)) {
    return {error: "this browser has no requestVideoFrameCallback"};
  }
  const local = document.createElement('video');
  local.muted = true; local.playsInline = true;
  local.style.cssText = 'position:fixed;left:0;top:0;width:64px;height:48px;opacity:0.01';
  document.body.appendChild(local);
  local.srcObject = new MediaStream(camera.getVideoTracks());
  await local.play();
  // Copy only the counter's column, one canvas pixel per block, and read it in one call: cheap
  // enough to run on every frame of both videos without slowing the page down.
  const rows = layout.bits + 2;
  const read = (video, g) => {
    const w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return null;
    const sx = w / layout.width, sy = h / layout.height;
    // each canvas pixel samples the middle of one block (nearest pixel, no smoothing)
    const x = (layout.x + layout.block_w / 2 - 2) * sx;
    const y = (layout.y0 + layout.block_h / 2 - layout.pitch / 2) * sy;
    g.drawImage(video, x, y, 4 * sx, rows * layout.pitch * sy, 0, 0, 1, rows);
    const d = g.getImageData(0, 0, 1, rows).data;
    const levels = [];
    for (let i = 0; i < rows; i++) levels.push((d[4 * i] + d[4 * i + 1] + d[4 * i + 2]) / 3);
    const white = levels[0], black = levels[1];
    if (white - black < 80) return null;
    const mid = (white + black) / 2;
    let n = 0;
    for (let i = 2; i < rows; i++) n = n * 2 + (levels[i] > mid ? 1 : 0);
    return n;
  };
  const watch = (video, events, useCapture) => {
    const canvas = document.createElement('canvas');
    canvas.width = 1; canvas.height = rows;
    const g = canvas.getContext('2d', {willReadFrequently: true});
    g.imageSmoothingEnabled = false;
    let last = null, stop = false;
    const onFrame = (now, meta) => {
      if (stop) return;
      const n = read(video, g);
      if (n !== null && n !== last) {
        const t = useCapture && meta.captureTime ? meta.captureTime : (meta.expectedDisplayTime || now);
        events.push([n, t, useCapture && meta.captureTime ? 1 : 0]);
        last = n;
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    return () => { stop = true; };
  };
  const cam = [], out = [];
  const stopCam = watch(local, cam, true), stopOut = watch(v, out, false);
  const t0 = performance.now();
  await new Promise(r => setTimeout(r, seconds * 1000));
  stopCam(); stopOut();
  const span = (performance.now() - t0) / 1000;
  local.pause(); local.srcObject = null; local.remove();
  return {camera: cam, returned: out, seconds: span, width: v.videoWidth, height: v.videoHeight,
          time_origin_ms: performance.timeOrigin};
}"""
VIDEO_STATE_JS = """v => {
  const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : null;
  return {w: v.videoWidth, h: v.videoHeight, paused: v.paused, ready: v.readyState, t: v.currentTime,
          frames: q ? q.totalVideoFrames : null};
}"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--app", type=Path, required=True, help="the Streamlit script (app.py)")
    p.add_argument("--y4m", type=Path, required=True, help="fake camera video (Y4M)")
    p.add_argument("--expect", required=True, action="append",
                   help="cue text that must appear in the page; repeat it for several (the result says when "
                        "each first showed, so a caller can check their order)")
    p.add_argument("--screenshot", type=Path, required=True)
    p.add_argument("--path", default="live?stretch=hip_flexor_stretch", help="page path and query")
    p.add_argument("--port", type=int, default=8599)
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--log", type=Path, help="Streamlit's log file (default: a temp file)")
    p.add_argument("--startup-timeout", type=float, default=60.0, help="seconds for health + page")
    p.add_argument("--video-timeout", type=float, default=30.0, help="seconds from START to video")
    p.add_argument("--cue-timeout", type=float, default=60.0,
                   help="seconds from video to the cue, per --expect given")
    p.add_argument("--viewport", default="1280x1600", help="WIDTHxHEIGHT; tall so nothing scrolls")
    p.add_argument("--measure-s", type=float, default=0.0,
                   help="after the cue, read the burned-in frame counter for this many seconds and report "
                        "the returned fps and the camera-to-screen latency (0: do not measure)")
    p.add_argument("--settle-s", type=float, default=3.0,
                   help="with --measure-s: seconds to wait after the cue before measuring")
    p.add_argument("--dump-events", type=Path,
                   help="with --measure-s: write every counter sighting (page clock, and the page's time "
                        "origin in Unix milliseconds) to this JSON file")
    return p.parse_args(argv)


def start_streamlit(args: argparse.Namespace, log_path: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, POSECHECK_LOOPBACK_ICE="1", PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "streamlit", "run", str(args.app.name),
           "--server.address", "127.0.0.1", "--server.port", str(args.port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    with log_path.open("wb") as log:
        return subprocess.Popen(cmd, cwd=args.app.resolve().parent, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_health(base: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    """Seconds until /_stcore/health answers "ok" (proxies bypassed: it is our own loopback)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with status {proc.returncode}")
        try:
            with opener.open(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().strip() == b"ok":
                    return time.monotonic() - t0
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"streamlit not healthy after {timeout:.0f} s")


def stop_process_group(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no log: {exc})"


def cue_lines(text: str, expect: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if expect in line]


def drive(args: argparse.Namespace, base: str, result: dict[str, Any], user_data: Path) -> None:
    from playwright.sync_api import sync_playwright

    width, height = (int(v) for v in args.viewport.lower().split("x"))
    flags = [*CHROMIUM_FLAGS, f"--use-file-for-fake-video-capture={args.y4m.resolve()}"]
    console_errors: list[str] = []
    http_errors: list[str] = []
    result.update(console_errors=console_errors, http_errors=http_errors)
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(user_data), executable_path=args.chromium, headless=True, args=flags,
            viewport={"width": width, "height": height}, permissions=["camera"])
        ctx.add_init_script(KEEP_CAMERA_JS)
        try:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            page.on("console", lambda m: console_errors.append(m.text[:300])
                    if m.type == "error" and len(console_errors) < 20 else None)
            page.on("response", lambda r: http_errors.append(f"{r.status} {r.url}"[:300])
                    if r.status >= 400 and len(http_errors) < 20 else None)
            try:
                _session(page, args, base, result)
            finally:
                try:
                    page.screenshot(path=str(args.screenshot), full_page=True, timeout=15_000)
                    result["screenshot"] = str(args.screenshot)
                except Exception as exc:  # a screenshot must never hide the real failure
                    result["screenshot_error"] = repr(exc)
                if result.get("video_seen"):
                    _press_stop(page, result)
        finally:
            ctx.close()


def _session(page: Any, args: argparse.Namespace, base: str, result: dict[str, Any]) -> None:
    url = f"{base}/{args.path.lstrip('/')}"
    result["url"] = url
    result["phase"] = "open page"
    page.goto(url, wait_until="domcontentloaded", timeout=args.startup_timeout * 1000)

    result["phase"] = "safety notice"
    safety = page.get_by_role("button", name=SAFETY_LABEL, exact=True)
    safety.wait_for(state="visible", timeout=args.startup_timeout * 1000)
    safety.click()

    result["phase"] = "START button"
    frame = page.frame_locator(WEBRTC_IFRAME)
    start = frame.get_by_role("button", name=re.compile(r"^\s*start\s*$", re.I))
    start.wait_for(state="visible", timeout=args.startup_timeout * 1000)
    page.wait_for_timeout(500)  # let the page settle: anything shown before START is the baseline
    text = page.locator("body").inner_text()
    baseline = {expect: text.count(expect) for expect in args.expect}
    result["expect_count_before_start"] = baseline
    start.click()
    t_start = time.monotonic()

    result["phase"] = "video"
    video = frame.locator("video").first
    state: dict[str, Any] = {}
    while time.monotonic() - t_start < args.video_timeout:
        try:
            state = video.evaluate(VIDEO_STATE_JS, timeout=2000)
        except Exception:  # the <video> is created only once the connection is up
            state = {}
        if state.get("w", 0) > 0 and not state.get("paused", True) and state.get("ready", 0) >= 2:
            break
        time.sleep(0.1)
    else:
        result["video_state"] = state
        raise TimeoutError(f"processed video did not play within {args.video_timeout:.0f} s of START")
    t_video = time.monotonic()
    result.update(video_seen=True, video_width=state["w"], video_height=state["h"],
                  seconds_to_first_video=round(t_video - t_start, 2))

    # every expected text is watched in one loop, each noted when it first shows: the test can then
    # tell the order they came in (a text still on the page from before does not count twice)
    first_seen: dict[str, float] = {}
    lines_seen: dict[str, list[str]] = {}
    result["phase"] = "cues"
    deadline = t_video + args.cue_timeout * len(args.expect)
    while len(first_seen) < len(args.expect) and time.monotonic() < deadline:
        text = page.locator("body").inner_text()
        now = time.monotonic()
        for expect in args.expect:
            if expect not in first_seen and text.count(expect) > baseline[expect]:
                first_seen[expect], lines_seen[expect] = now, cue_lines(text, expect)
        time.sleep(0.25)
    cues = [{"expect": e, "text": (lines_seen.get(e) or [""])[-1],
             "seconds_after_start": round(first_seen[e] - t_start, 2) if e in first_seen else None}
            for e in args.expect]
    result["cues"] = cues
    missing = [e for e in args.expect if e not in first_seen]
    if missing:
        result["page_text_tail"] = page.locator("body").inner_text()[-1500:]
        raise TimeoutError(f"cue {missing[0]!r} not shown within {args.cue_timeout * len(args.expect):.0f} s "
                           "of video")
    t_cue = max(first_seen.values())
    last = max(first_seen, key=lambda e: first_seen[e])
    result.update(cue_seen=True, cue_text=cues[args.expect.index(last)]["text"], cue_lines=lines_seen[last],
                  seconds_to_cue=round(t_cue - t_start, 2))

    end = video.evaluate(VIDEO_STATE_JS, timeout=5000)
    result.update(video_width=end["w"], video_height=end["h"])
    if end.get("frames") is not None and state.get("frames") is not None and t_cue > t_video:
        result["received_fps"] = round((end["frames"] - state["frames"]) / (t_cue - t_video), 1)
    if args.measure_s > 0:
        result["phase"] = "measure"
        from camera_clip import COUNTER

        page.wait_for_timeout(args.settle_s * 1000)  # past the start-up: keyframes, bitrate ramp
        raw = video.evaluate(MEASURE_JS, {"seconds": args.measure_s, "layout": COUNTER},
                             timeout=(args.measure_s + 30) * 1000)
        result["live"] = live_figures(raw)
        if args.dump_events:
            args.dump_events.write_text(json.dumps(raw))
        result["live"].update(page_rates(page.locator("body").inner_text()))
    result["phase"] = "done"


MATCH_WINDOW_MS = 3000.0


def live_figures(raw: dict[str, Any]) -> dict[str, Any]:
    """Returned fps and camera-to-screen latency from the counter sightings on both sides.

    Each returned frame is matched with the latest camera sighting of the same number before it
    (the clip loops, so a number comes round again every loop)."""
    if "error" in raw:
        return {"error": raw["error"]}
    camera, returned, seconds = raw["camera"], raw["returned"], raw["seconds"]
    in_order = []  # latency of each returned frame, in the order shown
    for n, t_out, _ in returned:
        # the clip loops, so the same number comes round again: take the camera's sighting just
        # before, within a few seconds (a frame missed by the camera-side reader is left out)
        seen = [t for m, t, _ in camera if m == n and t_out - MATCH_WINDOW_MS <= t <= t_out]
        if seen:
            in_order.append(t_out - max(seen))
    latencies = sorted(in_order)

    def pct(q: float) -> float | None:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1) if latencies else None

    third = max(1, len(in_order) // 3)
    return {
        "seconds": round(seconds, 2), "returned_size": f"{raw['width']}x{raw['height']}",
        "camera_fps": round(len(camera) / seconds, 1), "returned_fps": round(len(returned) / seconds, 1),
        "matched_frames": len(latencies), "latency_ms_median": pct(0.5), "latency_ms_p90": pct(0.9),
        "latency_ms_max": round(latencies[-1], 1) if latencies else None,
        "latency_ms_first_third_median": _median(in_order[:third]),
        "latency_ms_last_third_median": _median(in_order[-third:]),
        "camera_times_are_capture_times": bool(camera) and all(c for _, _, c in camera),
    }


def _median(values: list[float]) -> float | None:
    values = sorted(values)
    return round(values[len(values) // 2], 1) if values else None


def page_rates(text: str) -> dict[str, float]:
    """The coach panel's own video and judged fps, as the page shows them."""
    rates = {}
    for label, key in (("Video fps", "page_video_fps"), ("Judged fps", "page_judged_fps")):
        m = re.search(rf"{label}\s*\n\s*([0-9.]+)", text)
        if m:
            rates[key] = float(m.group(1))
    return rates


def _press_stop(page: Any, result: dict[str, Any]) -> None:
    """End the session the way a person would, so the app's on-ended clean-up runs too."""
    try:
        stop = page.frame_locator(WEBRTC_IFRAME).get_by_role("button", name=re.compile(r"^\s*stop\s*$", re.I))
        stop.click(timeout=5000)
        page.wait_for_timeout(1000)
        result["stopped"] = True
    except Exception as exc:
        result["stop_error"] = repr(exc)[:300]


def parse_result(stdout: str) -> dict[str, Any] | None:
    """The result this driver printed (its last `DRIVE_LIVE_RESULT` line), or None."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            parsed: dict[str, Any] = json.loads(line[len(RESULT_PREFIX):])
            return parsed
    return None


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM (the test's time limit) unwinds like an error, so Streamlit and Chromium are still stopped."""
    raise SystemExit(f"terminated by signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    t0 = time.monotonic()
    result: dict[str, Any] = {"ok": False, "video_seen": False, "cue_seen": False, "expect": args.expect}
    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="posecheck-browser-") as tmp:
        log_path = args.log or Path(tmp) / "streamlit.log"
        user_data = Path(tmp) / "chromium-profile"
        base = f"http://127.0.0.1:{args.port}"
        proc = start_streamlit(args, log_path)
        try:
            result["phase"] = "streamlit health"
            result["seconds_to_health"] = round(wait_health(base, proc, args.startup_timeout), 2)
            drive(args, base, result, user_data)
            result["ok"] = bool(result["video_seen"] and result["cue_seen"])
        except (Exception, SystemExit, KeyboardInterrupt) as exc:
            result["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0][:500]
            traceback.print_exc(file=sys.stderr)
        finally:
            stop_process_group(proc)
            log = log_path.read_text(errors="replace") if log_path.exists() else ""
            result["server_tracebacks"] = log.count("Traceback (most recent call last)")
            result["seconds_total"] = round(time.monotonic() - t0, 2)
            if not result["ok"]:
                print(f"--- streamlit log tail ({log_path}) ---\n{log_tail(log_path)}\n---",
                      file=sys.stderr, flush=True)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
