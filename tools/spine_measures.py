"""Search for a second measure beside back_curve: does anything close the gap to |r| >= 0.9?

docs/spine.md shows that back_curve (the bend between two straight stretches of the back outline)
tracks the lumbar angle set in the renders with r = 0.71 to 0.85 within a pose, and that the error
left is mostly each body's own outline, not the mask. This study tries, on the same frames:

1. other stretches of the outline for the two lines, including the buttocks below the hip
   (stations below 0);
2. back_curve plus one or two more measures, in a linear fit: the middle stretch of the outline,
   and what the landmarks give about the view and the posture (how far the pelvis is turned to
   the camera, trunk lean, the working hip and knee angles, the estimated camera yaw);
3. with `--validate` (the sessions set, whose clips start with a neutral back), each pair of
   stretches read as the checker's own-neutral level reads back_curve: the change from a neutral
   learned in the clip. Every pair is smoothed, learned and levelled exactly as the shipped one
   (posecheck/checker/neutral.py, tools/own_neutral_study.py), on the curated set, then scored on
   the sessions set; and, for comparison, against each clip's own reading at a lumbar angle of 0
   (the best any learning could do).

Five bodies are easy to fit, so every fit is judged three ways: in-sample r; leave-one-body-out r
(the fit never sees the body it predicts); and r on the held-out clips (a new seed and two body
shapes the fit never saw). Each fit also gets a flag level from its own training frames (the
correct-form 99th percentile, or 1st for an arch) and is scored as a check would be: how many
frames at 15 deg or more cross it, and how many at 5 deg or less do.

Readings here are per frame and unsmoothed, traced with the same code the checker runs.

Usage: python tools/spine_measures.py samples/synth --heldout samples/heldout
           [--validate samples/sessions [build/sessions-b]] [--out docs/measurements/spine_measures.md]
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from posecheck.checker.checker import PoseChecker
from posecheck.checker.smoothing import TimeEMA
from posecheck.features import silhouette
from posecheck.features.catalogue import measure
from posecheck.features.skeleton import Skeleton, Unseen
from posecheck.poses import load_catalogue
from posecheck.poses.schema import OwnNeutral
from posecheck.regress import SILENT_DEG as CORRECT_DEG
from posecheck.sources.recording import RecordingSource
from tools.own_neutral_study import (
    FLAT_DEG,
    HYSTERESIS_DEG,
    StudyNeutral,
    fixed_only,
    flag_past_from,
    towards,
    unbounded,
)
from tools.spine_study import STUDIED as SPINE_STUDIED
from tools.spine_study import lumbar_angle, studied_clips

STUDIED = tuple(SPINE_STUDIED)  # the poses, in table order; `towards` gives each mistake's direction
# The shipped stations (0 to 1 in steps of 0.05) with the buttocks below the hip in front of them.
STATIONS = np.concatenate([np.array([-0.2, -0.15]), silhouette.STATIONS])
LOWER_WINDOWS = [(-0.2, 0.05), (-0.1, 0.2), (-0.05, 0.25), (0.0, 0.3), (0.05, 0.35), (0.1, 0.4), (0.0, 0.45)]
UPPER_WINDOWS = [(0.4, 0.7), (0.5, 0.9), (0.6, 1.0)]
# the pairs tried as an own-neutral measure: the lower stretch from the sacrum up to the shipped one
NEUTRAL_LOWER = [(-0.1, 0.2), (-0.05, 0.25), (0.0, 0.3), (0.05, 0.35)]
MUST_FLAG_DEG, SILENT_DEG = 15.0, 5.0
EXTRAS = {
    "mid_back": "angle of the middle stretch (0.3 to 0.6) minus the lower one",
    "pelvis_turn": "hip-to-hip distance in the image over torso length (0 when side-on)",
    "view_yaw": "the view_yaw feature (camera yaw from the world landmarks)",
    "trunk_lean": "the trunk_lean feature (forward positive)",
    "hip_angle": "working hip flexion (the hip_flexion feature)",
    "knee_angle": "working knee flexion (the knee_flexion feature)",
}


def _frame_measures(sk: Skeleton, working: str, windows: tuple[tuple[float, float], ...] = ()
                    ) -> dict[str, float]:
    """The outline profile at STATIONS plus the landmark measures of one frame (NaN if unseen);
    `windows`: more stretches of the outline to measure, beside LOWER_WINDOWS and UPPER_WINDOWS."""
    out: dict[str, float] = {}
    try:
        outline = sk.outline_at(STATIONS)
    except Unseen:
        return {}
    for lo, hi in [*LOWER_WINDOWS, *UPPER_WINDOWS, (0.3, 0.6), *windows]:
        out[f"seg {lo:g}..{hi:g}"] = silhouette.segment_angle(outline, "back", lo, hi)
    out["mid_back"] = out["seg 0.3..0.6"] - out["seg 0..0.3"]
    out["back_curve"] = silhouette.back_curve(sk.trunk_outline)  # the checker's own, unsmoothed
    try:
        (lx, ly), (rx, ry) = sk.pt("left_hip"), sk.pt("right_hip")
        out["pelvis_turn"] = math.hypot(lx - rx, ly - ry) / sk.torso_length
    except Unseen:
        out["pelvis_turn"] = math.nan
    for name, feature in (("view_yaw", "view_yaw"), ("trunk_lean", "trunk_lean"),
                          ("hip_angle", f"{working}_hip_flexion"), ("knee_angle", f"{working}_knee_flexion")):
        try:
            out[name] = float(measure(feature, sk)[0])
        except Unseen:
            out[name] = math.nan
    return out


def collect(root: Path, windows: tuple[tuple[float, float], ...] = (), pose_id: str | None = None
            ) -> list[dict]:
    """One row per frame that the checker traced a back outline on, in every studied clip (of
    `pose_id` only, when given); `windows`: more stretches of the outline to measure."""
    catalogue = load_catalogue()
    rows: list[dict] = []
    for clip, labels, rec_path in studied_clips(root):
        if pose_id is not None and labels["pose"] != pose_id:
            continue
        pose = catalogue[labels["pose"]]
        check_id = SPINE_STUDIED[pose.id][0]
        # the fixed levels only, as tools/own_neutral_study.py learns beside them
        checker = PoseChecker(fixed_only(pose), side=labels["side"])
        for frame_labels, frame in zip(labels["frames"], RecordingSource(rec_path), strict=False):
            verdict = checker.update(frame)
            if frame.landmarks is None or math.isnan(verdict.features.get("back_curve", math.nan)):
                continue
            sk = Skeleton(frame.landmarks, frame.width, frame.height, verdict.camera_side or "left",
                          frame.mask)
            values = _frame_measures(sk, verdict.side or labels["side"], windows)
            if not values:
                continue
            status = next((c for c in verdict.checks if c.id == check_id), None)
            rows.append({
                **values, "pose": labels["pose"], "body": labels["body"]["phenotype"]["name"],
                "clip": clip, "t": verdict.timestamp, "clear": status is not None and status.state == "ok",
                "compensated": bool(labels.get("compensated")), "in_position": verdict.in_position,
                "truth": lumbar_angle(frame_labels["params"]),
            })
    return rows


def _column(rows: list[dict], key: str) -> np.ndarray:
    return np.array([r[key] for r in rows], dtype=float)


def _r(t: np.ndarray, v: np.ndarray) -> float:
    ok = np.isfinite(v)
    if ok.sum() < 5 or np.ptp(t[ok]) < 1e-9 or np.ptp(v[ok]) < 1e-9:
        return math.nan
    return float(np.corrcoef(t[ok], v[ok])[0, 1])


def window_table(rows: list[dict], held: list[dict]) -> str:
    """r of the two-line bend for each pair of stretches, in-sample / held out."""
    out = ["| lower stretch | upper stretch | " + " | ".join(f"{p} (in / held out)" for p in STUDIED) + " |",
           "|---|---|" + "---|" * len(STUDIED)]
    for lo, up in itertools.product(LOWER_WINDOWS, UPPER_WINDOWS):
        cells = []
        for pose in STUDIED:
            pair = []
            for rs in (rows, held):
                sel = [r for r in rs if r["pose"] == pose]
                bend = _column(sel, f"seg {lo[0]:g}..{lo[1]:g}") - _column(sel, f"seg {up[0]:g}..{up[1]:g}")
                pair.append(_r(_column(sel, "truth"), bend))
            cells.append(" / ".join("-" if math.isnan(x) else f"{x:+.2f}" for x in pair))
        shipped = " (shipped)" if (lo, up) == (silhouette.LOWER_BACK, silhouette.UPPER_BACK) else ""
        out.append(f"| {lo[0]:g} to {lo[1]:g}{shipped} | {up[0]:g} to {up[1]:g} | "
                   + " | ".join(cells) + " |")
    return "\n".join(out)


def within_clip_table(rows: list[dict], held: list[dict]) -> str:
    """r inside the clips whose lumbar angle moves (ramps and pulses), each clip's own mean taken
    off both the reading and the truth: one person, one camera placement, one common slope."""
    out = ["| pose | clips that move: in / held out | r pooled over those clips: in / held out "
           "| r within each clip (means taken off): in / held out | each clip's own r |",
           "|---|---|---|---|---|"]
    for pose in STUDIED:
        cells: list[list[str]] = [[], [], []]
        own: list[str] = []
        for rs in (rows, held):
            sel = [r for r in rs if r["pose"] == pose]
            truths: dict[str, list[float]] = {}
            for r in sel:
                truths.setdefault(r["clip"], []).append(r["truth"])
            clips = sorted(c for c, t in truths.items() if np.ptp(t) > 0)
            moving = [r for r in sel if r["clip"] in clips]
            t, v = _column(moving, "truth"), _column(moving, "back_curve")
            tc, vc = t.copy(), v.copy()
            for clip in clips:
                idx = np.array([r["clip"] == clip for r in moving])
                own.append(f"{clip.split('__', 1)[1]} {_r(t[idx], v[idx]):+.2f}")
                tc[idx] -= t[idx].mean()
                vc[idx] -= v[idx].mean()
            cells[0].append(str(len(clips)))
            for cell, (a, b) in zip(cells[1:], ((t, v), (tc, vc)), strict=True):
                value = _r(a, b) if clips else math.nan
                cell.append("-" if math.isnan(value) else f"{value:+.2f}")
        out.append(f"| {pose} | " + " | ".join(" / ".join(c) for c in cells) + f" | {', '.join(own)} |")
    return "\n".join(out)


def _design(rows: list[dict], cols: tuple[str, ...]) -> np.ndarray:
    bend = _column(rows, "seg 0..0.3") - _column(rows, "seg 0.6..1")
    return np.stack([bend, *(_column(rows, c) for c in cols)], axis=1)


def _fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Least squares of truth on the measures; the returned function predicts truth."""
    ok = np.all(np.isfinite(x), axis=1)
    a = np.hstack([x[ok], np.ones((int(ok.sum()), 1))])
    w, *_ = np.linalg.lstsq(a, y[ok], rcond=None)
    return lambda z: np.hstack([z, np.ones((len(z), 1))]) @ w


