"""Human (rich) and machine (JSON) views of scores and findings."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from jixiao.core.evaluate import Result
from jixiao.core.findings import SEVERITY_LABELS, Finding, Severity
from jixiao.core.labels import field_label
from jixiao.core.model import COMPARATOR_LABELS, KIND_LABELS
from jixiao.core.money import fmt
from jixiao.core.summary import finding_dict, plain, summarize

SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def to_json(data: Any) -> str:
    return json.dumps(plain(data), ensure_ascii=False, indent=2)


def score_json(result: Result) -> dict[str, Any]:
    data = summarize(result.evaluation, result.scorecard)
    data["findings"] = [finding_dict(f) for f in result.findings]
    return data


def findings_json(result: Result) -> dict[str, Any]:
    return {
        "unit_name": result.evaluation.unit.name,
        "year": result.evaluation.year,
        "findings": [finding_dict(f) for f in result.findings],
        "counts": counts(result.findings),
    }


def counts(findings: list[Finding]) -> dict[str, int]:
    return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}


def print_score(console: Console, result: Result, source: str) -> None:
    ev, card = result.evaluation, result.scorecard
    console.print(f"[bold]{ev.title_name}[/] · {ev.year}年度 · {KIND_LABELS[ev.kind]}  [dim]({source}，规则集 {card.rules_name})[/]")
    b = card.budget
    budget = Table(title="预算执行", title_justify="left", show_lines=False)
    for header in ("年初预算数", "调整数", "全年预算数", "执行数", "调整率", "执行率", "分值", "得分"):
        budget.add_column(header, justify="right")
    budget.add_row(
        fmt(b.initial), fmt(b.adjustment), fmt(b.adjusted), fmt(b.executed),
        _pct(b.adjustment_rate), _pct(b.execution_rate), fmt(b.weight), fmt(b.score),
    )
    console.print(budget)
    table = Table(title="绩效指标", title_justify="left")
    for header, justify in (
        ("#", "right"), ("一级", "left"), ("指标", "left"), ("目标", "left"), ("年中", "right"),
        ("完成值", "right"), ("完成率", "right"), ("分值", "right"), ("得分", "right"),
    ):
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for i, (ind, r) in enumerate(zip(ev.indicators, card.indicators, strict=True), start=1):
        if ind.comparator is not None and ind.target is not None:
            target = f"{COMPARATOR_LABELS[ind.comparator]}{fmt(ind.target)}{ind.unit or ''}"
        else:
            target = ind.target_text or "—"
        actual = f"{fmt(ind.actual)}{ind.unit or ''}" if ind.actual is not None else (ind.band or ind.actual_text or "—")
        mid = f"{fmt(ind.mid_year)}" if ind.mid_year is not None else "—"
        table.add_row(
            str(i), ind.level1.value if ind.level1 else "—", ind.name, target, mid, str(actual),
            _pct(r.completion_rate), fmt(ind.weight), fmt(r.score),
        )
    console.print(table)
    console.print(
        f"综合得分 [bold]{fmt(card.total_score)}[/] 分（预算执行 {fmt(card.execution_score)} + 指标 {fmt(card.indicator_total)}"
        + (f"，执行率封顶 {fmt(card.cap.max_total)}" if card.cap else "")
        + f"），评价等级 [bold]{card.grade_text}[/]"
    )
    if card.ungradable:
        console.print(f"[red]{card.ungradable}[/]")
    print_findings(console, result.findings)


def print_findings(console: Console, findings: list[Finding]) -> None:
    if not findings:
        console.print("[green]未发现问题。[/]")
        return
    table = Table(title=f"校验发现（{_count_text(findings)}）", title_justify="left", show_lines=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("代码", no_wrap=True)
    table.add_column("位置", overflow="fold")
    table.add_column("说明", overflow="fold", ratio=1)
    for f in findings:
        label = field_label(f.field) if f.field else ""
        where = f"第{f.line}行 {label}" if f.line else label
        message = f.message if f.quote is None else f"{f.message}\n[dim]原文：{f.quote}[/]"
        table.add_row(
            f"[{SEVERITY_STYLES[f.severity]}]{SEVERITY_LABELS[f.severity]}[/]", f.code, where, message
        )
    console.print(table)


def _count_text(findings: list[Finding]) -> str:
    c = counts(findings)
    return f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"


def _pct(value: Any) -> str:
    return "—" if value is None else f"{fmt(value)}%"
