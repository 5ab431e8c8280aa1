"""Reading an uploaded evaluation file with the core loaders; every problem becomes an InputError."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.files.uploadedfile import UploadedFile

from jixiao.core.model import Evaluation as Model
from jixiao.io.errors import InputError, Problem
from jixiao.io.evaluation_file import MAX_BYTES, parse_evaluation
from jixiao.io.inputs import READERS, read_input
from jixiao.io.stage_file import StageDocument, parse_document, read_any

T = TypeVar("T")


def register_optional_readers() -> None:
    """The report writer registers the 自评表 .xlsx reader when it is installed."""
    with contextlib.suppress(ImportError):
        import jixiao.report.xlsx_reader  # noqa: F401


def _named(upload: UploadedFile, too_big: str) -> tuple[str, str]:
    """The upload's file name and lower-case suffix, after refusing one over the size limit."""
    name = Path(upload.name or "上传文件").name
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InputError(name, [Problem(f"文件过大（超过 20 MB），{too_big}")])
    return name, Path(name).suffix.lower()


def _from_file(upload: UploadedFile, name: str, suffix: str, reader: Callable[[Path], T]) -> T:
    """Formats read from a file (the workbooks and Word forms): the upload written to a temporary one."""
    with tempfile.TemporaryDirectory(prefix="jixiao-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(upload.read())
        try:
            return reader(path)
        except InputError as error:
            raise InputError(name, error.problems) from None


def _unsupported(name: str, suffix: str, supported: list[str]) -> InputError:
    return InputError(name, [Problem(f"不支持的文件类型“{suffix or '无扩展名'}”，支持：{'、'.join(supported)}")])


def read_upload(upload: object) -> Model:
    register_optional_readers()
    if not isinstance(upload, UploadedFile):
        raise InputError("上传文件", [Problem("请选择要导入的文件")])
    name, suffix = _named(upload, "不是自评数据文件")
    if suffix in (".yaml", ".yml", ".json"):
        return parse_evaluation(upload.read(), name, json_format=suffix == ".json")
    if suffix in READERS:  # other registered formats (e.g. the 自评表 .xlsx)
        return _from_file(upload, name, suffix, read_input)
    raise _unsupported(name, suffix, sorted(READERS))


STAGE_SUFFIXES = [".yaml", ".yml", ".json", ".xlsx", ".docx"]


def read_stage_upload(upload: UploadedFile) -> Model | StageDocument:
    """A stage file uploaded: its YAML/JSON, or the 申报表/监控表 (.xlsx/.docx) as jixiao writes them."""
    import jixiao.report.stage_reader  # noqa: F401  (registers the form readers)

    name, suffix = _named(upload, "不是绩效目标或监控文件")
    if suffix in (".yaml", ".yml", ".json"):
        return parse_document(upload.read(), name, json_format=suffix == ".json")
    if suffix not in STAGE_SUFFIXES:
        raise _unsupported(name, suffix, STAGE_SUFFIXES)
    return _from_file(upload, name, suffix, read_any)