def _check_scores(pred: np.ndarray, truth: np.ndarray, level: float | np.ndarray,
                  sign: float) -> tuple[float, float]:
    """Share of must-flag frames that cross `level` (one, or one per frame), and of silent frames
    that do."""
    crossed = np.where(np.isfinite(pred), sign * pred > sign * level, False)
    must, silent = sign * truth >= MUST_FLAG_DEG, sign * truth <= SILENT_DEG
    return (float(crossed[must].mean()) if must.any() else math.nan,
            float(crossed[silent].mean()) if silent.any() else math.nan)


def _flag_level(pred: np.ndarray, truth: np.ndarray, in_position: np.ndarray, sign: float) -> float:
    correct = pred[(sign * truth <= SILENT_DEG) & in_position & np.isfinite(pred)]
    return float(np.percentile(correct, 99 if sign > 0 else 1))


def model_rows(rows: list[dict], held: list[dict], pose: str, max_extra: int = 2) -> list[tuple]:
    """Every fit of back_curve plus up to `max_extra` extra measures, scored three ways."""
    sign = towards(pose)
    a = [r for r in rows if r["pose"] == pose]
    b = [r for r in held if r["pose"] == pose]
    ya, yb = _column(a, "truth"), _column(b, "truth")
    pos_a = np.array([r["in_position"] for r in a])
    comp_a = np.array([r["compensated"] for r in a])
    bodies = np.array([r["body"] for r in a])
    results = []
    for k in range(max_extra + 1):
        for extra in itertools.combinations(EXTRAS, k):
            xa, xb = _design(a, extra), _design(b, extra)
            model = _fit(xa, ya)
            pa, pb = model(xa), model(xb)
            level = _flag_level(pa, ya, pos_a, sign)
            # each body predicted by a fit without it, against that fit's own flag level
            cv, cv_level = np.full(len(a), math.nan), np.full(len(a), math.nan)
            for body in sorted(set(bodies)):
                test = bodies == body
                fold = _fit(xa[~test], ya[~test])
                cv[test] = fold(xa[test])
                cv_level[test] = _flag_level(fold(xa[~test]), ya[~test], pos_a[~test], sign)
            results.append((
                ("back_curve", *extra), _r(ya, pa), _r(ya, cv), _r(yb, pb),
                *_check_scores(pa, ya, level, sign),
                *_check_scores(cv, ya, cv_level, sign),
                *_check_scores(pb, yb, level, sign),
                _check_scores(pa[comp_a], ya[comp_a], level, sign)[0],
                _check_scores(cv[comp_a], ya[comp_a], cv_level[comp_a], sign)[0]))
    return results


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{100 * x:.0f}%"


