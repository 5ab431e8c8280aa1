"""Read any stage's YAML/JSON file: a self-evaluation, a target declaration, a monitoring report or a
rectification list.

The top-level `stage` key says which (`targets`, `monitoring`, `rectification`; absent for a self-evaluation, so
every existing file keeps working). Errors are the same Chinese problems with line numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from jixiao.core.model import Evaluation, Location
from jixiao.core.monitoring import MonitoringReport
from jixiao.core.rectification import RectificationList
from jixiao.core.targets import TargetDeclaration
from jixiao.io.errors import InputError, Problem
from jixiao.io.evaluation_file import locations_of, read_raw, validate_evaluation
from jixiao.io.inputs import read_input
from jixiao.io.pydantic_errors import problems_from
from jixiao.io.yamlish import LineMap, decode_text, load_json, load_yaml

StageModel = TargetDeclaration | MonitoringReport | RectificationList
StageType = type[TargetDeclaration] | type[MonitoringReport] | type[RectificationList]
Document = Evaluation | StageModel

STAGES: dict[str, StageType] = {
    "targets": TargetDeclaration,
    "monitoring": MonitoringReport,
    "rectification": RectificationList,
}
STAGE_TITLES = {"targets": "绩效目标申报", "monitoring": "绩效运行监控", "rectification": "问题整改"}


@dataclass
class StageDocument:
    """A target declaration, monitoring report or rectification list, with each field's line for findings."""

    model: StageModel
    locations: dict[str, Location] = field(default_factory=dict)
    # Read from a form without an indicator-code column: the codes were made from the names, and the
    # indicators are matched to the targets by name (`core.chain.adopt_codes`).
    codes_from_names: bool = False


# Readers of other formats (the 申报表/监控表 .xlsx) that recognise their own files; None: not mine.
SNIFFERS: list[Callable[[Path], StageDocument | None]] = []


def read_document(path: Path) -> Evaluation | StageDocument:
    raw = read_raw(path)
    return parse_document(raw, str(path), json_format=path.suffix.lower() == ".json")


def parse_document(raw: bytes | str, source: str, json_format: bool = False) -> Evaluation | StageDocument:
    text = raw if isinstance(raw, str) else decode_text(raw, source)
    if not text.strip():
        raise InputError(source, [Problem("文件为空")])
    data, lines = load_json(text, source) if json_format else load_yaml(text, source)
    if not isinstance(data, dict):
        raise InputError(source, [Problem("顶层应为键值结构（stage、kind、year、unit …）", line=1)])
    stage = data.get("stage")
    if stage is None:
        evaluation = validate_evaluation(data, source, lines)
        evaluation.locations = locations_of(text, lines)
        return evaluation
    model_type = STAGES.get(stage) if isinstance(stage, str) else None
    if model_type is None:
        choices = "、".join(f"{key}（{title}）" for key, title in STAGE_TITLES.items())
        raise InputError(
            source, [Problem(f"未知的文件类型“{stage}”，应为 {choices}；自评数据不写 stage", "stage", lines.get("stage"))]
        )
    return StageDocument(validate_stage(model_type, data, source, lines), locations_of(text, lines))


def validate_stage(model_type: type[BaseModel], data: Any, source: str, lines: LineMap) -> StageModel:
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from(exc, lines)) from None
    assert isinstance(model, TargetDeclaration | MonitoringReport | RectificationList)
    return model


TEXT_SUFFIXES = {".yaml", ".yml", ".json"}


def read_any(path: Path) -> Evaluation | StageDocument:
    """Any input a command accepts: a stage's YAML/JSON, else whatever reader the suffix has."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        return read_document(path)
    for sniff in SNIFFERS:
        found = sniff(path)
        if found is not None:
            return found
    return read_input(path)


def read_stage(path: Path, model_type: StageType) -> StageDocument:
    """A file that must be of one stage (e.g. the targets a monitoring report is checked against)."""
    document = read_any(path)
    if not isinstance(document, StageDocument) or not isinstance(document.model, model_type):
        wanted = next(key for key, value in STAGES.items() if value is model_type)
        given = "绩效自评数据" if isinstance(document, Evaluation) else f"{STAGE_TITLES[document.model.stage]}文件"
        raise InputError(str(path), [Problem(f"这是{given}，这里应为{STAGE_TITLES[wanted]}文件（stage: {wanted}）", "stage")])
    return document
