"""Target declarations and monitoring reports for tests: the shipped templates, changed where a test needs."""

from __future__ import annotations

from typing import Any

from jixiao.cli.setup_cmds import TemplateKind, init_template
from jixiao.core.monitoring import MonitoringReport
from jixiao.core.rectification import RectificationList
from jixiao.core.targets import TargetDeclaration
from jixiao.io.stage_file import StageDocument, parse_document


def template(kind: TemplateKind) -> StageDocument:
    document = parse_document(init_template(kind), f"{kind.value}.yaml")
    assert isinstance(document, StageDocument)
    return document


def declaration(**changes: Any) -> TargetDeclaration:
    model = template(TemplateKind.TARGETS).model
    assert isinstance(model, TargetDeclaration)
    return TargetDeclaration.model_validate({**model.model_dump(), **changes})


def monitoring(**changes: Any) -> MonitoringReport:
    model = template(TemplateKind.MONITORING).model
    assert isinstance(model, MonitoringReport)
    return MonitoringReport.model_validate({**model.model_dump(), **changes})


def with_target(decl: TargetDeclaration, which: str, **changes: Any) -> TargetDeclaration:
    data = decl.model_dump()
    data["indicators"] = [{**ind, **changes} if ind["code"] == which else ind for ind in data["indicators"]]
    return TargetDeclaration.model_validate(data)


def with_monitored(report: MonitoringReport, which: str, **changes: Any) -> MonitoringReport:
    data = report.model_dump()
    data["indicators"] = [{**ind, **changes} if ind["code"] == which else ind for ind in data["indicators"]]
    return MonitoringReport.model_validate(data)


def rectification(**changes: Any) -> RectificationList:
    model = template(TemplateKind.RECTIFICATION).model
    assert isinstance(model, RectificationList)
    return RectificationList.model_validate({**model.model_dump(), **changes})


def with_item(items: RectificationList, which: str, **changes: Any) -> RectificationList:
    data = items.model_dump()
    data["items"] = [{**item, **changes} if item["code"] == which else item for item in data["items"]]
    return RectificationList.model_validate(data)
