"""Scene dressing: skin and clothing colours, camera placement, floor, wall, mat and props."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from tools.synth.body import Body

SKIN_TONES: dict[str, tuple[int, int, int]] = {
    "light": (236, 204, 180),
    "medium_light": (218, 178, 140),
    "medium": (190, 145, 105),
    "tan": (160, 112, 75),
    "brown": (118, 80, 52),
    "dark": (78, 52, 36),
}
HAIR = [(30, 22, 18), (70, 45, 25), (120, 85, 50), (20, 20, 20), (150, 140, 130)]
CLOTH = {
    "navy": (35, 45, 90),
    "red": (170, 40, 45),
    "grey": (120, 120, 125),
    "black": (28, 28, 30),
    "teal": (30, 120, 120),
    "white": (225, 225, 220),
    "olive": (95, 105, 55),
    "purple": (100, 60, 130),
    "orange": (210, 120, 40),
    "sky": (110, 160, 210),
    "maroon": (110, 30, 45),
    "green": (50, 130, 70),
}
FLOORS = [(150, 120, 90), (175, 165, 150), (120, 100, 80), (190, 185, 175)]
WALLS = [(225, 220, 210), (200, 205, 210), (215, 200, 180), (190, 195, 180)]
MATS = [(60, 110, 150), (140, 60, 110), (70, 70, 75), (90, 140, 90), (180, 90, 60)]


@dataclass
class Look:
    """Everything about appearance that is not the body shape."""

    skin_tone: str
    top: str  # "tshirt" | "longsleeve" | "tank"
    top_color: str
    bottom: str  # "shorts" | "leggings"
    bottom_color: str
    hair_rgb: tuple[int, int, int]
    floor_rgb: tuple[int, int, int]
    wall_rgb: tuple[int, int, int]
    mat_rgb: tuple[int, int, int]

    def clothing(self) -> dict:
        """The clothing part for the labels."""
        return {
            "top": self.top,
            "top_color": self.top_color,
            "bottom": self.bottom,
            "bottom_color": self.bottom_color,
        }

    def as_dict(self) -> dict:
        """All fields, for the generator params."""
        return asdict(self)


def random_look(rng: np.random.Generator, skin_tone: str | None = None) -> Look:
    """Draw a look; top and bottom colours differ, and differ from the skin."""
    names = list(CLOTH)
    top_c, bot_c = rng.choice(names, 2, replace=False)

    def pick(seq: list) -> tuple[int, int, int]:
        return tuple(int(c) for c in seq[int(rng.integers(len(seq)))])

    return Look(
        skin_tone=skin_tone or str(rng.choice(list(SKIN_TONES))),
        top=str(rng.choice(["tshirt", "tshirt", "longsleeve", "tank"])),
        top_color=str(top_c),
        bottom=str(rng.choice(["shorts", "leggings", "leggings"])),
        bottom_color=str(bot_c),
        hair_rgb=pick(HAIR),
        floor_rgb=pick(FLOORS),
        wall_rgb=pick(WALLS),
        mat_rgb=pick(MATS),
    )


def vertex_colors(body: Body, look: Look) -> np.ndarray:
    """Per-vertex RGBA: skin, hair, eyes, brows, lips, top and bottom by skinning region."""
    rest = body.rest
    v = rest.vertices
    kp = rest.keypoints
    n = len(v)
    skin = np.array(SKIN_TONES[look.skin_tone], float)
    col = np.tile(skin, (n, 1))
    bones = np.array(body.labels)[body.major_bone]

    def has(prefixes: tuple[str, ...]) -> np.ndarray:
        return np.array([b.startswith(prefixes) for b in bones])

    hip_z = 0.5 * (kp["left_hip"][2] + kp["right_hip"][2])
    knee_z = 0.5 * (kp["left_knee"][2] + kp["right_knee"][2])
    ankle_z = 0.5 * (kp["left_ankle"][2] + kp["right_ankle"][2])
    trunk = has(("spine", "clavicle", "shoulder01"))
    upper_arm = has(("upperarm01",))
    fore_arm = has(("upperarm02", "lowerarm01"))
    hips = has(("root", "pelvis", "upperleg"))
    shins = has(("lowerleg",))
    top = trunk & (v[:, 2] > hip_z + 0.06)
    if look.top in ("tshirt", "longsleeve"):
        top |= upper_arm
    if look.top == "longsleeve":
        top |= fore_arm | has(("lowerarm02",))
    if look.top == "tank":
        top &= ~has(("clavicle", "shoulder01")) | (np.abs(v[:, 0]) < 0.10)
    bottom = (hips & (v[:, 2] > 0.5 * (hip_z + knee_z))) | (trunk & (v[:, 2] <= hip_z + 0.06))
    if look.bottom == "leggings":
        bottom |= hips | (shins & (v[:, 2] > ankle_z + 0.05))
    col[top] = CLOTH[look.top_color]
    col[bottom] = CLOTH[look.bottom_color]

    head = has(("head", "neck03", "eye"))
    ear_z = 0.5 * (kp["left_ear"][2] + kp["right_ear"][2])
    ear_y = 0.5 * (kp["left_ear"][1] + kp["right_ear"][1])
    eye_z = kp["left_eye"][2]
    hair = head & ((v[:, 2] > eye_z + 0.045) | ((v[:, 1] > ear_y + 0.005) & (v[:, 2] > ear_z - 0.06)))
    col[hair] = look.hair_rgb
    for side in ("left", "right"):
        e = kp[f"{side}_eye"]
        d = np.linalg.norm(v - e, axis=1)
        col[d < 0.013] = (235, 235, 230)
        col[d < 0.007] = (40, 30, 25)
        brow = e + np.array([0.0, 0.0, 0.022])
        col[(np.linalg.norm(v - brow, axis=1) < 0.012) & head] = look.hair_rgb
    mouth = kp["nose"] + np.array([0.0, 0.012, -0.042])
    col[(np.linalg.norm(v - mouth, axis=1) < 0.016) & head] = skin * np.array([0.85, 0.55, 0.55])
    rgba = np.concatenate([np.clip(col, 0, 255), np.full((n, 1), 255.0)], 1)
    return rgba.astype(np.uint8)


@dataclass
class Prop:
    """A coloured box or cylinder in the world (metres)."""

    kind: str  # "box" | "cylinder"
    center: tuple[float, float, float]
    size: tuple[float, float, float]  # box extents, or (radius, length, 0) for a cylinder on X
    rgb: tuple[int, int, int]


@dataclass
class Camera:
    """A pinhole camera looking at ``target``."""

    yaw_deg: float
    elevation_deg: float
    distance_m: float
    target: tuple[float, float, float]
    on_left: bool  # camera on the body's left (+X) side
    yfov_deg: float = 50.0
    width: int = 640
    height: int = 480
    extra: dict = field(default_factory=dict)

    def position(self) -> np.ndarray:
        """Camera centre in the world."""
        yaw = math.radians(self.yaw_deg)
        el = math.radians(self.elevation_deg)
        sx = 1.0 if self.on_left else -1.0
        d = np.array([sx * math.cos(yaw) * math.cos(el), -math.sin(yaw) * math.cos(el), math.sin(el)])
        return np.asarray(self.target) + self.distance_m * d

    def pose(self) -> np.ndarray:
        """4x4 camera-to-world (OpenGL: looks down -Z, Y up)."""
        eye = self.position()
        fwd = np.asarray(self.target) - eye
        fwd /= np.linalg.norm(fwd)
        right = np.cross(fwd, [0.0, 0.0, 1.0])
        right /= np.linalg.norm(right)
        up = np.cross(right, fwd)
        m = np.eye(4)
        m[:3, 0], m[:3, 1], m[:3, 2], m[:3, 3] = right, up, -fwd, eye
        return m

    def focal(self) -> float:
        """Focal length in pixels."""
        return 0.5 * self.height / math.tan(math.radians(self.yfov_deg) / 2)

    def project(self, pts: np.ndarray) -> np.ndarray:
        """World points (N, 3) to pixel coordinates (N, 2)."""
        m = np.linalg.inv(self.pose())
        pc = pts @ m[:3, :3].T + m[:3, 3]
        f = self.focal()
        u = self.width / 2 + f * pc[:, 0] / -pc[:, 2]
        w = self.height / 2 - f * pc[:, 1] / -pc[:, 2]
        return np.stack([u, w], 1)


def frame_camera(
    verts_all: np.ndarray,
    yaw: float,
    elev: float,
    on_left: bool,
    height_jitter: float,
    fill: float = 0.78,
) -> Camera:
    """Choose target and distance so every frame's body fits in ``fill`` of the image."""
    lo, hi = verts_all.min(0), verts_all.max(0)
    center = 0.5 * (lo + hi)
    center[2] += height_jitter
    cam = Camera(yaw, elev, 3.0, tuple(center), on_left)
    for _ in range(3):
        uv = cam.project(verts_all)
        span_u = (uv[:, 0].max() - uv[:, 0].min()) / cam.width
        span_v = (uv[:, 1].max() - uv[:, 1].min()) / cam.height
        # re-centre, then scale the distance to the wanted fill
        mid = 0.5 * (uv.min(0) + uv.max(0))
        off = (mid - [cam.width / 2, cam.height / 2]) / cam.focal() * cam.distance_m
        pose = cam.pose()
        tgt = np.asarray(cam.target) + pose[:3, 0] * off[0] - pose[:3, 1] * off[1]
        cam = Camera(yaw, elev, cam.distance_m * max(span_u, span_v) / fill, tuple(tgt), on_left)
    return cam


