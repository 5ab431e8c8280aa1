"""Load an Evaluation from a YAML or JSON file, with Chinese errors that say where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jixiao.core.model import Evaluation, Location
from jixiao.io.errors import InputError, Problem
from jixiao.io.kinds import FILE_NAMES, wrong_kind
from jixiao.io.pydantic_errors import problems_from
from jixiao.io.yamlish import LineMap, decode_text, load_json, load_yaml

MAX_BYTES = 20 * 1024 * 1024


def read_evaluation(path: Path) -> Evaluation:
    """Read and validate an evaluation file (.yaml/.yml/.json)."""
    return parse_evaluation(read_raw(path), str(path), json_format=path.suffix.lower() == ".json", locate=True)


def read_raw(path: Path) -> bytes:
    """A data file's bytes; a missing, oversized or unreadable file is an InputError."""
    source = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(source, [Problem("文件过大（超过 20 MB），不是自评数据文件")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(source, [Problem("文件不存在")]) from None
    except IsADirectoryError:
        raise InputError(source, [Problem("这是一个文件夹，不是文件")]) from None
    except PermissionError:
        raise InputError(source, [Problem("没有读取权限")]) from None
    return raw


def parse_evaluation(
    raw: bytes | str, source: str, json_format: bool = False, locate: bool = False
) -> Evaluation:
    """Parse YAML/JSON text; with `locate`, findings will name the line of the file they concern."""
    text = raw if isinstance(raw, str) else decode_text(raw, source)
    if not text.strip():
        raise InputError(source, [Problem("文件为空")])
    data, lines = load_json(text, source) if json_format else load_yaml(text, source)
    evaluation = validate_evaluation(data, source, lines)
    if locate:
        evaluation.locations = locations_of(text, lines)
    return evaluation


def locations_of(text: str, lines: LineMap) -> dict[str, Location]:
    """Each field's line and the text of that line, for findings that say where."""
    source_lines = text.splitlines()
    return {
        path: Location(line=line, quote=source_lines[line - 1].strip())
        for path, line in lines.items()
        if path and 0 < line <= len(source_lines)
    }


def validate_evaluation(data: Any, source: str, lines: LineMap | None = None) -> Evaluation:
    if not isinstance(data, dict):
        raise InputError(source, [Problem("顶层应为键值结构（kind、year、unit、budget、indicators …）", line=1)])
    stage = data.get("stage")
    if isinstance(stage, str) and stage in FILE_NAMES:  # another stage's file given where a self-evaluation goes
        raise wrong_kind(stage, source, line=(lines or {}).get("stage"))
    try:
        return Evaluation.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from(exc, lines or {})) from None
