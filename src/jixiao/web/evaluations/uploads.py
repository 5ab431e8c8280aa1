"""Reading an uploaded evaluation file with the core loaders; every problem becomes an InputError."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile

from jixiao.core.model import Evaluation as Model
from jixiao.io.errors import InputError, Problem
from jixiao.io.evaluation_file import MAX_BYTES, parse_evaluation
from jixiao.io.inputs import READERS, read_input
from jixiao.io.stage_file import StageDocument, parse_document, read_any


def register_optional_readers() -> None:
    """The report writer registers the 自评表 .xlsx reader when it is installed."""
    with contextlib.suppress(ImportError):
        import jixiao.report.xlsx_reader  # noqa: F401


def read_upload(upload: object) -> Model:
    register_optional_readers()
    if not isinstance(upload, UploadedFile):
        raise InputError("上传文件", [Problem("请选择要导入的文件")])
    name = Path(upload.name or "上传文件").name
    suffix = Path(name).suffix.lower()
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InputError(name, [Problem("文件过大（超过 20 MB），不是自评数据文件")])
    if suffix in (".yaml", ".yml", ".json"):
        return parse_evaluation(upload.read(), name, json_format=suffix == ".json")
    if suffix in READERS:  # other registered formats (e.g. the 自评表 .xlsx) read from a file
        with tempfile.TemporaryDirectory(prefix="jixiao-upload-") as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(upload.read())
            try:
                return read_input(path)
            except InputError as error:
                raise InputError(name, error.problems) from None
    supported = "、".join(sorted(READERS))
    raise InputError(name, [Problem(f"不支持的文件类型“{suffix or '无扩展名'}”，支持：{supported}")])


STAGE_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".docx")


def read_stage_upload(upload: UploadedFile) -> Model | StageDocument:
    """A stage file uploaded: its YAML/JSON, or the 申报表/监控表 (.xlsx/.docx) as jixiao writes them."""
    import jixiao.report.stage_reader  # noqa: F401  (registers the form readers)

    name = Path(upload.name or "上传文件").name
    suffix = Path(name).suffix.lower()
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InputError(name, [Problem("文件过大（超过 20 MB）")])
    if suffix in (".yaml", ".yml", ".json"):
        return parse_document(upload.read(), name, json_format=suffix == ".json")
    if suffix not in STAGE_SUFFIXES:
        raise InputError(name, [Problem(f"不支持的文件类型“{suffix or '无扩展名'}”，支持：{'、'.join(STAGE_SUFFIXES)}")])
    with tempfile.TemporaryDirectory(prefix="jixiao-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(upload.read())
        try:
            return read_any(path)
        except InputError as error:
            raise InputError(name, error.problems) from None
