"""The curated list of clips: every stretch, correct form, mistakes at several severities."""

from __future__ import annotations

import zlib
from itertools import cycle

from tools.synth.clip import PHENOTYPES, ClipSpec, Move
from tools.synth.scene import SKIN_TONES

SEVERITIES = (5.0, 15.0, 25.0, 35.0)  # 5 deg is meant to stay below any sensible threshold
DUR = {"hold": 2.4, "ramp": 3.0, "pulse": 3.4}


def _mistakes(
    pose: str,
    check: str,
    sevs: tuple[float, ...],
    compensated: bool = False,
    overrides: dict[str, float] | None = None,
    tag: str = "",
    view: str | None = None,
) -> list[ClipSpec]:
    """Hold clips at each severity plus one ramp (max severity) and one pulse (2nd largest)."""
    comp = "_comp" if compensated else ""
    out = [
        ClipSpec(
            f"{pose}{tag}__{check}{comp}_{int(s)}deg_hold",
            pose,
            mistake=check,
            severity=s,
            compensated=compensated,
            timing="hold",
            overrides=dict(overrides or {}),
            view=view,
        )
        for s in sevs
    ]
    out.append(
        ClipSpec(
            f"{pose}{tag}__{check}{comp}_{int(sevs[-1])}deg_ramp",
            pose,
            mistake=check,
            severity=sevs[-1],
            compensated=compensated,
            timing="ramp",
            overrides=dict(overrides or {}),
            view=view,
        )
    )
    out.append(
        ClipSpec(
            f"{pose}{tag}__{check}{comp}_{int(sevs[-2])}deg_pulse",
            pose,
            mistake=check,
            severity=sevs[-2],
            compensated=compensated,
            timing="pulse",
            overrides=dict(overrides or {}),
            view=view,
        )
    )
    return out


def _correct(
    pose: str, n: int, overrides: dict[str, float] | None = None, tag: str = "", view: str | None = None
) -> list[ClipSpec]:
    return [
        ClipSpec(f"{pose}{tag}__correct_{i + 1}", pose, overrides=dict(overrides or {}), view=view)
        for i in range(n)
    ]


def curated() -> list[ClipSpec]:
    """The full matrix (about 100 clips), before sides, bodies and looks are assigned."""
    c: list[ClipSpec] = []
    # seed-003 stretches first, with their compensated cases
    c += _correct("hamstring_stretch", 3)
    c += _mistakes("hamstring_stretch", "lumbar_rounding", SEVERITIES)
    c += _mistakes("hamstring_stretch", "lumbar_rounding", SEVERITIES, compensated=True)
    c += _correct("hip_flexor_stretch", 3)
    c += _mistakes("hip_flexor_stretch", "arched_lower_back", (5.0, 15.0, 25.0, 30.0))
    c += _mistakes("hip_flexor_stretch", "arched_lower_back", (5.0, 15.0, 25.0, 30.0), compensated=True)
    c += _mistakes("hip_flexor_stretch", "knee_past_toes", (5.0, 15.0, 25.0))
    seated = {"seated": 1.0, "hip_hinge_deg": 30.0}
    c += _correct("glute_stretch", 2)
    c += _correct("glute_stretch", 2, seated, tag="_seated")
    c += _mistakes("glute_stretch", "trunk_twist", (5.0, 15.0, 25.0, 35.0))
    c += _mistakes("glute_stretch", "forward_bend", SEVERITIES, overrides=seated, tag="_seated")
    c += _mistakes(
        "glute_stretch", "forward_bend", (5.0, 15.0, 25.0), compensated=True, overrides=seated, tag="_seated"
    )
    c += [
        ClipSpec(
            "glute_stretch_seated__trunk_twist_25deg_hold",
            "glute_stretch",
            mistake="trunk_twist",
            severity=25.0,
            overrides=dict(seated),
        )
    ]
    # lying stretches
    c += _correct("knee_to_chest", 2)
    c += _mistakes("knee_to_chest", "hips_lifting", (5.0, 15.0, 25.0))
    c += _mistakes("knee_to_chest", "head_lifting", (5.0, 15.0, 30.0))
    c += _mistakes("knee_to_chest", "knee_not_drawn_in", (5.0, 20.0, 35.0))
    c += _correct("hamstring_stretch_supine", 2)
    c += _mistakes("hamstring_stretch_supine", "hips_lifting", (5.0, 15.0, 25.0))
    c += _mistakes("hamstring_stretch_supine", "head_lifting", (5.0, 15.0, 30.0))
    c += _mistakes("hamstring_stretch_supine", "overstretching", (5.0, 15.0, 25.0))
    c += _correct("lower_back_rotation", 2)
    c += _mistakes("lower_back_rotation", "shoulder_lifting", (5.0, 15.0, 25.0, 35.0))
    c += _mistakes("lower_back_rotation", "knees_apart", (5.0, 15.0, 25.0))
    c += _correct("double_knee_to_chest", 2)
    c += _mistakes("double_knee_to_chest", "knees_not_in", (5.0, 15.0, 30.0))
    c += _mistakes("double_knee_to_chest", "head_not_tucked", (5.0, 15.0, 30.0))
    c += _correct("towel_decompression", 2)
    c.append(
        ClipSpec(
            "towel_decompression__gets_up",
            "towel_decompression",
            duration_s=3.4,
            moves=[Move("sit_up", 1.0, 1.8, 3.0, leaves_position=True)],
        )
    )
    c += _correct("bed_decompression", 2)
    # front view (camera facing the person), appended last so that the side-view clips above
    # keep their sides, bodies and skins
    c += _correct("hip_flexor_stretch", 2, tag="_front", view="front")
    c += _mistakes("hip_flexor_stretch", "hip_shift", (5.0, 15.0, 25.0), tag="_front", view="front")
    return c


def assign(specs: list[ClipSpec], seed: int) -> list[ClipSpec]:
    """Fill in durations, sides, body, skin and a per-clip seed (deterministic)."""
    bodies = cycle(PHENOTYPES)
    skins = cycle(SKIN_TONES)
    per_pose: dict[str, int] = {}
    for s in specs:
        i = per_pose.get(s.pose, 0)
        per_pose[s.pose] = i + 1
        if s.mistake is None and not s.moves:
            s.duration_s = 2.4
        elif s.mistake:
            s.duration_s = DUR[s.timing]
        s.side = "left" if i % 2 == 0 else "right"
        s.camera_side = "left" if (i // 2) % 2 == 0 else "right"
        s.body = s.body or next(bodies)
        s.skin = s.skin or next(skins)
        s.seed = (seed * 100_003 + zlib.crc32(s.name.encode())) % (2**31)
        s.name = f"{s.name}__{s.side[0]}{s.camera_side[0]}"
    return specs


def clips(seed: int = 17) -> list[ClipSpec]:
    """The curated clips with everything assigned."""
    return assign(curated(), seed)
