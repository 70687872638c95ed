"""A clip: timeline of parameters -> posed bodies -> rendered frames -> H.264 mp4 + labels."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np

from tools.synth import body as B
from tools.synth.poses import PRONE_OVER, STRETCHES, SUPINE, Built
from tools.synth.reps import Reps
from tools.synth.scene import Camera, Look, Prop, frame_camera, random_look, room_props, vertex_colors

FPS = 15
WIDTH, HEIGHT = 640, 480

PHENOTYPES: dict[str, dict[str, float]] = {
    "male_average": {
        "gender": 0.0,
        "age": 0.75,
        "muscle": 0.5,
        "weight": 0.5,
        "height": 0.6,
        "proportions": 0.5,
    },
    "female_slim": {
        "gender": 1.0,
        "age": 0.7,
        "muscle": 0.4,
        "weight": 0.3,
        "height": 0.45,
        "proportions": 0.5,
    },
    "male_heavy_older": {
        "gender": 0.0,
        "age": 0.95,
        "muscle": 0.4,
        "weight": 0.85,
        "height": 0.45,
        "proportions": 0.5,
    },
    "female_tall": {
        "gender": 1.0,
        "age": 0.85,
        "muscle": 0.5,
        "weight": 0.65,
        "height": 0.8,
        "proportions": 0.5,
    },
    "male_tall_lean": {
        "gender": 0.1,
        "age": 0.72,
        "muscle": 0.7,
        "weight": 0.35,
        "height": 0.85,
        "proportions": 0.5,
    },
}

# Bodies only the held-out set uses (matrix.held_out), so that its scores are on unseen shapes.
EXTRA_PHENOTYPES: dict[str, dict[str, float]] = {
    "female_short_muscular": {
        "gender": 0.9,
        "age": 0.68,
        "muscle": 0.8,
        "weight": 0.5,
        "height": 0.2,
        "proportions": 0.35,
    },
    "male_short_heavy": {
        "gender": 0.05,
        "age": 0.82,
        "muscle": 0.45,
        "weight": 0.75,
        "height": 0.25,
        "proportions": 0.65,
    },
}
ALL_PHENOTYPES = {**PHENOTYPES, **EXTRA_PHENOTYPES}

# Drawn bodies (matrix.bodies): many random adult shapes, to measure how far correct form spreads
# between people, which seven named bodies cannot show. Ranges: anny's adult ages (0.67 young adult
# to 1.0 old), and every other control short of its extremes, where the mesh or the floor contact
# stops being plausible.
DRAWN_RANGES: dict[str, tuple[float, float]] = {
    "gender": (0.0, 1.0),
    "age": (0.67, 1.0),
    "muscle": (0.2, 0.85),
    "weight": (0.15, 0.9),
    "height": (0.1, 0.9),
    "proportions": (0.25, 0.75),
}
BODIES_A_SEED = 6061
BODIES_B_SEED = 6062
BODIES_C_SEED = 6063
RESTLESS_SEED = 7071  # matrix.restless: correct holds by 20 more drawn bodies, never still
RESTLESS_B_SEED = 7072  # ...and 20 others again, to check blind what was chosen on the first
RESTLESS_C_SEED = 7073  # ...and 20 more, rendered after the first two had been looked at
DRAWN_PER_SET = 20


def drawn_phenotypes(seed: int, n: int = DRAWN_PER_SET) -> dict[str, dict[str, float]]:
    """``n`` random adult phenotypes named ``drawn<seed>_<i>``, stratified per control so that each
    control covers its range evenly (a Latin hypercube), deterministic in ``seed``."""
    rng = np.random.default_rng(seed)
    cols = {}
    for k, (lo, hi) in DRAWN_RANGES.items():
        u = (rng.permutation(n) + rng.random(n)) / n
        cols[k] = lo + u * (hi - lo)
    return {f"drawn{seed}_{i:02d}": {k: round(float(v[i]), 3) for k, v in cols.items()} for i in range(n)}


DRAWN_SEEDS = (BODIES_A_SEED, BODIES_B_SEED, BODIES_C_SEED, RESTLESS_SEED, RESTLESS_B_SEED,
               RESTLESS_C_SEED)
DRAWN_PHENOTYPES = {k: v for seed in DRAWN_SEEDS for k, v in drawn_phenotypes(seed).items()}
EVERY_PHENOTYPE = {**ALL_PHENOTYPES, **DRAWN_PHENOTYPES}

TIMINGS = ("hold", "ramp", "pulse", "session", "creep", "settled")
SESSION_NEUTRAL_S = 1.8  # a "session" clip holds a neutral back this long before the mistake ramps in
# a "settled" clip: the session clip's ramp after a longer neutral start, as a real hold gives
# (the coach asks again after NEUTRAL_PATIENCE_S, 5 s, when the neutral is still not learned)
SETTLED_NEUTRAL_S = 5.0
# how long a neutral back is held before the mistake ramps in over 1.5 s, by timing
NEUTRAL_START_S = {"session": SESSION_NEUTRAL_S, "settled": SETTLED_NEUTRAL_S}
# a "creep" clip: the same neutral start, then the mistake grows slowly, over this long (30 deg at
# 3 deg a second), so the back is still rounding while the learned neutral settles
CREEP_S = 10.0
VIEWS = ("side", "front")
FRONT_YAW_MAX_DEG = 12.0  # a front camera sits up to this far off straight-on, towards camera_side


@dataclass
class Move:
    """A non-mistake parameter change: ``param`` goes to ``to`` between start_s and end_s."""

    param: str
    to: float
    start_s: float
    end_s: float
    leaves_position: bool = False  # the person leaves the stretch position


@dataclass
class Wobble:
    """A parameter that swings around its value all clip long: ``amplitude`` * sin(2 pi t /
    ``period_s`` + ``phase``), e.g. breathing or a body that sways while holding a stretch."""

    param: str
    amplitude: float
    period_s: float
    phase: float = 0.0

    def at(self, t: float) -> float:
        return self.amplitude * math.sin(2.0 * math.pi * t / self.period_s + self.phase)


@dataclass
class ClipSpec:
    """Everything that defines one clip (anything left None is drawn from the seed)."""

    name: str
    pose: str
    side: str = "left"  # working side
    camera_side: str = "left"  # body side facing the camera
    mistake: str | None = None
    severity: float = 0.0
    compensated: bool = False
    timing: str = "hold"
    duration_s: float = 3.0
    overrides: dict[str, float] = field(default_factory=dict)
    moves: list[Move] = field(default_factory=list)
    wobbles: list[Wobble] = field(default_factory=list)
    body: str | None = None
    skin: str | None = None
    yaw_deg: float | None = None  # camera yaw from side-on (90 = straight at the front)
    elevation_deg: float | None = None
    seed: int = 0
    view: str | None = None  # "side" or "front"; None: the stretch's own view
    reps: Reps | None = None  # repeated movement (its cycles set the duration)
    backrest_gap_m: float | None = None  # seated: a chair back this far behind the pelvis (None: a stool)
    room: bool = False  # furniture between the body and the wall (scene.room_props), drawn from the name


def activation(timing: str, t: float, dur: float) -> float:
    """Fraction of the mistake's severity present at time ``t`` (0..1)."""
    if timing == "hold":
        return 1.0
    if timing == "ramp":  # correct until 0.5 s, linear to full at dur - 1 s, then hold
        return float(np.clip((t - 0.5) / max(dur - 1.5, 0.1), 0.0, 1.0))
    if timing == "pulse":  # in 1.0->1.3 s, hold, out 2.2->2.5 s
        if t < 1.0 or t >= 2.5:
            return 0.0
        if t < 1.3:
            return (t - 1.0) / 0.3
        if t <= 2.2:
            return 1.0
        return (2.5 - t) / 0.3
    if timing in NEUTRAL_START_S:  # a neutral back (the checker learns it), a 1.5 s ramp, hold
        return float(np.clip((t - NEUTRAL_START_S[timing]) / 1.5, 0.0, 1.0))
    if timing == "creep":  # the session clip's neutral start, then a slow ramp over CREEP_S, hold
        return float(np.clip((t - SESSION_NEUTRAL_S) / CREEP_S, 0.0, 1.0))
    raise ValueError(timing)


