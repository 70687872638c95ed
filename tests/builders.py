"""Hand-made pose frames for tests: stick figures drawn as named 2D pixel points.

Conventions (the same as MediaPipe and `posecheck.frames.Landmarks`):
- image points are pixels, x right, y down, in a WIDTH x HEIGHT frame;
- world points are metres, x right, y down, origin at mid-hip, z away from the camera: the body
  side nearer the camera has the SMALLER z.

Every base figure here is drawn with its LEFT side towards the camera (camera_side "left"): upright,
it faces image-left. `Figure.mirrored()` turns the same body round by 180 degrees about the vertical
so its right side faces the camera (camera_side "right", facing image-right when upright): image x
and world x, z change sign and every landmark keeps its name, so anatomical features are unchanged.

`at(origin, length, deg)` places a point by an angle measured from straight down towards the front
of such a left-facing figure (0 down, 90 forward = image-left, 180 up, -90 backward = image-right).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from posecheck.features.silhouette import working_mask
from posecheck.features.skeleton import Skeleton
from posecheck.frames import Landmarks, PoseFrame
from posecheck.landmarks import INDEX, N_LANDMARKS, NAMES, SIDES, Side, other

WIDTH, HEIGHT = 1200, 900
VISIBILITY = 0.95
M_PER_PX = 0.0025  # 200 px of torso = 0.5 m
NEUTRAL_BACK = -20.0  # back_curve that generated bodies read when neutral (docs/spine.md)
HALF_DEPTH_M = 0.1  # auto world depth of a side view: near side z = -0.1 m, far side z = +0.1 m

Point = tuple[float, float]
XYZ = tuple[float, float, float]

# Parts every figure must give for both sides; faces, hands and feet are filled in when left out.
REQUIRED_PARTS = ("ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle")


def at(origin: Point, length: float, deg: float) -> Point:
    """The point `length` px from `origin`, `deg` degrees from straight down towards image-left."""
    r = math.radians(deg)
    return (origin[0] - length * math.sin(r), origin[1] + length * math.cos(r))


def add(p: Point, dx: float, dy: float) -> Point:
    return (p[0] + dx, p[1] + dy)


def both(part: str, xy: Point) -> dict[str, Point]:
    """The same point for the left and the right landmark of a part (they overlap side-on)."""
    return {f"left_{part}": xy, f"right_{part}": xy}


def complete(points: Mapping[str, Point]) -> dict[str, Point]:
    """All 33 landmarks: eyes and mouth at the ear, fingers at the wrist, heel and toes at the ankle."""
    pts = {k: (float(v[0]), float(v[1])) for k, v in points.items()}
    unknown = set(pts) - set(NAMES)
    if unknown:
        raise KeyError(f"not landmark names: {sorted(unknown)}")
    for side in SIDES:
        for part in REQUIRED_PARTS:
            if f"{side}_{part}" not in pts:
                raise KeyError(f"figure lacks {side}_{part}")
        for part in ("eye_inner", "eye", "eye_outer"):
            pts.setdefault(f"{side}_{part}", pts[f"{side}_ear"])
        pts.setdefault(f"mouth_{side}", pts[f"{side}_ear"])
        for part in ("pinky", "index", "thumb"):
            pts.setdefault(f"{side}_{part}", pts[f"{side}_wrist"])
        for part in ("heel", "foot_index"):
            pts.setdefault(f"{side}_{part}", pts[f"{side}_ankle"])
    le, re = pts["left_ear"], pts["right_ear"]
    pts.setdefault("nose", ((le[0] + re[0]) / 2, (le[1] + re[1]) / 2))
    return pts


def _side_of(name: str) -> str | None:
    if name.startswith("left_") or name == "mouth_left":
        return "left"
    if name.startswith("right_") or name == "mouth_right":
        return "right"
    return None


@dataclass(frozen=True)
class Figure:
    """A stick figure: pixel points by landmark name, plus what the estimator would say about them.

    view "side": world depth per body side (camera_side nearer); view "front": world depth 0.
    `depth` overrides the world z of some landmarks (metres), `world` overrides whole world points.
    """

    points: Mapping[str, Point]
    camera_side: Side = "left"
    view: str = "side"
    width: int = WIDTH
    height: int = HEIGHT
    visibility: Mapping[str, float] = field(default_factory=dict)
    depth: Mapping[str, float] = field(default_factory=dict)
    world: Mapping[str, XYZ] = field(default_factory=dict)
    has_world: bool = True
    back_bend: float | None = NEUTRAL_BACK  # the painted back outline's bend (see `silhouette`)

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", complete(self.points))

    # -- variants ----------------------------------------------------------------------------
    def moved(self, **points: Point) -> Figure:
        return replace(self, points={**self.points, **points})

    def hidden(self, *names: str, vis: float = 0.1) -> Figure:
        """The same figure with some landmarks scored at low visibility."""
        return replace(self, visibility={**self.visibility, **dict.fromkeys(names, vis)})

    def with_visibility(self, **vis: float) -> Figure:
        return replace(self, visibility={**self.visibility, **vis})

    def out_of_frame(self, *names: str) -> Figure:
        """The same figure with some landmarks placed left of the picture (as MediaPipe extrapolates)."""
        return self.moved(**{n: (-60.0, self.points[n][1]) for n in names})

    def with_depth(self, **z: float) -> Figure:
        return replace(self, depth={**self.depth, **z})

    def with_world(self, **xyz: XYZ) -> Figure:
        return replace(self, world={**self.world, **xyz})

    def without_world(self) -> Figure:
        return replace(self, has_world=False)

    def with_back(self, bend: float) -> Figure:
        """The same landmarks with a back outline bent by `bend` degrees (+ rounded, - arched)."""
        return replace(self, back_bend=bend)

    def without_mask(self) -> Figure:
        return replace(self, back_bend=None)

    def shrunk(self, share: float) -> Figure:
        """The same figure at `share` of its size about the picture's centre (a camera further back)."""
        cx, cy = self.width / 2, self.height / 2
        return replace(self, points={n: (cx + (x - cx) * share, cy + (y - cy) * share)
                                     for n, (x, y) in self.points.items()})

    def traced_torso_px(self) -> float:
        """The mid-hip to mid-shoulder length in the mask the back's outline is traced on."""
        to_traced = working_mask(silhouette(self, 0.0)).shape[1] / self.width
        shoulders = (np.array(self.points["left_shoulder"]) + np.array(self.points["right_shoulder"])) / 2
        return float(np.hypot(*(shoulders - self.mid_hip()))) * to_traced

    def mirrored(self) -> Figure:
        """The same body turned round: the other side faces the camera, anatomy unchanged."""
        return replace(
            self,
            points={n: (self.width - x, y) for n, (x, y) in self.points.items()},
            camera_side=other(self.camera_side),
            depth={n: -z for n, z in self.depth.items()},
            world={n: (-x, y, -z) for n, (x, y, z) in self.world.items()},
        )

    def facing(self, camera_side: Side) -> Figure:
        """This figure with `camera_side` towards the camera (mirrored if needed)."""
        return self if camera_side == self.camera_side else self.mirrored()

    # -- arrays ------------------------------------------------------------------------------
    def mid_hip(self) -> np.ndarray:
        return (np.array(self.points["left_hip"]) + np.array(self.points["right_hip"])) / 2

    def world_array(self) -> np.ndarray:
        hip = self.mid_hip()
        w = np.zeros((N_LANDMARKS, 3))
        for name, (x, y) in self.points.items():
            i = INDEX[name]
            w[i, 0] = (x - hip[0]) * M_PER_PX
            w[i, 1] = (y - hip[1]) * M_PER_PX
            side = _side_of(name)
            if self.view == "side" and side is not None:
                w[i, 2] = -HALF_DEPTH_M if side == self.camera_side else HALF_DEPTH_M
        for name, z in self.depth.items():
            w[INDEX[name], 2] = z
        for name, xyz in self.world.items():
            w[INDEX[name]] = xyz
        return w

    def landmarks(self) -> Landmarks:
        world = self.world_array()
        image = np.zeros((N_LANDMARKS, 3))
        for name, (x, y) in self.points.items():
            image[INDEX[name], :2] = (x, y)
        image[:, 2] = world[:, 2] / M_PER_PX
        vis = np.full(N_LANDMARKS, VISIBILITY)
        for name, v in self.visibility.items():
            vis[INDEX[name]] = v
        return Landmarks(image=image, visibility=vis, world=world if self.has_world else None)

    def mask(self) -> np.ndarray | None:
        return None if self.back_bend is None else silhouette(self, self.back_bend)

    def frame(self, t: float, extra_people: int = 0) -> PoseFrame:
        return PoseFrame(timestamp=t, width=self.width, height=self.height, landmarks=self.landmarks(),
                         mask=self.mask(), extra_people=extra_people)

    def skeleton(self, camera_side: Side | None = None) -> Skeleton:
        return Skeleton(self.landmarks(), self.width, self.height, camera_side or self.camera_side,
                        self.mask())


