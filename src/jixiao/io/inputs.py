"""Read any supported input file into an Evaluation, chosen by the file's extension.

Other packages register readers for their formats (the report package adds the
自评表 .xlsx) so that every command accepts every format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jixiao.core.model import Evaluation
from jixiao.io.errors import InputError, Problem
from jixiao.io.evaluation_file import read_evaluation

Reader = Callable[[Path], Evaluation]

READERS: dict[str, Reader] = {
    ".yaml": read_evaluation,
    ".yml": read_evaluation,
    ".json": read_evaluation,
}


def register_reader(suffix: str, reader: Reader) -> None:
    READERS[suffix.lower()] = reader


def read_input(path: Path) -> Evaluation:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            str(path),
            [Problem(f"不支持的文件类型“{path.suffix or '无扩展名'}”，支持：{'、'.join(sorted(READERS))}")],
        )
    return reader(path)
