"""The common ending of the study scripts in tools/: print the Markdown tables, and keep them."""

from __future__ import annotations

from pathlib import Path


def emit(lines: list[str], out: Path | None) -> int:
    """Print `lines` as one Markdown text and also write it to `out` when given; exit status 0."""
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        out.write_text(text)
    return 0