# --------------------------------------------------------------------------------------------
# Person masks. The trunk is painted as a polygon around the mid-hip to mid-shoulder chord: a
# front outline FRONT_DEPTH torso lengths in front of it, and a back outline made of two straight
# stretches that meet at BACK_KINK with an angle of `bend` degrees between them (0 flat, positive
# rounded, negative hollow), BACK_DEPTH behind the chord at hip level. Limbs are thick lines and
# the head a disc, so arms and legs merge with the trunk as they do in a real mask.
BACK_DEPTH = 0.25
FRONT_DEPTH = 0.2
BACK_KINK = 0.45
MASK_SCALE = 0.5  # the painted mask is half the frame size, as a recording's reduced mask is
_LIMBS = (("shoulder", "elbow"), ("elbow", "wrist"), ("hip", "knee"), ("knee", "ankle"))


def back_profile(stations: np.ndarray, bend: float) -> np.ndarray:
    """Back outline distance from the chord (torso lengths) at chord stations, for `bend` degrees."""
    lo = math.tan(math.radians(bend / 2))
    hi = math.tan(math.radians(-bend / 2))
    kink = BACK_DEPTH + lo * BACK_KINK
    return np.where(stations <= BACK_KINK, BACK_DEPTH + lo * stations,
                    kink + hi * (stations - BACK_KINK))


