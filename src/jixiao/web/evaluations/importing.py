"""Importing a file into an existing evaluation: a merge into the current version, never a replacement.

A file format carries only part of an evaluation (the 自评表 .xlsx has no narrative, no mid-year
values, no evidence …). What the file *says* is what differs from what the same format would have
carried from the current version: so the current version is exported in the file's format and read
back (the round trip), and the import is a three-way merge — the current version is kept wherever
the uploaded file agrees with the round trip, and the file wins wherever it differs. Fields lost in
the round trip are the ones the file cannot carry; they are listed, and kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.core.model import KIND_LABELS, Kind
from jixiao.core.model import Evaluation as Model
from jixiao.io.errors import InputError, Problem
from jixiao.web.evaluations import diff as diffs
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.evaluations.uploads import read_upload

FORMATS = {".xlsx": "xlsx", ".docx": "docx", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
_MISSING: Any = object()


def data_bytes(data: dict[str, Any], fmt: str) -> bytes:
    """A version's data as a YAML or JSON file (what the download offers)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2).encode()
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def export_bytes(model: Model, fmt: str, rules_name: str) -> bytes:
    if fmt in ("yaml", "json"):
        return data_bytes(services.to_data(model), fmt)
    from jixiao.report.write import report_bytes

    result = services.score(model, rules_name)
    if fmt == "docx":  # the Word 自评表 (what `jixiao table -o x.docx` writes), not the report
        import io

        from jixiao.report.docx import render_table_docx

        buffer = io.BytesIO()
        render_table_docx(result.evaluation, result.scorecard, buffer)
        return buffer.getvalue()
    return report_bytes(result, "xlsx")


def round_trip(model: Model, fmt: str, rules_name: str) -> dict[str, Any]:
    """What a file of this format says about `model`: exported, then read back."""
    suffix = "yaml" if fmt == "yaml" else fmt
    body = export_bytes(model, fmt, rules_name)
    return services.to_data(read_upload(SimpleUploadedFile(f"roundtrip.{suffix}", body)))


def merge3(current: Any, base: Any, new: Any) -> Any:
    """`current` with what changed from `base` to `new` (the file's own changes) applied."""
    if _same(new, base):
        return current
    if isinstance(new, dict) and isinstance(base, dict) and isinstance(current, dict):
        out = {}
        for key in [*current, *(k for k in new if k not in current)]:
            value = merge3(current.get(key, _MISSING), base.get(key, _MISSING), new.get(key, _MISSING))
            if value is not _MISSING:
                out[key] = value
        return out
    if _records(new) and _records(base) and _records(current) and len(base) == len(current):
        return _merge_rows(current, base, new)
    return new


def _records(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _merge_rows(current: list[dict[str, Any]], base: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Any]:
    """Rows (indicators, projects) by position when the count is unchanged, else by name."""
    if len(new) == len(base):
        return [merge3(c, b, n) for c, b, n in zip(current, base, new, strict=True)]
    unused = list(range(len(base)))
    out = []
    for row in new:
        match = next((i for i in unused if base[i].get("name") == row.get("name")), None)
        if match is None:
            out.append(row)
        else:
            unused.remove(match)
            out.append(merge3(current[match], base[match], row))
    return out


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, str):
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return False


def not_carried(current: dict[str, Any], trip: dict[str, Any]) -> list[str]:
    """Chinese labels of the fields of `current` that the round trip lost (one per kind of field)."""
    kept, lost = diffs.flatten(current), diffs.flatten(trip)
    labels: list[str] = []
    for path, value in kept.items():
        if not _same(value, lost.get(path)):
            name = re.sub(r"^(指标|项目)\d+(（[^）]*）)?·", r"\1·", diffs.label_for(path))  # one entry per column
            if name not in labels:
                labels.append(name)
    return labels


@dataclass
class Plan:
    """What an import would save, shown before it is saved."""

    filename: str
    base_version: int
    data: dict[str, Any]
    changes: list[diffs.Change]
    kept: list[str]  # labels of the fields the file cannot carry (kept from the current version)
    other_unit: str = ""  # the file's unit when it is not this evaluation's (an admin may still confirm)
    notes: list[str] = field(default_factory=list)


def plan_import(evaluation: Evaluation, current: dict[str, Any], base_version: int, upload: object,
                may_override_unit: bool) -> Plan:
    """Read `upload`, check it belongs to this evaluation, merge it into `current` (nothing saved)."""
    model = read_upload(upload)
    name = Path(getattr(upload, "name", "") or "上传文件").name
    _check_identity(evaluation, current, model, name, may_override_unit)
    fmt = FORMATS.get(Path(name).suffix.lower(), "yaml")
    current_model = services.load_model(current)
    trip = round_trip(current_model, fmt, evaluation.rules)
    merged = merge3(current, trip, services.to_data(model))
    merged_model = services.load_model(merged, name)  # a merge the core refuses is the file's problem
    data = services.to_data(merged_model)
    other = model.unit.name if _other_unit(evaluation, current, model) else ""
    return Plan(name, base_version, data, diffs.diff(current, data), not_carried(current, trip), other_unit=other)


def _other_unit(evaluation: Evaluation, current: dict[str, Any], model: Model) -> bool:
    names = {evaluation.unit.name, str((current.get("unit") or {}).get("name", ""))}
    code = evaluation.unit.code or (current.get("unit") or {}).get("code")
    return model.unit.name not in names or bool(code and model.unit.code and model.unit.code != code)


def _check_identity(evaluation: Evaluation, current: dict[str, Any], model: Model, name: str, may_override_unit: bool) -> None:
    problems = []
    if model.year != evaluation.year:
        problems.append(Problem(
            f"文件的评价年度为 {model.year} 年，而本自评是 {evaluation.year} 年；请导入同一年度的数据，或新建 {model.year} 年的自评",
            field="year"))
    if model.kind.value != evaluation.kind:
        problems.append(Problem(
            f"文件是“{KIND_LABELS[model.kind]}”，而本自评是“{KIND_LABELS[Kind(evaluation.kind)]}”；请导入同类自评的数据",
            field="kind"))
    if _other_unit(evaluation, current, model) and not may_override_unit:
        problems.append(Problem(
            f"文件属于“{model.unit.name}”，而本自评是“{evaluation.unit.name}”的；不能把其他单位的数据导入本单位。"
            "如确需导入，请联系管理员", field="unit.name"))
    if problems:
        raise InputError(name, problems)
