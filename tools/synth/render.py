"""Offscreen rendering with pyrender (EGL; Mesa software renderer works)."""

from __future__ import annotations

import os

os.environ.setdefault("PYOPENGL_PLATFORM", "egl")

import numpy as np
import pyrender
import trimesh

from tools.synth.scene import WALL_TO_BODY_M, Camera, Look, Prop


def _material(rgb: tuple[int, int, int], rough: float = 0.85) -> pyrender.MetallicRoughnessMaterial:
    c = [x / 255.0 for x in rgb] + [1.0]
    return pyrender.MetallicRoughnessMaterial(baseColorFactor=c, metallicFactor=0.0, roughnessFactor=rough)


def _prop_mesh(p: Prop) -> pyrender.Mesh:
    if p.kind == "box":
        tm = trimesh.creation.box(extents=p.size)
    else:
        tm = trimesh.creation.cylinder(radius=p.size[0], height=p.size[1], sections=24)
        tm.apply_transform(trimesh.transformations.rotation_matrix(np.pi / 2, [0, 1, 0]))
    tm.apply_translation(p.center)
    return pyrender.Mesh.from_trimesh(tm, material=_material(p.rgb), smooth=False)


class Renderer:
    """Holds one offscreen context; a clip builds its static scene once and swaps the body."""

    def __init__(self, width: int = 640, height: int = 480) -> None:
        self.r = pyrender.OffscreenRenderer(width, height)
        self.width, self.height = width, height

    def setup(
        self,
        camera: Camera,
        look: Look,
        props: list[Prop],
        center: np.ndarray,
        key_light_deg: float,
    ) -> None:
        """Build floor, wall, props, lights and camera for one clip."""
        s = pyrender.Scene(
            bg_color=[*(c / 255 for c in look.wall_rgb), 1.0], ambient_light=[0.28, 0.28, 0.28]
        )
        floor = trimesh.creation.box(extents=(12.0, 12.0, 0.02))
        floor.apply_translation((center[0], center[1], -0.0105))
        s.add(pyrender.Mesh.from_trimesh(floor, material=_material(look.floor_rgb)))
        # a wall behind the person, on the side away from the camera
        cam_pos = camera.position()
        away = center - cam_pos
        away[2] = 0
        away /= np.linalg.norm(away)
        wall = trimesh.creation.box(extents=(12.0, 0.05, 6.0))
        ang = np.arctan2(away[0], -away[1])
        wall.apply_transform(trimesh.transformations.rotation_matrix(ang, [0, 0, 1]))
        wall.apply_translation(center + away * WALL_TO_BODY_M + np.array([0, 0, 3.0 - center[2]]))
        s.add(pyrender.Mesh.from_trimesh(wall, material=_material(look.wall_rgb)))
        for p in props:
            s.add(_prop_mesh(p))
        cam = pyrender.IntrinsicsCamera(
            camera.focal(), camera.focal(), self.width / 2, self.height / 2, znear=0.05, zfar=30
        )
        s.add(cam, pose=camera.pose())
        # key light from above-front of the camera, fill from the camera
        # key light: from above, travelling away from the camera (shadows fall behind)
        key = np.eye(4)
        a = np.arctan2(away[1], away[0]) + np.radians(key_light_deg)
        kdir = np.array([np.cos(a) * 0.6, np.sin(a) * 0.6, -1.0])
        key[:3, :3] = _look_rot(kdir)
        s.add(pyrender.DirectionalLight(color=np.ones(3), intensity=3.2), pose=key)
        fill = np.eye(4)
        fill[:3, :3] = _look_rot(center - cam_pos)
        s.add(pyrender.DirectionalLight(color=np.ones(3), intensity=1.6), pose=fill)
        self.scene = s
        self.body_node = None

    def render(self, vertices: np.ndarray, faces: np.ndarray, colors: np.ndarray) -> np.ndarray:
        """Render the body (vertex-coloured) into the current scene; returns HxWx3 uint8."""
        if self.body_node is not None:
            self.scene.remove_node(self.body_node)
        tm = trimesh.Trimesh(vertices, faces, vertex_colors=colors, process=False)
        mesh = pyrender.Mesh.from_trimesh(tm, smooth=True)
        self.body_node = self.scene.add(mesh)
        flags = pyrender.RenderFlags.SHADOWS_DIRECTIONAL
        rgb, _ = self.r.render(self.scene, flags=flags)
        return rgb

    def close(self) -> None:
        """Free the GL context."""
        self.r.delete()


def _look_rot(direction: np.ndarray) -> np.ndarray:
    """Rotation whose -Z axis points along ``direction`` (pyrender light convention)."""
    d = np.asarray(direction, float)
    d /= np.linalg.norm(d)
    up = np.array([0.0, 0.0, 1.0]) if abs(d[2]) < 0.95 else np.array([0.0, 1.0, 0.0])
    right = np.cross(d, up)
    right /= np.linalg.norm(right)
    up2 = np.cross(right, d)
    return np.stack([right, up2, -d], 1)