def painted_lower_back_bend(bend: float) -> float:
    """What lower_back_bend should read on the painted back: its lower line lies on the painted
    lower stretch (bend / 2 off the chord), while its upper line (stations 0.2 to 0.8) spans the
    painted kink, so it takes the median of the pairwise slopes of the painted profile there."""
    t = np.arange(4, 17) * 0.05  # silhouette.MID_BACK's stations
    d = back_profile(t, bend)
    i, j = np.triu_indices(len(t), k=1)
    return bend / 2 - math.degrees(math.atan(float(np.median((d[j] - d[i]) / (t[j] - t[i])))))


def trunk_polygon(fig: Figure, bend: float) -> np.ndarray:
    """The trunk outline in frame pixels: back from below the hip to above the shoulder, then front."""
    hip = fig.mid_hip()
    shoulder = (np.array(fig.points["left_shoulder"]) + np.array(fig.points["right_shoulder"])) / 2
    chord = shoulder - hip
    length = float(np.hypot(*chord))
    sup = chord / length
    # anterior: a left-side-on upright body faces image-left, a right-side-on one image-right
    ant = np.array([sup[1], -sup[0]]) if fig.camera_side == "left" else np.array([-sup[1], sup[0]])
    t = np.linspace(-0.15, 1.1, 60)
    back = hip + t[:, None] * chord - back_profile(t, bend)[:, None] * length * ant
    front = hip + t[::-1, None] * chord + FRONT_DEPTH * length * ant
    return np.vstack([back, front])


