"""tools/min_duration_study.py: the wait is set on the lumbar check alone, a longer wait tells a
committed mistake later by that much, and the tables count what they say."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from posecheck.poses import load_catalogue  # noqa: E402
from tools import min_duration_study as study  # noqa: E402
from tools.spine_study import STUDIED  # noqa: E402

SESSIONS = ROOT / "samples" / "sessions"
SYNTH = ROOT / "samples" / "synth"
FLAT_CLIP = "hamstring_stretch__correct_1__ll.labels.json"


@pytest.mark.parametrize("pose_id", sorted(STUDIED))
def test_the_wait_is_set_on_the_lumbar_check_alone(pose_id: str) -> None:
    shipped = load_catalogue()[pose_id]
    moved = study.waiting(shipped, 1.7)
    lumbar = STUDIED[pose_id][0]
    for before, after in zip(shipped.checks, moved.checks, strict=True):
        if before.id == lumbar:
            assert after.min_duration_s == 1.7
            rest = {"min_duration_s"}
            assert after.model_dump(exclude=rest) == before.model_dump(exclude=rest)
        else:
            assert after == before
    assert shipped.check(lumbar).min_duration_s != 1.7  # the loaded pose is not changed


def test_a_longer_wait_tells_a_committed_mistake_later_by_the_extra_wait() -> None:
    """A sessions clip rounds 30 deg and holds it: it is caught with either wait, the longer one
    about half a second later (the clip's 15 fps round the extra 0.5 s to 7 or 8 frames)."""
    jobs = study.jobs({"neutral": [SESSIONS]}, [0.5, 1.0])
    clip = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr.labels.json"
    short, long = (study._score(j) for j in jobs if j[2].path.name == clip)
    assert (short.wait_s, long.wait_s) == (0.5, 1.0)
    assert short.expected == long.expected == "flag" and short.flagged and long.flagged
    assert short.onset_s is not None and long.onset_s is not None
    assert 0.4 <= long.onset_s - short.onset_s <= 0.6
    assert not short.pending_at_end and not long.pending_at_end  # flagged by then, not waiting


def test_a_wait_the_clip_cannot_see_out_is_told_from_a_reading_that_never_crossed() -> None:
    """With a wait longer than the rounding lasts before the clip ends, the check is still waiting
    at the last frame: a miss the clip's length makes, not the reading. A flat hold is not."""
    clip = "hamstring_stretch__lumbar_rounding_30deg_session_male_average__rr.labels.json"
    jobs = [j for j in study.jobs({"neutral": [SESSIONS]}, [3.0]) if j[2].path.name == clip]
    (cut,) = [study._score(j) for j in jobs]
    assert cut.expected == "flag" and not cut.flagged and cut.pending_at_end
    flat = [j for j in study.jobs({"flat": [SYNTH]}, [3.0]) if j[2].path.name == FLAT_CLIP]
    (quiet,) = [study._score(j) for j in flat]
    assert quiet.expected == "silent" and not quiet.flagged and not quiet.pending_at_end

def test_a_folder_without_studied_recordings_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no studied clip with a landmark recording"):
        study.jobs({"flat": [tmp_path]}, [0.5])


def _row(wait: float, group: str, folder: str, clip: str, expected: str, flagged: bool,
         seconds: float = 0.0, onset: float | None = None) -> study.Scored:
    return study.Scored("hamstring_stretch", wait, group, folder, clip, expected, flagged, seconds, onset)


def test_the_table_counts_flat_holds_flagged_mistakes_caught_and_the_onset() -> None:
    shipped = load_catalogue()["hamstring_stretch"].check("lumbar_rounding").min_duration_s
    other = shipped + 0.5
    rows = [
        _row(shipped, "flat", "room", "a", "silent", True, 2.0),
        _row(shipped, "flat", "room", "b", "silent", False),
        _row(shipped, "flat", "room", "m", "flag", True, onset=0.2),  # a mistake in a --flat folder
        _row(shipped, "neutral", "sessions", "c", "flag", True, onset=0.6),
        _row(shipped, "neutral", "sessions", "d", "flag", False),
        _row(shipped, "neutral", "sessions", "g", "grey", True),  # neither counted
        _row(shipped, "bent", "synth", "e", "flag", True, onset=-0.3),
        _row(other, "flat", "room", "a", "silent", False),
        _row(other, "flat", "room", "b", "silent", False),
        _row(other, "neutral", "sessions", "c", "flag", True, onset=1.1),
    ]
    lines = study.table(rows, ["room"], ("flat", "neutral")).splitlines()
    assert lines[0].startswith("| stretch | wait (s) | flat holds flagged: room | "
                               "mistakes caught, start neutral")
    assert lines[2] == (f"| hamstring_stretch | {shipped:g} (shipped) | 1 of 2 (2.0 s) | 2 of 3 | 1 of 1 | "
                        "+0.40 / +0.60 |")  # the onset over the start-neutral mistakes only
    assert lines[3] == f"| hamstring_stretch | {other:g} | 0 of 2 (0.0 s) | 1 of 1 | - | +1.10 / +1.10 |"
    flagged = study.flagged_table(rows)
    assert flagged.splitlines()[2] == f"| hamstring_stretch | room | a | {shipped:g}: 2.0 |"
    assert len(flagged.splitlines()) == 3


def test_the_blind_table_has_no_column_for_clips_that_start_in_the_mistake() -> None:
    rows = [_row(0.5, "blind", "dim", "a", "silent", True, 1.0),
            _row(0.5, "blind", "dim", "c", "flag", True, onset=0.3)]
    lines = study.table(rows, ["dim"], ("blind",), bent=False).splitlines()
    assert "start in the mistake" not in lines[0]
    assert lines[2].endswith("| 1 of 1 (1.0 s) | 1 of 1 | +0.30 / +0.30 |")


def test_the_missed_table_lists_mistakes_only_some_waits_catch() -> None:
    rows = [
        _row(0.5, "neutral", "sessions", "c", "flag", True, onset=0.6),
        _row(1.5, "neutral", "sessions", "c", "flag", False),  # lost by the longer wait
        _row(0.5, "bent", "synth", "e", "flag", True, onset=-0.3),
        _row(1.5, "bent", "synth", "e", "flag", True, onset=0.7),  # caught by both: left out
        _row(0.5, "bent", "synth", "f", "flag", False),
        _row(1.5, "bent", "synth", "f", "flag", False),  # caught by neither: left out
        _row(0.5, "flat", "room", "a", "silent", True, 2.0),  # not a mistake: left out
        _row(1.5, "flat", "room", "a", "silent", False),
    ]
    rows.append(study.Scored("hamstring_stretch", 2.0, "neutral", "sessions", "c", "flag", False, 0.0, None,
                             pending_at_end=True))  # the clip ended while the wait ran
    lines = study.missed_table(rows).splitlines()
    assert lines[2:] == ["| hamstring_stretch | neutral | sessions | c | 0.5 | "
                         "1.5, 2 (still waiting at the end) |"]
    assert study.missed_table(rows[2:]) == "None."


def _rule_rows(alarms: dict[float, int], onsets: dict[float, float]) -> list[study.Scored]:
    """Per wait: `alarms[w]` of three flat holds flagged (1 s each), and one caught mistake whose
    onset is `onsets[w]`."""
    rows = []
    for wait, n in alarms.items():
        rows += [_row(wait, "flat", "room", f"flat{i}", "silent", i < n, 1.0 if i < n else 0.0)
                 for i in range(3)]
        rows.append(_row(wait, "neutral", "sessions", "m", "flag", True, onset=onsets[wait]))
    return rows


def test_the_rule_keeps_the_house_wait_when_no_longer_one_flags_fewer() -> None:
    rows = _rule_rows({0.3: 0, 0.5: 0, 1.0: 0}, {0.3: 0.1, 0.5: 0.3, 1.0: 0.8})
    assert study.HOUSE_WAIT_S == 0.5
    assert study.chosen_wait(rows, "hamstring_stretch") == 0.5  # not shortened to 0.3


def test_the_rule_takes_the_fewest_false_alarms_within_the_onset_bound() -> None:
    rows = _rule_rows({0.5: 2, 0.8: 1, 1.0: 1, 1.5: 0}, {0.5: 0.3, 0.8: 0.6, 1.0: 0.9, 1.5: 1.3})
    # 1.5 flags none but tells the mistake 1.3 s after 15 deg; 0.8 and 1.0 tie: the shorter
    assert study.chosen_wait(rows, "hamstring_stretch") == 0.8
    rows = _rule_rows({0.5: 2, 1.0: 0}, {0.5: 1.1, 1.0: 1.6})
    with pytest.raises(ValueError, match="no wait tells the mistakes within 1 s"):
        study.chosen_wait(rows, "hamstring_stretch")


def test_the_rule_reads_only_the_choosing_sets() -> None:
    rows = _rule_rows({0.5: 1, 1.0: 1}, {0.5: 0.3, 1.0: 0.8})
    # the blind rows would favour 1.0 (it flags none there): they must not count
    rows += [_row(1.0, "blind", "dim", "x", "silent", False),
             _row(0.5, "blind", "dim", "x", "silent", True, 3.0)]
    assert study.chosen_wait(rows, "hamstring_stretch") == 0.5
