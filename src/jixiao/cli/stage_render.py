"""Human (rich) and machine (JSON) views of a target declaration, a monitoring report or a rectification list."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from jixiao.cli.render import counts, print_findings
from jixiao.core.model import COMPARATOR_LABELS, Kind
from jixiao.core.money import fmt
from jixiao.core.monitoring import LIGHT_LABELS, Light, MonitoringReport
from jixiao.core.rectification import ITEM_STATE_LABELS, SOURCE_LABELS, RectificationList, overdue_items
from jixiao.core.stage_evaluate import StageResult
from jixiao.core.summary import finding_dict, plain
from jixiao.core.targets import DECISION_LABELS, ENTRY_STAGE_LABELS, TargetDeclaration, apply_adjustments

SCOPE_LABELS = {Kind.DEPARTMENT: "部门整体", Kind.PROJECT: "项目"}
LIGHT_STYLES = {Light.GREEN: "green", Light.YELLOW: "yellow", Light.RED: "bold red"}


def target_text(comparator: Any, target: Any, text: str | None, unit: str | None) -> str:
    if comparator is not None and target is not None:
        return f"{COMPARATOR_LABELS[comparator]}{fmt(target)}{unit or ''}"
    return text or "—"


def lit(light: Light | None) -> str:
    return "—" if light is None else f"[{LIGHT_STYLES[light]}]{LIGHT_LABELS[light]}[/]"


def print_targets(console: Console, declaration: TargetDeclaration, source: str) -> None:
    in_force = apply_adjustments(declaration)
    console.print(
        f"[bold]{declaration.title_name}[/] · {declaration.year}年度 · {SCOPE_LABELS[declaration.kind]}绩效目标"
        f" · {ENTRY_STAGE_LABELS[declaration.entered_at]}  [dim]({source})[/]"
    )
    console.print(f"年度资金总额 {fmt(declaration.budget.total)} 万元；总体目标：{declaration.overall_goal}")
    table = Table(title="绩效指标（现行目标）", title_justify="left")
    for header in ("编码", "一级", "二级", "三级指标", "指标值", "分值", "依据"):
        table.add_column(header, overflow="fold")
    for ind in in_force.indicators:
        table.add_row(
            ind.code, ind.level1.value, ind.level2, ind.name,
            target_text(ind.comparator, ind.target, ind.target_text, ind.unit),
            fmt(ind.weight) if ind.weight is not None else "—", ind.basis.value if ind.basis else "—",
        )
    console.print(table)
    if declaration.adjustments:
        adjustments = Table(title="目标调整", title_justify="left")
        for header in ("编码", "调整为", "理由", "审批"):
            adjustments.add_column(header, overflow="fold")
        for adj in declaration.adjustments:
            adjustments.add_row(
                adj.code, target_text(adj.comparator, adj.target, adj.target_text, adj.unit), adj.reason,
                DECISION_LABELS[adj.decision],
            )
        console.print(adjustments)


def print_monitoring(console: Console, result: StageResult, source: str) -> None:
    report, lights = result.model, result.lights
    assert isinstance(report, MonitoringReport) and lights is not None
    console.print(
        f"[bold]{report.title_name}[/] · {report.year}年度 · 绩效运行监控（截至 {report.cut_off.isoformat()}）  [dim]({source})[/]"
    )
    budget = Table(title="预算执行（执行进度 / 时间进度）", title_justify="left")
    for header in ("全年预算数", "截至监控日执行数", "执行进度", "时间进度", "落后", "预警"):
        budget.add_column(header, justify="right")
    budget.add_row(
        fmt(report.budget.annual), fmt(report.budget.executed_to_date),
        f"{fmt(lights.execution_progress)}%", f"{fmt(lights.time_progress)}%",
        f"{fmt(lights.gap)}个百分点", lit(lights.budget_light),
    )
    console.print(budget)
    table = Table(title="绩效指标", title_justify="left")
    for header in ("编码", "指标", "年度指标值", "截至监控日", "预计全年", "预计完成程度", "预警"):
        table.add_column(header, overflow="fold")
    for ind, light in zip(report.indicators, lights.indicators, strict=True):
        to_date = fmt(ind.value_to_date) if ind.value_to_date is not None else (ind.value_text or "—")
        table.add_row(
            ind.code, ind.name, target_text(ind.comparator, ind.target, ind.target_text, ind.unit), to_date,
            fmt(light.expected), f"{fmt(light.completion)}%" if light.completion is not None else "—", lit(light.light),
        )
    console.print(table)
    console.print(
        f"红灯 {lights.count(Light.RED)}，黄灯 {lights.count(Light.YELLOW)}，绿灯 {lights.count(Light.GREEN)}"
    )


def print_rectification(console: Console, result: StageResult, source: str) -> None:
    items, as_of = result.model, result.as_of
    assert isinstance(items, RectificationList) and as_of is not None
    console.print(f"[bold]{items.title_name}[/] · {items.year}年度 · 问题整改（截至 {as_of.isoformat()}）  [dim]({source})[/]")
    late = {item.code for item in overdue_items(items.items, as_of)}
    table = Table(title="整改事项", title_justify="left")
    for header in ("编号", "整改单位", "问题来源", "存在的问题", "整改期限", "状态"):
        table.add_column(header, overflow="fold")
    for item in items.items:
        state = ITEM_STATE_LABELS[item.state] + ("（[bold red]已逾期[/]）" if item.code in late else "")
        table.add_row(
            item.code, item.unit, SOURCE_LABELS[item.source] if item.source else "—", item.problem or "—",
            item.deadline.isoformat(), state,
        )
    console.print(table)
    closed = sum(not item.is_open for item in items.items)
    console.print(f"共 {len(items.items)} 项：已销号 {closed}，未销号 {len(items.items) - closed}（其中逾期 {len(late)}）")


def stage_json(result: StageResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "stage": result.model.stage,
        "name": result.model.title_name,
        "year": result.model.year,
        "findings": [finding_dict(f) for f in result.findings],
        "counts": counts(result.findings),
    }
    if isinstance(result.model, TargetDeclaration):
        data["targets"] = apply_adjustments(result.model).model_dump(mode="json")["indicators"]
    if isinstance(result.model, RectificationList) and result.as_of is not None:
        data["as_of"] = result.as_of.isoformat()
        data["items"] = result.model.model_dump(mode="json")["items"]
        data["overdue"] = [item.code for item in overdue_items(result.model.items, result.as_of)]
        data["open"] = [item.code for item in result.model.items if item.is_open]
    if result.lights is not None:
        lights = result.lights
        data["lights"] = plain(
            {
                "time_progress": lights.time_progress,
                "execution_progress": lights.execution_progress,
                "gap": lights.gap,
                "budget": lights.budget_light,
                "indicators": [
                    {"code": i.code, "name": i.name, "expected": i.expected, "completion": i.completion, "light": i.light}
                    for i in lights.indicators
                ],
            }
        )
    return data


STAGE_HEADINGS = {"targets": "绩效目标", "monitoring": "绩效运行监控", "rectification": "问题整改"}


def print_stage(console: Console, result: StageResult, source: str, findings_only: bool = False) -> None:
    model = result.model
    if findings_only:
        console.print(f"[bold]{model.title_name}[/] · {model.year}年度 · {STAGE_HEADINGS[model.stage]}  [dim]({source})[/]")
    elif isinstance(model, TargetDeclaration):
        print_targets(console, model, source)
    elif isinstance(model, RectificationList):
        print_rectification(console, result, source)
    else:
        print_monitoring(console, result, source)
    print_findings(console, result.findings)