def silhouette(fig: Figure, bend: float, scale: float = MASK_SCALE) -> np.ndarray:
    """A 0..1 float32 person mask of the figure at `scale` times the frame size."""
    h, w = round(fig.height * scale), round(fig.width * scale)
    img = np.zeros((h, w), np.uint8)
    length = float(np.hypot(*(np.array(fig.points["left_shoulder"]) - fig.mid_hip())))
    if length < 1.0:  # a degenerate figure (shoulders on the hips) has no trunk to paint
        return img.astype(np.float32)
    poly = np.round(trunk_polygon(fig, bend) * scale * 16).astype(np.int32)
    cv2.fillPoly(img, [poly], 255, cv2.LINE_AA, shift=4)
    thick = max(1, round(0.18 * length * scale))
    for side in SIDES:
        for a, b in _LIMBS:
            pa = np.round(np.array(fig.points[f"{side}_{a}"]) * scale).astype(int)
            pb = np.round(np.array(fig.points[f"{side}_{b}"]) * scale).astype(int)
            cv2.line(img, (int(pa[0]), int(pa[1])), (int(pb[0]), int(pb[1])), 255, thick, cv2.LINE_AA)
    ear = np.round(np.array(fig.points[f"{fig.camera_side}_ear"]) * scale).astype(int)
    cv2.circle(img, (int(ear[0]), int(ear[1])), max(1, round(0.2 * length * scale)), 255, -1, cv2.LINE_AA)
    return img.astype(np.float32) / 255.0


def no_person(t: float, width: int = WIDTH, height: int = HEIGHT) -> PoseFrame:
    return PoseFrame(timestamp=t, width=width, height=height, landmarks=None)


# --------------------------------------------------------------------------------------------
# Figures. All face image-left with the left side towards the camera; torso length 200 px.
HIP: Point = (600.0, 500.0)
TORSO = 200.0
THIGH = 180.0
SHANK = 170.0
NECK = 60.0
FLOOR_Y = 862.0  # standing figures: heels and toes lie on this line


def _upper_body(hip: Point, trunk_deg: float, neck_deg: float = 0.0) -> dict[str, Point]:
    """Shoulders, ears and hanging arms for a trunk drawn at `trunk_deg` (see `at`) from `hip`."""
    shoulder = at(hip, TORSO, trunk_deg)
    ear = at(shoulder, NECK, trunk_deg - neck_deg)
    elbow = at(shoulder, 120.0, 0.0)
    wrist = at(elbow, 110.0, 0.0)
    return {**both("shoulder", shoulder), **both("ear", ear), **both("elbow", elbow),
            **both("wrist", wrist), **both("hip", hip)}


def standing(lean: float = 0.0, neck: float = 0.0) -> Figure:
    """Upright on both feet. `lean` tilts the trunk forward (negative: back) about the hips, in degrees;
    `neck` tilts the head forward (chin to chest) from the trunk line."""
    knee = (HIP[0], HIP[1] + THIGH)
    ankle = (HIP[0], FLOOR_Y - 12.0)
    pts = {**_upper_body(HIP, 180.0 - lean, neck), **both("knee", knee), **both("ankle", ankle),
           **both("heel", (ankle[0] + 12.0, FLOOR_Y)), **both("foot_index", (ankle[0] - 45.0, FLOOR_Y))}
    return Figure(pts)


def leg_forward(side: Side, thigh_deg: float, knee_bend: float = 0.0, lean: float = 0.0) -> Figure:
    """Standing on one leg, the other (`side`) lifted forward: thigh at `thigh_deg` from straight down
    (see `at`), shank bent back by `knee_bend`. Like a heel on a step or a marching knee lift."""
    fig = standing(lean)
    knee = at(HIP, THIGH, thigh_deg)
    ankle = at(knee, SHANK, thigh_deg - knee_bend)
    return fig.moved(**{f"{side}_knee": knee, f"{side}_ankle": ankle, f"{side}_heel": add(ankle, 10, 10),
                        f"{side}_foot_index": add(ankle, -40, 0)})


def heel_on_step(side: Side = "left", lean: float = 20.0, leg_deg: float = 60.0) -> Figure:
    """Hamstring stretch: the `side` leg straight with its heel on a step, leg `leg_deg` from straight
    down; the trunk leans forward by `lean`. That leg's hip_flexion is leg_deg + lean."""
    return leg_forward(side, leg_deg, 0.0, lean)