def plateau(timing: str, dur: float) -> tuple[float, float]:
    """When the severity is at its plateau: (start_s, end_s)."""
    if timing in NEUTRAL_START_S:
        return NEUTRAL_START_S[timing] + 1.5, dur
    return {"hold": (0.0, dur), "ramp": (dur - 1.0, dur), "pulse": (1.3, 2.2),
            "creep": (SESSION_NEUTRAL_S + CREEP_S, dur)}[timing]


def frame_params(spec: ClipSpec, t: float) -> tuple[dict[str, float], float]:
    """Parameters at time ``t`` and the mistake activation."""
    st = STRETCHES[spec.pose]
    q = dict(st.defaults)
    q.update(spec.overrides)
    a = 0.0
    if spec.mistake:
        a = activation(spec.timing, t, spec.duration_s)
        for k, d in st.mistakes[spec.mistake].deltas(spec.severity, spec.compensated).items():
            q[k] = q.get(k, 0.0) + a * d  # a parameter with no default starts at 0
    for m in spec.moves:
        f = float(np.clip((t - m.start_s) / max(m.end_s - m.start_s, 1e-6), 0.0, 1.0))
        q[m.param] = q[m.param] + f * (m.to - q[m.param])
    for w in spec.wobbles:
        q[w.param] = q.get(w.param, 0.0) + w.at(t)
    if spec.reps is not None:
        for k, v in spec.reps.offsets(t).items():
            q[k] = q.get(k, 0.0) + v
    return q, a


