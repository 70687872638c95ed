"""The posable body: anny model, phenotype, bone rotations, floor contact.

Conventions (anny ``local-ref`` pose parameterisation, see /work/shared/SYNTH.md):
body frame is Z up, -Y the body's front, +X the body's left. Rotations are world-aligned and
relative to the parent bone. +X on an upward bone (spine, neck) is flexion; on a downward bone
(thigh, shin, arm) +X swings it backward, so hip flexion is -X on ``upperleg01`` and knee
flexion is +X on ``lowerleg01``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

os.environ.setdefault("ANNY_CACHE_DIR", "/work/anny_cache")

COCO_NAMES_17 = [
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
]

COCO_FOOT_NAMES = [
    "left_big_toe",
    "right_big_toe",
    "left_small_toe",
    "right_small_toe",
    "left_heel",
    "right_heel",
]


def rot_x(deg: float) -> np.ndarray:
    """3x3 rotation about X by ``deg`` degrees."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_y(deg: float) -> np.ndarray:
    """3x3 rotation about Y by ``deg`` degrees."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def rot_z(deg: float) -> np.ndarray:
    """3x3 rotation about Z by ``deg`` degrees."""
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def euler(x: float = 0.0, y: float = 0.0, z: float = 0.0) -> np.ndarray:
    """Rotation applying Z (twist) first, then Y (sideways), then X (sagittal)."""
    return rot_x(x) @ rot_y(y) @ rot_z(z)


def euler_angles(r: np.ndarray) -> tuple[float, float, float]:
    """Inverse of ``euler``: (x, y, z) degrees of a rotation matrix (|y| < 90)."""
    y = math.degrees(math.asin(float(np.clip(r[0, 2], -1.0, 1.0))))
    x = math.degrees(math.atan2(-r[1, 2], r[2, 2]))
    z = math.degrees(math.atan2(-r[0, 1], r[0, 0]))
    return x, y, z


@dataclass
class Pose:
    """Bone rotations in degrees (x, y, z), authored for the LEFT working side."""

    bones: dict[str, list[float]] = field(default_factory=dict)

    def add(self, bone: str, x: float = 0.0, y: float = 0.0, z: float = 0.0) -> Pose:
        """Add a rotation to a bone (angles of repeated calls are summed per axis)."""
        r = self.bones.setdefault(bone, [0.0, 0.0, 0.0])
        r[0] += x
        r[1] += y
        r[2] += z
        return self

    def spread(self, bones: list[str], x: float = 0.0, y: float = 0.0, z: float = 0.0) -> Pose:
        """Split a rotation evenly over several bones (e.g. the three lumbar bones)."""
        n = len(bones)
        for b in bones:
            self.add(b, x / n, y / n, z / n)
        return self

    def matrix(self, bone: str) -> np.ndarray:
        """A bone's rotation relative to its parent."""
        return euler(*self.bones.get(bone, (0.0, 0.0, 0.0)))

    def set_matrix(self, bone: str, r: np.ndarray) -> Pose:
        """Replace a bone's rotation by the matrix ``r`` (stored as Euler angles)."""
        self.bones[bone] = list(euler_angles(r))
        return self

    def mirrored(self) -> Pose:
        """Mirror across the sagittal plane: swap .L/.R and negate the Y and Z angles."""
        out = Pose()
        for bone, (x, y, z) in self.bones.items():
            if bone.endswith(".L"):
                name = bone[:-2] + ".R"
            elif bone.endswith(".R"):
                name = bone[:-2] + ".L"
            else:
                name = bone
            out.add(name, x, -y, -z)
        return out


LUMBAR = ["spine05", "spine04", "spine03"]
THORACIC = ["spine02", "spine01"]
NECK = ["neck01", "neck02", "neck03"]

# Skinning regions (by the bone that weighs most on a vertex) used for contact and colours.
REGIONS: dict[str, list[str]] = {
    "pelvis": ["root", "pelvis.L", "pelvis.R", "spine05"],
    "thorax": ["spine03", "spine02", "spine01", "clavicle.L", "clavicle.R", "shoulder01.L", "shoulder01.R"],
    "head": ["head", "neck03"],
    "upper_back": ["spine02", "spine01"],
    "foot.L": ["foot.L"] + [f"toe{i}-{j}.L" for i in range(1, 6) for j in range(1, 4)],
    "foot.R": ["foot.R"] + [f"toe{i}-{j}.R" for i in range(1, 6) for j in range(1, 4)],
    "shin.L": ["lowerleg01.L", "lowerleg02.L"],
    "shin.R": ["lowerleg01.R", "lowerleg02.R"],
    "thigh.L": ["upperleg01.L", "upperleg02.L"],
    "thigh.R": ["upperleg01.R", "upperleg02.R"],
    "hand.L": ["wrist.L"],
    "hand.R": ["wrist.R"],
    "forearm.L": ["lowerarm01.L", "lowerarm02.L", "wrist.L"],
    "forearm.R": ["lowerarm01.R", "lowerarm02.R", "wrist.R"],
}


