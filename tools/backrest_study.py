"""Does a chair back behind a seated person change how the glute stretch's lumbar check reads?

python tools/backrest_study.py CHAIR_DIR --twins DIR ... [--out FILE]

The seated figure-4 is rendered on a stool; at home most people will sit on a chair with a back.
The back's outline is the edge of the person mask, and a thing that touches the back can reshape
that edge (docs/spine.md: a hand on the low back, a shirt bridging the hollow). CHAIR_DIR holds the
`backrest` set (tools/synth/matrix.py, with_backrest): seated glute clips each rendered exactly as
its twin of the same name in a --twins folder (the restless set's correct holds, the sessions
set's forward bends), but with a chair back 0 to 4 cm behind the back of the pelvis, 45 cm high.

Each clip and its twin are run through MediaPipe and the checker from their videos and scored as
`posecheck regress` scores a clip (posecheck/regress.py run_clip). The tables give, for each pair:
whether the forward-bend check flagged it (a correct hold must stay silent, a bend must be
flagged), the false-alarm seconds, the onset after the labelled angle passed 15 deg, when the
person's own neutral was learned, and the median change the chair back makes to the two readings
the check judges (back_curve for the fixed level, sacrum_back_bend against the neutral) over the
frames both runs judged in position.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.estimators.base import quiet_native_logs  # noqa: E402
from posecheck.labels import ClipLabels  # noqa: E402
from posecheck.poses import load_catalogue  # noqa: E402
from tools.study_output import emit, heading  # noqa: E402
from tools.twin_study import Wording, judge_pairs, parse_args, tables  # noqa: E402

# the two readings the glute stretch's lumbar check judges, as camera_quality_study.run_clip keeps
# them (readings_of: its fixed level's feature, then its own neutral's; a test keeps them equal)
READINGS = ("back_curve", "sacrum_back_bend")
WORDS = Wording("on the stool", "on the chair", "the chair back", "chair back behind the pelvis (cm)",
                "Forward bends")


def backrest_gap_m(labels: ClipLabels) -> float:
    """How far behind the pelvis the clip's chair back stands (m), from the generator's labels."""
    return float(labels.raw["generator"]["params"]["spec"]["backrest_gap_m"])


def main(argv: list[str] | None = None) -> int:
    args, videos = parse_args(__doc__, "backrest", argv)
    quiet_native_logs()
    pairs = judge_pairs(videos, load_catalogue(),
                        lambda labels: f"{100 * backrest_gap_m(labels):.1f}")
    assert all(p.dressed.stretch == "glute_stretch" for p in pairs), "the backrest set is seated glute clips"
    command = (f"python tools/backrest_study.py {args.backrest} --twins "
               + " ".join(map(str, args.twins)))
    lines = heading("A chair back behind the seated glute stretch", command, args.out)
    lines += [(__doc__ or "").split("\n\n", 1)[1].strip(), ""]
    lines += tables(pairs, WORDS, READINGS, "---:")
    lines += ["Each pair's cells read stool / chair: the twin without the chair back, then the clip with it."]
    return emit(lines, args.out)


if __name__ == "__main__":
    sys.exit(main())