def world_rotation(orientation: str, pitch_deg: float = 0.0) -> np.ndarray:
    """Body frame -> world for an orientation (lying bodies have the head towards +Y)."""
    base = {SUPINE: B.rot_x(-90), PRONE_OVER: B.rot_x(180)}.get(orientation, np.eye(3))
    return B.rot_x(pitch_deg) @ base


_BODIES: dict[str, B.Body] = {}


def get_body(name: str) -> B.Body:
    """One Body per phenotype name, cached."""
    if name not in _BODIES:
        _BODIES[name] = B.Body(EVERY_PHENOTYPE[name])
    return _BODIES[name]


def place(body: B.Body, built: Built, mirror: bool) -> tuple[B.Posed, float]:
    """Pose the body and put it on the floor; returns the body and the solved pitch."""
    pose = built.pose.mirrored() if mirror else built.pose
    posed = body.pose(pose, world_rotation(built.orientation, built.pitch_deg))
    c = built.contact

    def idx(regions: list[str]) -> np.ndarray:
        names = [_mirror_region(r) if mirror else r for r in regions]
        return np.concatenate([body.region_idx[r] for r in names])

    second = idx(c.second) if c.second else None
    return B.solve_contact(posed, idx(c.first), second, c.first_h, c.second_h, c.pitch_range)


def _mirror_region(r: str) -> str:
    if r.endswith(".L"):
        return r[:-2] + ".R"
    if r.endswith(".R"):
        return r[:-2] + ".L"
    return r