# A furnished room behind the person (the `room` set, tools/synth/matrix.py): furniture between the
# person and the wall, so that the back's outline is seen against a sofa, a bookcase and a lamp
# instead of a plain wall. Upholstery and book colours; a third of the sofas take the colour of the
# person's top (the hardest case for the mask's edge).
UPHOLSTERY = [(70, 70, 75), (120, 85, 60), (150, 148, 138), (40, 50, 80), (110, 40, 40), (60, 80, 60)]
BOOKS = [(160, 40, 40), (40, 70, 130), (200, 180, 120), (30, 30, 30), (90, 120, 70), (220, 220, 210),
         (150, 90, 40)]
WALL_TO_BODY_M = 2.2  # how far the wall stands behind the body's centre, away from the camera (render.py)


def room_props(camera: Camera, center: np.ndarray, look: Look, rng: np.random.Generator) -> list[Prop]:
    """A sofa 0.8 to 1.2 m behind the body (from the camera), a bookcase and a framed picture on the
    wall, and a floor lamp, each placed and coloured from `rng`. Furniture is axis-aligned: in the
    side views it stands square to the camera's line of sight, give or take the camera's yaw."""
    away = np.asarray(center, float) - camera.position()
    away[2] = 0.0
    away /= np.linalg.norm(away)
    sx = 1.0 if away[0] >= 0 else -1.0  # the room goes on in this X direction, behind the body
    cx, cy = float(center[0]), float(center[1])

    def behind(d: float) -> float:
        return cx + sx * d

    def lateral(lo: float, hi: float) -> float:
        return cy + float(rng.choice([-1.0, 1.0])) * float(rng.uniform(lo, hi))

    def colour(palette: list[tuple[int, int, int]]) -> tuple[int, int, int]:
        return tuple(int(c) for c in palette[int(rng.integers(len(palette)))])

    props: list[Prop] = []
    near = float(rng.uniform(0.8, 1.2))  # the sofa's front
    sofa_y = cy + float(rng.uniform(-0.5, 0.5))
    sofa = CLOTH[look.top_color] if rng.uniform() < 1 / 3 else colour(UPHOLSTERY)
    props.append(Prop("box", (behind(near + 0.45), sofa_y, 0.22), (0.9, 2.0, 0.44), sofa))
    props.append(Prop("box", (behind(near + 0.8), sofa_y, 0.45), (0.2, 2.0, 0.9), sofa))
    for end in (-1.0, 1.0):  # the arms
        props.append(Prop("box", (behind(near + 0.45), sofa_y + end * 0.95, 0.32), (0.9, 0.12, 0.64), sofa))
    shelf_x = WALL_TO_BODY_M - 0.2
    shelf_y = lateral(0.3, 1.2)
    wood = colour([(150, 110, 70), (90, 60, 40), (200, 190, 170), (40, 35, 30)])
    props.append(Prop("box", (behind(shelf_x), shelf_y, 0.95), (0.3, 0.8, 1.9), wood))
    for z in (0.3, 0.75, 1.2, 1.65):  # a row of books on each shelf, in front of the case
        y = shelf_y - 0.38
        while y < shelf_y + 0.34:
            w = float(rng.uniform(0.04, 0.12))
            h = float(rng.uniform(0.2, 0.3))
            props.append(Prop("box", (behind(shelf_x - 0.16), y + w / 2, z + h / 2), (0.04, w, h),
                              colour(BOOKS)))
            y += w + 0.005
    pic_y, pic_z = lateral(0.0, 1.0), float(rng.uniform(1.3, 1.7))
    props.append(Prop("box", (behind(WALL_TO_BODY_M - 0.04), pic_y, pic_z), (0.03, 0.7, 0.5), (35, 30, 28)))
    props.append(Prop("box", (behind(WALL_TO_BODY_M - 0.06), pic_y, pic_z), (0.02, 0.6, 0.4), colour(BOOKS)))
    lamp_d, lamp_y = float(rng.uniform(0.7, 1.6)), lateral(1.1, 1.5)
    props.append(Prop("box", (behind(lamp_d), lamp_y, 0.75), (0.03, 0.03, 1.5), (40, 40, 40)))
    props.append(Prop("box", (behind(lamp_d), lamp_y, 1.62), (0.35, 0.35, 0.3), (235, 225, 200)))
    return props