def lunge(kneeling: Side = "left", back_thigh_deg: float = -20.0, lean: float = 0.0,
          front_toe_dx: float = -60.0) -> Figure:
    """Half-kneeling hip-flexor stretch: the `kneeling` knee on the floor with its thigh
    `back_thigh_deg` from straight down (negative = behind); the other thigh horizontal forward with a
    vertical shank (knee at 90). The front toes lie `front_toe_dx` px from the front ankle (negative:
    forward of it, for this left-facing figure)."""
    front = other(kneeling)
    pts = dict(_upper_body(HIP, 180.0 - lean))
    back_knee = at(HIP, THIGH, back_thigh_deg)
    back_ankle = add(back_knee, SHANK, 0.0)  # shank flat on the floor, foot behind
    front_knee = at(HIP, THIGH, 90.0)
    front_ankle = add(front_knee, 0.0, SHANK)
    pts.update({
        f"{kneeling}_knee": back_knee, f"{kneeling}_ankle": back_ankle,
        f"{kneeling}_heel": add(back_ankle, 8.0, -10.0), f"{kneeling}_foot_index": add(back_ankle, 40.0, 4.0),
        f"{front}_knee": front_knee, f"{front}_ankle": front_ankle,
        f"{front}_heel": add(front_ankle, 12.0, 12.0),
        f"{front}_foot_index": add(front_ankle, front_toe_dx, 12.0),
    })
    return Figure(pts)


# Lying figures: a body lying on its back with its left side towards the camera has its head to
# image-right (it faces image-left when it stands up, and lies down backwards).
LYING_HIP: Point = (600.0, 700.0)
LYING_FLOOR_Y = 712.0  # heels rest on this line


def lying_dir(deg: float) -> Point:
    """Unit vector for a body lying on its back, left side to the camera: `deg` from the
    feet-ward trunk line (-superior, image-left) towards the front (anterior, up)."""
    r = math.radians(deg)
    return (-math.cos(r), -math.sin(r))


def lying_on_back(neck: float = 0.0) -> Figure:
    """Flat on the back, legs straight along the floor. `neck` lifts the head towards the chest."""
    hip = LYING_HIP
    shoulder = add(hip, TORSO, 0.0)
    # superior is +x, anterior is up (-y): the head lifts by `neck` degrees towards anterior.
    r = math.radians(neck)
    ear = add(shoulder, NECK * math.cos(r), -NECK * math.sin(r))
    knee = add(hip, -THIGH, 0.0)
    ankle = add(knee, -SHANK, 0.0)
    pts = {**both("hip", hip), **both("shoulder", shoulder), **both("ear", ear),
           **both("elbow", add(shoulder, -110.0, 0.0)), **both("wrist", add(shoulder, -210.0, 0.0)),
           **both("knee", knee), **both("ankle", ankle),
           **both("heel", add(ankle, -8.0, LYING_FLOOR_Y - hip[1])),
           **both("foot_index", add(ankle, -14.0, -40.0))}
    return Figure(pts)


def lying_leg_raised(side: Side = "left", raise_deg: float = 90.0) -> Figure:
    """On the back, the `side` leg straight and lifted `raise_deg` from the floor line towards the
    ceiling (90 = vertical, above the hip)."""
    d = lying_dir(raise_deg)
    knee = add(LYING_HIP, THIGH * d[0], THIGH * d[1])
    ankle = add(LYING_HIP, (THIGH + SHANK) * d[0], (THIGH + SHANK) * d[1])
    return lying_on_back().moved(**{f"{side}_knee": knee, f"{side}_ankle": ankle,
                                    f"{side}_heel": add(ankle, 10.0, 0.0),
                                    f"{side}_foot_index": add(ankle, -30.0, -10.0)})


def lying_knee_to_chest(side: Side = "left", flexion: float = 120.0, knee_bend: float = 120.0) -> Figure:
    """On the back, the `side` thigh drawn up `flexion` degrees from the trunk line towards the front,
    its knee bent by `knee_bend`; the other leg straight on the floor."""
    t, s = lying_dir(flexion), lying_dir(flexion - knee_bend)
    knee = add(LYING_HIP, THIGH * t[0], THIGH * t[1])
    ankle = add(knee, SHANK * s[0], SHANK * s[1])
    return lying_on_back().moved(**{f"{side}_knee": knee, f"{side}_ankle": ankle,
                                    f"{side}_heel": add(ankle, 10.0, 5.0),
                                    f"{side}_foot_index": add(ankle, -35.0, 0.0)})