def make_props(body: B.Body, built: Built, posed: B.Posed, mirror: bool, look: Look,
               backrest_gap_m: float | None = None) -> list[Prop]:
    """Props whose tops sit under the region they support (computed on the first frame).

    ``roll``: a bolster on the floor under the highest part of the region's underside (its
    diameter fills the gap). ``wall_back``: a wall touching the back of the region. A ``seat`` gets
    a chair back (a board 45 cm high, 3 cm thick) `backrest_gap_m` behind the back of the region
    when that is given."""
    props: list[Prop] = []
    wood = (150, 110, 70)
    for kind, region in built.contact.props.items():
        r = _mirror_region(region) if mirror else region
        v = posed.vertices[body.region_idx[r]]
        low = v[v[:, 2].argmin()]
        top = float(max(low[2], 0.02))
        if kind == "step":
            props.append(Prop("box", (low[0], low[1] - 0.05, top / 2), (0.40, 0.32, top), wood))
        elif kind == "seat":
            props.append(Prop("box", (low[0], low[1] + 0.02, top / 2), (0.45, 0.40, top), wood))
            if backrest_gap_m is not None:  # the back is +Y (as for wall_back)
                back = float(v[:, 1].max()) + backrest_gap_m
                props.append(Prop("box", (low[0], back + 0.015, top + 0.225), (0.42, 0.03, 0.45), wood))
        elif kind == "towel":
            hip_y = 0.5 * (posed.keypoints["left_hip"][1] + posed.keypoints["right_hip"][1])
            props.append(Prop("cylinder", (low[0], hip_y + 0.13, 0.045), (0.055, 0.55, 0), (200, 190, 150)))
        elif kind == "roll":
            props.append(_roll_under(posed.vertices[body.region_idx[r]]))
        elif kind == "wall_back":
            back = float(posed.vertices[body.region_idx[r], 1].max())
            c = posed.vertices.mean(0)
            wall_rgb = tuple(int(0.85 * x) for x in look.wall_rgb)
            props.append(Prop("box", (c[0], back + 0.06, 1.2), (2.4, 0.12, 2.4), wall_rgb))
        elif kind == "bed":
            hip_y = 0.5 * (posed.keypoints["left_hip"][1] + posed.keypoints["right_hip"][1])
            props.append(
                Prop(
                    "box",
                    (posed.vertices[:, 0].mean(), hip_y + 0.06 + 1.0, top / 2),
                    (0.9, 2.0, top),
                    (235, 235, 240),
                )
            )
    kneeling = any(r.startswith("shin") for r in built.contact.second or [])
    if built.orientation == SUPINE or kneeling:
        c = posed.vertices.mean(0)
        props.append(Prop("box", (c[0], c[1], 0.002), (0.75, 2.0, 0.004), look.mat_rgb))
    return props


def _roll_under(v: np.ndarray) -> Prop:
    """A bolster (along X) under the highest point of the underside of the vertices ``v``."""
    mid = v[np.abs(v[:, 0] - np.median(v[:, 0])) < 0.06]
    edges = np.linspace(mid[:, 1].min(), mid[:, 1].max(), 13)
    best_y, best_z = float(mid[:, 1].mean()), 0.0
    for lo, hi in pairwise(edges):
        band = mid[(mid[:, 1] >= lo) & (mid[:, 1] < hi), 2]
        if len(band) and band.min() > best_z:
            best_y, best_z = 0.5 * (lo + hi), float(band.min())
    r = float(np.clip(best_z / 2, 0.03, 0.12))
    return Prop("cylinder", (float(np.median(v[:, 0])), best_y, r), (r, 0.6, 0), (120, 140, 170))


@dataclass
class Rendered:
    """Frames and everything the labels need."""

    frames: list[np.ndarray]
    times: list[float]
    params: list[dict[str, float]]
    activations: list[float]
    kp2d: list[dict[str, list[float]]]
    measured: list[dict[str, float]]
    camera: Camera
    look: Look
    props: list[Prop]
    phenotype_name: str
    key_light_deg: float
    view: str = "side"