def _signed(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:+.2f}"


def model_table(rows: list[dict], held: list[dict], top: int = 8) -> str:
    out = []
    for pose in STUDIED:
        results = model_rows(rows, held, pose)
        base = next(r for r in results if r[0] == ("back_curve",))
        best = sorted((r for r in results if r is not base), key=lambda r: -r[2])[:top]
        out += [f"### {pose}", "",
                "| measures | r in-sample | r leave one body out | r held out | caught in / false in "
                "| caught / false, body left out | caught / false, held out "
                "| compensated caught: in / body left out |",
                "|---|---|---|---|---|---|---|---|"]
        for (name, r_in, r_cv, r_held, hit, false, cv_hit, cv_false, h_hit, h_false,
             c_hit, c_cv) in [base, *best]:
            pct = _pct
            out.append(f"| {' + '.join(name)} | {r_in:+.2f} | {r_cv:+.2f} | {r_held:+.2f} | "
                       f"{pct(hit)} / {pct(false)} | {pct(cv_hit)} / {pct(cv_false)} | "
                       f"{pct(h_hit)} / {pct(h_false)} | {pct(c_hit)} / {pct(c_cv)} |")
        out.append("")
    return "\n".join(out)


def _clips(rows: list[dict], pose: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        if r["pose"] == pose:
            out.setdefault(r["clip"], []).append(r)
    return out


Pair = tuple[tuple[float, float], tuple[float, float]]  # (lower, upper) stretch of the outline


def _bend(row: dict, key: Pair) -> float:
    """The bend between a lower and an upper stretch of the outline on one frame, degrees."""
    (lo, up) = key
    return row[f"seg {lo[0]:g}..{lo[1]:g}"] - row[f"seg {up[0]:g}..{up[1]:g}"]


def learned_rows(clip_rows: list[dict], key: Pair, tau_s: float, spec: OwnNeutral
                 ) -> list[tuple[dict, float]]:
    """(row, change from the learned neutral) on the in-position frames after a neutral was
    learned, the pair's bend smoothed and learned as the checker does its own (`StudyNeutral`)."""
    if not clip_rows:
        return []
    ema, learner = TimeEMA(tau_s), StudyNeutral(clip_rows[0]["pose"], spec)
    out = []
    for r in clip_rows:
        value = ema.update(r["t"], _bend(r, key))
        if not r["in_position"]:
            learner.reset()
            continue
        learner.update(r["t"], value, fixed_clear=r["clear"])
        if learner.value is not None and math.isfinite(value):
            out.append((r, value - learner.value))
    return out


def _learned_changes(clip_rows: list[dict], key: Pair, tau_s: float, spec: OwnNeutral
                     ) -> list[tuple[float, float]]:
    """(change from the learned neutral, lumbar angle): `learned_rows` for the correlation."""
    return [(change, r["truth"]) for r, change in learned_rows(clip_rows, key, tau_s, spec)]


def _zero_changes(clip_rows: list[dict], key: Pair, min_swing_deg: float = MUST_FLAG_DEG
                  ) -> list[tuple[float, float, bool]]:
    """(change from the clip's own mean reading at a lumbar angle of 0, lumbar angle, compensated)
    on its in-position frames; none for a clip whose angle swings less than `min_swing_deg` (by
    default, one too still to tell a gain) or that has too few frames at 0."""
    rs = [r for r in clip_rows if r["in_position"]]
    b = np.array([_bend(r, key) for r in rs])
    t = np.array([r["truth"] for r in rs])
    zero = (np.abs(t) < 0.5) & np.isfinite(b)
    if zero.sum() < 3 or np.ptp(t) < min_swing_deg:
        return []
    return [(v - b[zero].mean(), a, r["compensated"]) for v, a, r in zip(b, t, rs, strict=True)
            if math.isfinite(v)]


def _gain_range(per_clip: list[list[tuple[float, float, bool]]], compensated: bool) -> tuple[float, float]:
    """Smallest and largest slope of change on lumbar angle over the clips (plain or compensated)."""
    slopes = []
    for changes in per_clip:
        z = [(c, a) for c, a, k in changes if k == compensated]
        if len(z) > 3:
            slopes.append(float(np.polyfit([a for _, a in z], [c for c, _ in z], 1)[0]))
    return (min(slopes), max(slopes)) if slopes else (math.nan, math.nan)


def neutral_rows(rows: list[dict], validate: list[dict], pose: str) -> list[tuple]:
    """Per pair of stretches: the own-neutral level derived on `rows` as the shipped one is
    (tools/own_neutral_study.py), and r of the change from a learned neutral on `validate`."""
    sign = towards(pose)
    definition = load_catalogue()[pose]
    spec = definition.check(SPINE_STUDIED[pose][0]).from_own_neutral
    tau = definition.smoothing_s
    free = unbounded(spec)
    cal_clips, val_clips = list(_clips(rows, pose).values()), list(_clips(validate, pose).values())
    correct_rows = [r for r in rows
                    if r["pose"] == pose and r["in_position"] and sign * r["truth"] <= CORRECT_DEG]
    out = []
    for key in itertools.product(NEUTRAL_LOWER, UPPER_WINDOWS):
        correct = np.array([_bend(r, key) for r in correct_rows])
        correct = correct[np.isfinite(correct)]
        low, high = float(np.percentile(correct, 1)), float(np.percentile(correct, 99))
        drift = [sign * c for clip in cal_clips
                 for c, a in _learned_changes(clip, key, tau, free) if abs(a) <= FLAT_DEG]
        p99 = float(np.percentile(drift, 99)) if drift else math.nan
        flag = flag_past_from(p99)
        clipped = free.model_copy(update={"flag_past": flag, "clear_within": flag - HYSTERESIS_DEG,
                                          "neutral_range": (low, high)})
        cells = []
        for spec_ in (clipped, free):
            pairs = [p for clip in val_clips for p in _learned_changes(clip, key, tau, spec_)]
            cells.append(_r(np.array([a for _, a in pairs]), np.array([c for c, _ in pairs])))
        per_clip = [_zero_changes(clip, key) for clip in val_clips]
        zero = [z for changes in per_clip for z in changes]
        r_zero = _r(np.array([a for _, a, _ in zero]), np.array([c for c, _, _ in zero]))
        out.append((key, low, high, p99, flag, *cells, r_zero, _gain_range(per_clip, False),
                    _gain_range(per_clip, True)))
    return out


def neutral_table(rows: list[dict], validate: list[dict]) -> str:
    shipped = (silhouette.LOWER_BACK, silhouette.UPPER_BACK)
    out = []
    for pose in STUDIED:
        out += [f"### {pose}", "",
                "| lower stretch | upper stretch | correct form 1%-99% | flat-back drift once learned, "
                "99th pct | flag past (derived) | r change, neutral kept in range | r change, not kept "
                "in range | r change from the clip's own 0 deg reading | gain min-max, plain clips "
                "| gain min-max, compensated clips |", "|---|---|---|---|---|---|---|---|---|---|"]
        for (lo, up), low, high, p99, flag, r_in, r_free, r_zero, g_plain, g_comp in neutral_rows(
                rows, validate, pose):
            name, num = " (shipped)" if (lo, up) == shipped else "", _signed
            out.append(f"| {lo[0]:g} to {lo[1]:g}{name} | {up[0]:g} to {up[1]:g} | {low:.1f} to {high:.1f} | "
                       f"{p99:.1f} | {flag:g} | {num(r_in)} | {num(r_free)} | {num(r_zero)} | "
                       f"{g_plain[0]:.2f}-{g_plain[1]:.2f} | {g_comp[0]:.2f}-{g_comp[1]:.2f} |")
        out.append("")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the clips the fits are made on")
    parser.add_argument("--heldout", type=Path, required=True, help="clips no fit sees")
    parser.add_argument("--validate", type=Path, nargs="*", default=[],
                        help="sets whose clips start with a neutral back (the sessions sets)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows, held = collect(args.root), collect(args.heldout)
    validate = {path: collect(path) for path in args.validate}
    if not rows or not held:
        raise SystemExit("No studied clips with landmark recordings found: run tools/extract_samples.py")
    extras = "\n".join(f"- `{k}`: {v}" for k, v in EXTRAS.items())
    text = (
        f"Frames: {len(rows)} in-sample ({args.root}), {len(held)} held out ({args.heldout}).\n\n"
        "## The two-line bend over other stretches of the outline\n\n"
        "Stations run from the hip (0) to the shoulder (1); below 0 is the buttocks.\n\n"
        f"{window_table(rows, held)}\n\n"
        "## One person, one camera placement: r inside a clip\n\n"
        "The best a calibration within one session could do (it would still need the person to "
        "start with a neutral back, which nothing here can check).\n\n"
        f"{within_clip_table(rows, held)}\n\n"
        "## back_curve plus other measures, fitted\n\n"
        f"Extra measures tried:\n{extras}\n\n"
        "Each table gives back_curve alone first, then the best fits by leave-one-body-out r. "
        f"'Caught' is the share of frames at {MUST_FLAG_DEG:g} deg or more past the flag level, "
        f"'false' the share of frames at {SILENT_DEG:g} deg or less; the flag level is set on the "
        "frames the fit was made on (for 'body left out', without that body).\n\n"
        f"{model_table(rows, held)}")
    for path, rows_v in validate.items():
        text += (
            f"\n## Other stretches read against the person's own neutral ({path})\n\n"
            "Each pair of stretches is smoothed, learned and levelled as the shipped own-neutral "
            f"level is: its range and its flag level derived on {args.root} (1.5 deg past the larger "
            "of the flat-back drift once learned and the 3 deg of mask noise), then r of the change "
            f"from the learned neutral against the lumbar angle set, pooled over the {path} "
            "clips. The last columns take each clip's own reading at 0 deg instead (the best any "
            "learning could do) and give the spread of the outline's turn per degree set (gain) "
            "across those clips, plain and compensated.\n\n"
            f"{neutral_table(rows, rows_v)}")
    print(text)
    if args.out:
        command = " ".join(["python tools/spine_measures.py", *sys.argv[1:]])
        args.out.write_text(f"# A second measure for the back's outline\n\nGenerated by `{command}`.\n\n"
                            f"{__doc__.split(chr(10) + chr(10), 1)[1].split('Usage:')[0].strip()}\n\n{text}",
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