def lying_face_down() -> Figure:
    """Prone, left side to the camera: the head is to image-left (the body fell forwards)."""
    hip = LYING_HIP
    shoulder = add(hip, -TORSO, 0.0)
    knee = add(hip, THIGH, 0.0)
    ankle = add(knee, SHANK, 0.0)
    pts = {**both("hip", hip), **both("shoulder", shoulder), **both("ear", add(shoulder, -NECK, 0.0)),
           **both("elbow", add(shoulder, 110.0, 0.0)), **both("wrist", add(shoulder, 210.0, 0.0)),
           **both("knee", knee), **both("ankle", ankle),
           **both("heel", add(ankle, 8.0, -20.0)), **both("foot_index", add(ankle, 14.0, 12.0))}
    return Figure(pts)


def frontal(shoulder_half: float = 80.0, hip_half: float = 50.0) -> Figure:
    """Standing facing the camera (view "front"): the person's left side is on image-right."""
    x0 = HIP[0]
    pts: dict[str, Point] = {}
    for side, s in (("left", 1.0), ("right", -1.0)):
        pts.update({
            f"{side}_shoulder": (x0 + s * shoulder_half, 300.0), f"{side}_hip": (x0 + s * hip_half, 500.0),
            f"{side}_ear": (x0 + s * 30.0, 240.0), f"{side}_elbow": (x0 + s * (shoulder_half + 20), 420.0),
            f"{side}_wrist": (x0 + s * (shoulder_half + 30), 520.0),
            f"{side}_knee": (x0 + s * hip_half, 680.0),
            f"{side}_ankle": (x0 + s * hip_half, 850.0), f"{side}_heel": (x0 + s * hip_half, 862.0),
            f"{side}_foot_index": (x0 + s * (hip_half + 10), 862.0),
        })
    return Figure(pts, view="front")


# --------------------------------------------------------------------------------------------
# Time lines
def regular_times(start: float, end: float, fps: float) -> list[float]:
    """Frame times k / fps in [start, end], computed by division (no accumulated rounding)."""
    k0, k1 = math.ceil(start * fps - 1e-9), math.floor(end * fps + 1e-9)
    return [k / fps for k in range(k0, k1 + 1)]


def irregular_times(start: float, end: float, *, include: Iterable[float] = (), seed: int = 0,
                    min_gap: float = 0.05, max_gap: float = 0.143, drops: int = 3,
                    drop_gap: float = 0.35) -> list[float]:
    """Jittery 7-20 fps frame times from start to end with a few dropped-frame gaps of `drop_gap` s.
    Every time in `include` (and start and end) is among them."""
    rng = np.random.default_rng(seed)
    times = [start]
    while times[-1] < end:
        times.append(times[-1] + float(rng.uniform(min_gap, max_gap)))
    times = [t for t in times if t < end]
    # drop runs of frames to leave a few long gaps
    for _ in range(drops):
        i = int(rng.integers(1, max(2, len(times) - 1)))
        t0 = times[i]
        times = [t for t in times if not (t0 < t < t0 + drop_gap)]
    must = {round(t, 12) for t in (*include, start, end)}
    times = sorted({round(t, 12) for t in times} | must)
    # keep the required instants; drop jitter frames that would sit within 5 ms of them
    out = [t for t in times if t in must or all(abs(t - m) > 0.005 for m in must)]
    return out


def frames(times: Sequence[float], figure_at: Callable[[float], Figure | None],
           extra_people: Callable[[float], int] | None = None) -> list[PoseFrame]:
    """One PoseFrame per time from a function of time (None: no person in that frame)."""
    out = []
    for t in times:
        fig = figure_at(t)
        n = extra_people(t) if extra_people else 0
        out.append(no_person(t) if fig is None else fig.frame(t, extra_people=n))
    return out
