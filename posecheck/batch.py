"""Many recordings at once: a process pool, one progress bar for the whole job, a summary table.

Each file is analysed in its own worker process (its own pose model), exactly as a single
`posecheck analyze` would; a file that cannot be judged gets its plain error in the table and the
others carry on.
"""

from __future__ import annotations

import glob
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posecheck.errors import PosecheckError
from posecheck.poses.schema import PoseDefinition
from posecheck.sources.video import VIDEO_SUFFIXES  # the decoder's own list: a folder finds what it reads


def expand(inputs: list[str]) -> list[Path]:
    """Files, folders (every video and .landmarks.npz recording in them, sorted) and glob patterns."""
    out: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*")
                          if p.suffix.lower() in VIDEO_SUFFIXES or p.name.endswith(".landmarks.npz"))
        elif any(ch in item for ch in "*?["):
            out += sorted(Path(p) for p in glob.glob(item, recursive=True))
        else:
            out.append(path)
    seen: set[Path] = set()
    return [p for p in out if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


@dataclass
class BatchRow:
    """One file's outcome."""

    path: Path
    exit_code: int  # 0 analysed, else posecheck's exit code for the error
    summary: str  # stretches, holds or reps, mistakes; or the error in plain words
    mistakes: int = 0
    seconds: float = 0.0  # wall time the analysis took


def _stem(path: Path) -> str:
    return path.name.removesuffix(".landmarks.npz").rsplit(".", 1)[0]


def report_names(paths: list[Path]) -> dict[Path, str]:
    """Each file's JSON report name in --out-dir: NAME.json, or, where two files share a NAME (a
    video and its recording, or clip.mp4 in two subfolders), NAME.mp4.json and the like, with the
    folders above it where even that is shared: no report overwrites another."""
    def name(path: Path, parents: int) -> str:
        folders = [p.name for p in reversed(path.parents[:parents]) if p.name] if parents else []
        return "__".join([*folders, path.name]) + ".json"

    by_stem: dict[str, list[Path]] = {}
    for path in paths:
        by_stem.setdefault(_stem(path), []).append(path)
    names: dict[Path, str] = {}
    for stem, same in by_stem.items():
        if len(same) == 1:
            names[same[0]] = f"{stem}.json"
            continue
        for parents in range(max(len(p.parents) for p in same) + 1):
            tried = {p: name(p, parents) for p in same}
            if len(set(tried.values())) == len(same):
                break
        names.update(tried)
    return names


def _describe(report: dict[str, Any]) -> tuple[str, int]:
    """A one-line summary of a report and its number of mistake spans."""
    ones = report["stretches"].values() if "stretches" in report else [report]
    parts, mistakes = [], 0
    for one in ones:
        mistakes += len(one["mistakes"])
        if "reps" in one:
            done = f"{one['reps']['counted']} reps"
        else:
            done = ", ".join(f"{side} {s['hold_s']:.0f}/{one['pose']['hold_target_s']:.0f} s"
                             for side, s in one["sides"].items()) or "never in position"
        parts.append(f"{one['pose']['name']}: {done}")
    return "; ".join(parts) or "no stretch recognised", mistakes


def analyse_one(path: Path, pose: PoseDefinition | None, catalogue: dict[str, PoseDefinition] | None,
                report: Path | None, options: dict[str, Any] | None = None) -> BatchRow:
    """Analyse one file (in a worker process), writing its JSON `report` when given; errors become
    the row's message. `options` are passed on to `analyze` (backend, task_file, stride, max_side)."""
    from posecheck.analysis import Outputs, analyze

    t0 = time.perf_counter()
    outputs = Outputs(json=report)
    try:
        result = analyze(path, pose, outputs=outputs, keep_verdicts=False, catalogue=catalogue,
                         **(options or {}))
    except PosecheckError as exc:
        return BatchRow(path, exc.exit_code, f"{exc.message} {exc.hint}".strip(),
                        seconds=time.perf_counter() - t0)
    summary, mistakes = _describe(result.report)
    return BatchRow(path, 0, summary, mistakes, time.perf_counter() - t0)


def run_batch(paths: list[Path], pose: PoseDefinition | None,
              catalogue: dict[str, PoseDefinition] | None = None, jobs: int | None = None,
              out_dir: Path | None = None, progress: Callable[[int, int], None] | None = None,
              options: dict[str, Any] | None = None) -> list[BatchRow]:
    """Analyse every file with `jobs` worker processes (default: one per CPU); rows in input order.
    `options` go to each `analyze` call (backend, task_file, stride, max_side)."""
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    rows: dict[Path, BatchRow] = {}
    names = report_names(paths)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per worker: no model state copied
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(analyse_one, p, pose, catalogue, out_dir / names[p] if out_dir else None,
                               options): p for p in paths}
        for done, future in enumerate(as_completed(futures), start=1):
            rows[futures[future]] = future.result()
            if progress:
                progress(done, len(paths))
    ordered = [rows[p] for p in paths]
    if out_dir is not None:
        (out_dir / "summary.json").write_text(json.dumps(
            [{"file": str(r.path), "report": names[r.path] if r.exit_code == 0 else None,
              "exit_code": r.exit_code, "summary": r.summary, "mistakes": r.mistakes,
              "seconds": round(r.seconds, 3)} for r in ordered], indent=1),
            encoding="utf-8")
    return ordered


def table(rows: list[BatchRow]) -> str:
    """The summary table for the terminal."""
    width = max((len(r.path.name) for r in rows), default=4)
    lines = [f"{'file':<{width}}  {'result':<8} {'mistakes':>8}  summary"]
    for r in rows:
        result = "ok" if r.exit_code == 0 else f"error {r.exit_code}"
        mistakes = str(r.mistakes) if r.exit_code == 0 else "-"
        lines.append(f"{r.path.name:<{width}}  {result:<8} {mistakes:>8}  {r.summary}")
    ok = sum(r.exit_code == 0 for r in rows)
    lines.append(f"{ok} of {len(rows)} files analysed.")
    return "\n".join(lines)
