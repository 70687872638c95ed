"""Does a furnished room behind the person change how the lumbar checks read the back?

python tools/room_study.py ROOM_DIR --twins DIR ... [--out FILE]

The clips are rendered in front of a plain wall; at home the wall behind a person has a sofa, a
bookcase and a lamp in front of it, and the back's outline is the edge of the person mask, traced
where it meets whatever is behind it. A sofa of the same colour as the person's top is the hardest
case for the mask's edge. ROOM_DIR holds the `room` set (tools/synth/matrix.py, with_room): clips of
the three lumbar stretches each rendered exactly as its twin of the same name in a --twins folder
(every other restless set's correct hold, the sessions set's mistakes), but with a sofa 0.8 to
1.2 m behind the person (in the colour of their top in about a third of the clips), a bookcase and
a framed picture on the wall and a floor lamp, each placed and coloured per clip from its name
(tools/synth/scene.py, room_props).

Each clip and its twin are run through MediaPipe and the checker from their videos and scored as
`posecheck regress` scores a clip (posecheck/regress.py run_clip). The tables give, for each pair:
whether the stretch's lumbar check flagged it (a correct hold must stay silent, a mistake must be
flagged), the false-alarm seconds, the onset after the labelled angle passed 15 deg, when the
person's own neutral was learned, and the median change the room makes to the two readings the
check judges (the fixed level's feature, then the own neutral's) over the frames both runs judged
in position.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.estimators.base import quiet_native_logs  # noqa: E402
from posecheck.labels import ClipLabels  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from tools.camera_quality_study import readings_of  # noqa: E402
from tools.spine_study import STUDIED  # noqa: E402
from tools.study_output import emit, heading  # noqa: E402
from tools.synth.scene import CLOTH  # noqa: E402
from tools.twin_study import Pair, Wording, judge_pairs, parse_args, tables  # noqa: E402

WORDS = Wording("by the plain wall", "in the room", "the room", "sofa in the top's colour")
SOFA_SEAT_SIZE = (0.9, 2.0, 0.44)  # the sofa's seat, as scene.room_props makes it


def sofa_like_top(labels: ClipLabels) -> bool:
    """Whether the clip's sofa has the colour of the person's top, from the generator's labels."""
    params = labels.raw["generator"]["params"]
    sofas = [p["rgb"] for p in params["props"] if tuple(p["size"]) == SOFA_SEAT_SIZE]
    if len(sofas) != 1:
        raise ValueError(f"{labels.raw.get('pose')} clip has {len(sofas)} sofas, not 1: not of the room set")
    return tuple(sofas[0]) == CLOTH[params["look"]["top_color"]]


def overview(pairs: list[Pair], catalogue: dict) -> list[str]:
    """One row per stretch: false alarms and mistakes caught, by the plain wall and in the room."""
    lines = ["| stretch | correct holds flagged: plain wall / room | mistakes caught: plain wall / room "
             "| of them with the sofa in the top's colour: flagged or missed in the room |",
             "|---|---|---|---|"]
    for stretch in STUDIED:
        mine = [p for p in pairs if p.dressed.stretch == stretch]
        if not mine:
            continue
        holds = [p for p in mine if "__correct" in p.name]
        mistakes = [p for p in mine if "__correct" not in p.name]
        wrong = [p for p in mine if p.setting == "yes" and p.dressed.flagged == ("__correct" in p.name)]
        sofa = sum(p.setting == "yes" for p in mine)
        lines.append(f"| {catalogue[stretch].name} | {sum(p.twin.flagged for p in holds)} / "
                     f"{sum(p.dressed.flagged for p in holds)} of {len(holds)} | "
                     f"{sum(p.twin.flagged for p in mistakes)} / {sum(p.dressed.flagged for p in mistakes)} "
                     f"of {len(mistakes)} | {len(wrong)} of {sofa} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    args, videos = parse_args(__doc__, "room", argv)
    quiet_native_logs()
    catalogue = load_catalogue()
    pairs = judge_pairs(videos, catalogue,
                        lambda labels: "yes" if sofa_like_top(labels) else "no")
    command = f"python tools/room_study.py {args.room} --twins " + " ".join(map(str, args.twins))
    lines = heading("A furnished room behind the lumbar stretches", command, args.out)
    lines += [(__doc__ or "").split("\n\n", 1)[1].strip(), "", *overview(pairs, catalogue), ""]
    for stretch in STUDIED:
        mine = [p for p in pairs if p.dressed.stretch == stretch]
        if mine:
            lines += [f"## {catalogue[stretch].name}", "",
                      *tables(mine, WORDS, readings_of(catalogue[stretch]), "---", level="###")]
    lines += ["Each pair's cells read wall / room: the twin by the plain wall, then the clip in the room."]
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
