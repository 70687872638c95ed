"""The posecheck-labels/1 JSON writer."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from tools.synth.clip import EVERY_PHENOTYPE, FPS, ClipSpec, Rendered, plateau
from tools.synth.poses import STRETCHES

GENERATOR = {"name": "posecheck-synth", "version": "1.0.0"}

LIMITATIONS = (
    "Synthetic render of the anny body model (MakeHuman mesh) posed by setting skeleton joint "
    "angles. Linear-blend skinning bends the mesh spine less than a real spine, so the "
    "silhouette understates the set lumbar and thoracic angles; labels give the joint angles "
    "set on the skeleton, not angles measured on the outline. No clothing folds or loose "
    "clothes (colours are painted on the skin), no hair volume, no hand grip or finger "
    "contact, simple props, a plain room, and contacts with the floor or props are solved "
    "approximately (a few centimetres of float or overlap are possible). Keypoints are "
    "regressed from the mesh and projected with the render camera; occluded points are still "
    "given."
)


# checks whose spans also give severity_cm, the measured rise of the lowest pelvis vertex
LIFT_CHECKS = ("hips_lifting", "back_lifting")


def build_labels(spec: ClipSpec, r: Rendered, file_name: str) -> dict:
    """Assemble the label dict for one clip."""
    st = STRETCHES[spec.pose]
    n = len(r.frames)
    dur = round(n / FPS, 4)
    mistakes = []
    checks: dict[str, float] = {}
    if spec.mistake:
        m = st.mistakes[spec.mistake]
        start, end = plateau(spec.timing, spec.duration_s)
        entry = {
            "check": m.check,
            "severity_deg": float(spec.severity),
            "start_s": round(start, 4),
            "end_s": round(min(end, dur), 4),
            "parameter": m.parameter,
        }
        if m.check in LIFT_CHECKS:
            base = r.measured[0]["pelvis_lowest_cm"] if spec.timing != "hold" else 0.0
            peak = max(x["pelvis_lowest_cm"] for x in r.measured)
            entry["severity_cm"] = round(peak - base, 2)
        mistakes.append(entry)
        checks[m.check] = 0.0
    in_position = [{"start_s": 0.0, "end_s": dur}]
    for mv in spec.moves:
        if mv.leaves_position:
            in_position = [{"start_s": 0.0, "end_s": round(mv.start_s, 4)}]
    frames = []
    for i in range(n):
        params = dict(r.params[i])
        active = dict(checks)
        if spec.mistake:
            m = st.mistakes[spec.mistake]
            sev = round(r.activations[i] * spec.severity, 3)
            active[m.check] = sev
            if m.parameter not in st.defaults:
                params[m.parameter] = sev
        frames.append(
            {
                "t": round(r.times[i], 4),
                "params": params,
                "active_mistakes": active,
                "kp2d": r.kp2d[i],
                "measured": r.measured[i],
            }
        )
    cam = r.camera
    spec_d = {k: v for k, v in asdict(spec).items() if k not in ("name",)}
    if spec_d["view"] is None:  # the stretch's own view (labels written before views existed)
        del spec_d["view"]
    if spec_d["reps"] is None:  # only rep clips have it (labels written before reps existed)
        del spec_d["reps"]
    if not spec_d["wobbles"]:  # only restless clips have them (labels written before they existed)
        del spec_d["wobbles"]
    if spec_d["backrest_gap_m"] is None:  # only the backrest set's clips have one
        del spec_d["backrest_gap_m"]
    if not spec_d["room"]:  # only the room set's clips have furniture behind the body
        del spec_d["room"]
    view = {
        "kind": r.view,
        # from side-on, for every view (what posecheck.labels reads: >= 45 is a front view)
        "yaw_deg": round(cam.yaw_deg, 2),
        "elevation_deg": round(cam.elevation_deg, 2),
        "camera_height_m": round(float(cam.position()[2]), 3),
    }
    if r.view == "front":  # from straight-on, towards camera_side
        view = {"kind": r.view, "yaw_from_front_deg": round(90.0 - cam.yaw_deg, 2), **view}
    params_all = {
        "spec": spec_d,
        "defaults": st.defaults,
        "mistake_deltas": (
            st.mistakes[spec.mistake].deltas(spec.severity, spec.compensated) if spec.mistake else {}
        ),
        "mistake_note": st.mistakes[spec.mistake].note if spec.mistake else "",
        "working_limb": st.working_limb,
        **({"notes": st.notes} if st.notes else {}),
        "look": r.look.as_dict(),
        "camera": {
            "position_m": [round(float(x), 4) for x in cam.position()],
            "target_m": [round(float(x), 4) for x in cam.target],
            "distance_m": round(cam.distance_m, 4),
            "yfov_deg": cam.yfov_deg,
            "focal_px": round(cam.focal(), 3),
        },
        "key_light_azimuth_deg": round(r.key_light_deg, 2),
        "props": [asdict(p) for p in r.props],
        "encoder": {"codec": "libx264", "pix_fmt": "yuv420p", "crf": 28},
    }
    out = {
        "format": "posecheck-labels/1",
        "generator": {**GENERATOR, "seed": spec.seed, "params": params_all},
        "clip": {
            "file": file_name,
            "fps": FPS,
            "width": cam.width,
            "height": cam.height,
            "n_frames": n,
            "duration_s": dur,
        },
        "pose": spec.pose,
        "side": spec.side,
        "camera_side": spec.camera_side,
        "view": view,
        "body": {
            "phenotype": {"name": r.phenotype_name, **EVERY_PHENOTYPE[r.phenotype_name]},
            "skin_tone": r.look.skin_tone,
            "clothing": r.look.clothing(),
        },
        "compensated": spec.compensated,
        "mistakes": mistakes,
        "in_position": in_position,
        "limitations": LIMITATIONS,
        "frames": frames,
    }
    if spec.reps is not None:
        out["reps"] = spec.reps.label()
    return out


def write_labels(labels: dict, path: Path) -> None:
    """Write compact but readable JSON."""
    path.write_text(json.dumps(labels, separators=(",", ":")) + "\n")