def measure(
    body: B.Body, posed: B.Posed, front: bool = False, extra: tuple[str, ...] = ()
) -> dict[str, float]:
    """Measured quantities of the posed 3D body (not set parameters).

    Front views add the hip line's tilt from horizontal in the world's frontal (X-Z) plane:
    between the hip joint centres, and between the COCO hip keypoints (which a landmark
    model approximates; they sit on the surface and move with thigh flexion).
    """
    k = posed.keypoints
    sh = 0.5 * (k["left_shoulder"] + k["right_shoulder"])
    hp = 0.5 * (k["left_hip"] + k["right_hip"])
    d = sh - hp
    trunk = math.degrees(math.atan2(math.hypot(d[0], d[1]), d[2]))
    pelvis_low = float(posed.vertices[body.region_idx["pelvis"], 2].min())
    sh_low = float(posed.vertices[body.region_idx["thorax"], 2].min())
    out = {
        "trunk_from_vertical_deg": round(trunk, 2),
        "pelvis_lowest_cm": round(100 * pelvis_low, 2),
        "upper_back_lowest_cm": round(100 * sh_low, 2),
        "hip_height_cm": round(100 * float(hp[2]), 2),
    }
    if front:
        out["hip_joint_line_tilt_deg"] = round(_frontal_tilt(posed.hip_joints[0] - posed.hip_joints[1]), 2)
        out["hip_keypoint_line_tilt_deg"] = round(_frontal_tilt(k["left_hip"] - k["right_hip"]), 2)
    for name in extra:
        out[name] = round(EXTRA_MEASURES[name](body, posed), 2)
    return out


def _mid(k: dict[str, np.ndarray], name: str) -> np.ndarray:
    return 0.5 * (k[f"left_{name}"] + k[f"right_{name}"])


def _from_vertical(top: np.ndarray, bottom: np.ndarray, head_y: float) -> float:
    """Angle of top->bottom from straight down in the Y-Z plane, positive when the bottom end
    is further towards the head (``head_y``: the head's direction along Y, +1 or -1)."""
    d = bottom - top
    return math.degrees(math.atan2(head_y * float(d[1]), -float(d[2])))


def _head_dir(k: dict[str, np.ndarray]) -> float:
    return 1.0 if k["nose"][1] > _mid(k, "hip")[1] else -1.0


EXTRA_MEASURES = {
    # hands forward of the shoulders (towards the head) is positive
    "arm_from_vertical_deg": lambda b, p: _from_vertical(
        _mid(p.keypoints, "shoulder"), _mid(p.keypoints, "wrist"), _head_dir(p.keypoints)
    ),
    # knees forward of the hips (towards the head: hips back behind the knees) is positive
    "thigh_from_vertical_deg": lambda b, p: _from_vertical(
        _mid(p.keypoints, "hip"), _mid(p.keypoints, "knee"), _head_dir(p.keypoints)
    ),
    "hips_above_heels_cm": lambda b, p: 100
    * float(_mid(p.keypoints, "hip")[2] - 0.5 * (p.keypoints["left_heel"][2] + p.keypoints["right_heel"][2])),
    "shoulder_ahead_of_ankle_cm": lambda b, p: 100
    * float(_mid(p.keypoints, "ankle")[1] - _mid(p.keypoints, "shoulder")[1]),
}


def _frontal_tilt(v: np.ndarray) -> float:
    """Tilt from horizontal of a left-minus-right vector in the X-Z plane; positive: left lower."""
    return math.degrees(math.atan2(-float(v[2]), abs(float(v[0]))))


