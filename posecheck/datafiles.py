"""Read a YAML data file into a pydantic model, reporting problems as file, field and reason."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from posecheck.errors import PosecheckError

Model = TypeVar("Model", bound=BaseModel)


def field_path(loc: tuple[object, ...]) -> str:
    """pydantic's error location as a dotted path: `checks[2].flag_above`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def load_model(path: str | Path, model: type[Model], error: type[PosecheckError], what: str) -> Model:
    """Parse `path` as YAML and validate it as `model`; every problem raises `error` in plain words.

    `what` names the kind of file in messages ("pose file", "routine file").
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"{path}: no such {what}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot be read ({exc.__class__.__name__}).") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{path}:{where}: not valid YAML: {problem}.") from exc
    if not isinstance(data, dict):
        raise error(f"{path}: (top level): expected a mapping of fields, got {type(data).__name__}.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            where = field_path(err["loc"])
            # Cross-field rules name the offending field first ("clear_below: ..."): extend the path.
            named = re.match(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)*): (.*)$", msg, flags=re.S)
            if named:
                sub = named.group(1)
                where = sub if where == "(top level)" else f"{where}{'' if sub.startswith('[') else '.'}{sub}"
                msg = named.group(2)
            lines.append(f"{path}: {where}: {msg}")
        raise error("\n".join(lines)) from exc