@dataclass
class Posed:
    """One posed body in world coordinates."""

    vertices: np.ndarray  # (V, 3) metres, world frame
    keypoints: dict[str, np.ndarray]  # COCO name -> (3,) world
    world_rot: np.ndarray  # 3x3 body->world rotation applied
    translation: np.ndarray  # (3,) world translation applied
    hip_joints: np.ndarray  # (2, 3) world: the left and right hip joint centres (thigh heads)


class Body:
    """anny model with a fixed phenotype; turns a Pose into a posed world mesh."""

    def __init__(self, phenotype: dict[str, float]) -> None:
        import anny
        import torch

        torch.set_num_threads(1)
        self._torch = torch
        self.model = anny.Anny().to(dtype=torch.float32)
        self.model.eval()
        self.kp = anny.KeypointsRegressor.coco(self.model)
        self.phenotype = dict(phenotype)
        self.labels = list(self.model.bone_labels)
        self.faces = np.asarray(self.model.faces, dtype=np.int64)
        w = self.model.vertex_bone_weights.numpy()
        idx = self.model.vertex_bone_indices.numpy()
        self.major_bone = idx[np.arange(len(idx)), w.argmax(1)]
        self._thighs = [self.labels.index("upperleg01.L"), self.labels.index("upperleg01.R")]
        self.rest = self.pose(Pose(), world_rot=np.eye(3))
        self.region_idx = {name: self.region_of_bones(bones) for name, bones in REGIONS.items()}
        self.uv = None
        if self.model.texture_coordinates is not None:
            self.uv = self.model.texture_coordinates.numpy()

    def region_of_bones(self, bones: list[str]) -> np.ndarray:
        """Vertex indices whose main bone is one of ``bones``."""
        ids = [self.labels.index(b) for b in bones if b in self.labels]
        return np.nonzero(np.isin(self.major_bone, ids))[0]

    def pose(self, pose: Pose, world_rot: np.ndarray) -> Posed:
        """Skin the mesh for ``pose`` and rotate it into the world (no translation yet)."""
        torch = self._torch
        mats = torch.eye(4).repeat(1, len(self.labels), 1, 1)
        for bone, (x, y, z) in pose.bones.items():
            mats[0, self.labels.index(bone), :3, :3] = torch.from_numpy(euler(x, y, z).astype(np.float32))
        with torch.no_grad():
            out = self.model(pose_parameters=mats, phenotype_kwargs=self.phenotype)
            kps = self.kp(out)[0].numpy()
        verts = out["vertices"][0].numpy() @ world_rot.T
        kp = {n: kps[i] @ world_rot.T for i, n in enumerate(self.kp.labels)}
        heads = out["bone_poses"][0, self._thighs, :3, 3].numpy() @ world_rot.T
        return Posed(verts, kp, world_rot, np.zeros(3), heads)


def translate(p: Posed, t: np.ndarray) -> Posed:
    """Return ``p`` moved by ``t``."""
    kp = {k: v + t for k, v in p.keypoints.items()}
    return Posed(p.vertices + t, kp, p.world_rot, p.translation + t, p.hip_joints + t)


def rotate_about(p: Posed, rot: np.ndarray, pivot: np.ndarray) -> Posed:
    """Return ``p`` rotated rigidly by ``rot`` about ``pivot``."""
    v = (p.vertices - pivot) @ rot.T + pivot
    kp = {k: (x - pivot) @ rot.T + pivot for k, x in p.keypoints.items()}
    hips = (p.hip_joints - pivot) @ rot.T + pivot
    return Posed(v, kp, rot @ p.world_rot, p.translation, hips)


def min_z(p: Posed, idx: np.ndarray) -> float:
    """Lowest height of a vertex group."""
    return float(p.vertices[idx, 2].min())


def solve_contact(
    p: Posed,
    first: np.ndarray,
    second: np.ndarray | None = None,
    first_h: float = 0.0,
    second_h: float = 0.0,
    pitch_range: float = 40.0,
) -> tuple[Posed, float]:
    """Put group ``first`` at height ``first_h``; with ``second``, also bisect the pitch.

    The pitch (rotation about world X, around the body's centre) is searched so that both
    groups touch their heights at once. Returns the moved body and the pitch in degrees.
    """
    pitch = 0.0
    if second is not None:
        pivot = p.vertices.mean(0)

        def gap(deg: float) -> float:
            q = rotate_about(p, rot_x(deg), pivot)
            return (min_z(q, second) - second_h) - (min_z(q, first) - first_h)

        lo, hi = -pitch_range, pitch_range
        g_lo = gap(lo)
        if g_lo * gap(hi) > 0:  # no sign change: keep the closer end
            pitch = lo if abs(g_lo) < abs(gap(hi)) else hi
        else:
            for _ in range(30):
                mid = 0.5 * (lo + hi)
                g = gap(mid)
                if (g < 0) == (g_lo < 0):
                    lo, g_lo = mid, g
                else:
                    hi = mid
            pitch = 0.5 * (lo + hi)
        p = rotate_about(p, rot_x(pitch), pivot)
    dz = first_h - min_z(p, first)
    return translate(p, np.array([0.0, 0.0, dz])), pitch