def render_clip(spec: ClipSpec, renderer) -> Rendered:
    """Pose every frame, frame the camera on the whole clip, render."""
    rng = np.random.default_rng(spec.seed)
    st = STRETCHES[spec.pose]
    body_name = spec.body or str(rng.choice(list(PHENOTYPES)))
    look = random_look(rng, spec.skin)
    view = spec.view or st.view
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    # side: swung 0-25 deg from side-on towards the body's front; front: up to
    # FRONT_YAW_MAX_DEG off straight-on, towards the camera_side (same single draw)
    if view == "front":
        yaw = spec.yaw_deg if spec.yaw_deg is not None else 90.0 - float(rng.uniform(0, FRONT_YAW_MAX_DEG))
    else:
        yaw = spec.yaw_deg if spec.yaw_deg is not None else float(rng.uniform(0, 25))
    lo, hi = st.elevation_range
    elev = spec.elevation_deg if spec.elevation_deg is not None else float(rng.uniform(lo, hi))
    height_jitter = float(rng.uniform(-0.08, 0.08))
    key_light = float(rng.uniform(-60, 60))
    body = get_body(body_name)
    colors = vertex_colors(body, look)
    mirror = spec.side == "right"
    n = int(round(spec.duration_s * FPS))
    times = [i / FPS for i in range(n)]
    posed_all, params, acts = [], [], []
    last: tuple[dict[str, float], B.Posed, Built, float] | None = None
    for t in times:
        q, a = frame_params(spec, t)
        if last is not None and q == last[0]:  # a still stretch of the clip: same body
            posed, built, pitch = last[1], last[2], last[3]
        else:
            built = st.build(q)
            posed, pitch = place(body, built, mirror)
            last = (dict(q), posed, built, pitch)
        q = {k: round(v, 3) for k, v in q.items()}
        q["solved_pitch_deg"] = round(pitch, 3)
        posed_all.append((posed, built))
        params.append(q)
        acts.append(a)
    # centre the body on the origin using the first frame
    off = posed_all[0][0].vertices.mean(0) * np.array([1, 1, 0])
    moved: dict[int, B.Posed] = {}  # translate each distinct pose once (still frames share one)
    posed_all = [(moved.setdefault(id(p), B.translate(p, -off)), b) for p, b in posed_all]
    allv = np.concatenate([p.vertices[::7] for p, _ in posed_all])
    # camera on the body's left (+X) when the left side faces it (front view: offset that way)
    cam = frame_camera(allv, yaw, elev, spec.camera_side == "left", height_jitter)
    props = make_props(body, posed_all[0][1], posed_all[0][0], mirror, look, spec.backrest_gap_m)
    if spec.room:
        room_rng = np.random.default_rng(zlib.crc32(f"room:{spec.name}".encode()))
        props += room_props(cam, allv.mean(0), look, room_rng)
    renderer.setup(cam, look, props, allv.mean(0), key_light)
    frames, kp2d, measured = [], [], []
    names = [*B.COCO_NAMES_17, *B.COCO_FOOT_NAMES]
    prev: tuple[B.Posed, np.ndarray] | None = None
    for posed, _ in posed_all:
        if prev is not None and prev[0] is posed:  # unchanged pose: the same picture
            frames.append(prev[1])
        else:
            frames.append(renderer.render(posed.vertices, body.faces, colors))
            prev = (posed, frames[-1])
        pts = cam.project(np.stack([posed.keypoints[k] for k in names]))
        kp2d.append(
            {k: [round(float(x), 2), round(float(y), 2)] for k, (x, y) in zip(names, pts, strict=True)}
        )
        measured.append(measure(body, posed, front=view == "front", extra=st.measures))
    return Rendered(frames, times, params, acts, kp2d, measured, cam, look, props, body_name, key_light, view)


def write_mp4(frames: list[np.ndarray], path: Path, fps: int = FPS, crf: int = 28) -> None:
    """Encode RGB frames as H.264 (libx264, yuv420p), deterministic (one thread)."""
    import av

    with av.open(str(path), mode="w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height = frames[0].shape[1], frames[0].shape[0]
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": str(crf), "preset": "medium", "threads": "1"}
        stream.codec_context.thread_count = 1
        for f in frames:
            for pkt in stream.encode(av.VideoFrame.from_ndarray(f, format="rgb24")):
                out.mux(pkt)
        for pkt in stream.encode():
            out.mux(pkt)
