"""Everything a report template prints, as ready-made strings: model + scorecard → plain dict.

Pure (no I/O). Every figure comes from the evaluation or from the scoring engine;
derived figures a document once *stated* (`stated` blocks) are never printed — the
report shows the computed ones (e.g. the adjustment rate is 0% when nothing was
adjusted, whatever an earlier report said). The phrasing follows the seed report.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.core.findings import SEVERITY_LABELS, Finding
from jixiao.core.model import (
    COMPARATOR_LABELS,
    FUND_SOURCE_LABELS,
    Direction,
    Evaluation,
    FundSource,
    Indicator,
    IndicatorKind,
    Kind,
    Project,
    QualitativeBand,
)
from jixiao.core.money import HUNDRED, ZERO, percent
from jixiao.core.scoring import IndicatorResult, Scorecard
from jixiao.report import text
from jixiao.report.table_layout import build_table, target_text

DEPARTMENT_TITLE = "部门单位整体支出绩效自评报告"
PROJECT_TITLE = "项目支出绩效自评报告"


def build_context(
    evaluation: Evaluation, card: Scorecard, warnings: list[Finding] | None = None
) -> dict[str, Any]:
    """The template context. `warnings` are error findings to show in a warning box (--allow-errors)."""
    ev = evaluation
    project = ev.kind is Kind.PROJECT
    b = card.budget
    ctx: dict[str, Any] = {
        "kind": ev.kind.value,
        "is_project": project,
        "year": ev.year,
        "attachment_no": _attachment(ev.attachment_no),
        "title": PROJECT_TITLE if project else DEPARTMENT_TITLE,
        "year_text": f"（{ev.year}年度）",
        "unit_name": ev.unit.name,
        "unit_label": "项目单位名称（公章）" if project else "部门单位名称（公章）",
        "filled_date": text.chinese_date(ev.filled_date),
        "project": _project_info(ev),
        "overview": _overview(ev),
        "budget": _budget(ev, card),
        "basic": _basic(ev),
        "projects": _projects(ev),
        "narrative": _narrative(ev),
        "performance": {
            "opening": (
                f"我单位{ev.year}年全年预算金额为{text.money(b.adjusted)}万元，执行金额为{text.money(b.executed)}万元，"
                f"执行率为{text.percent(b.execution_rate)}，得{text.points(b.score)}分。"
            ),
            "intro": ev.narrative.performance_intro or "",
        },
        "indicators": [
            indicator_context(i, ind, result)
            for i, (ind, result) in enumerate(zip(ev.indicators, card.indicators, strict=True), start=1)
        ],
        "conclusion": {
            "intro": ev.narrative.conclusion_intro or "",
            "result": (
                f"{ev.year}年度{'项目支出' if project else '部门整体支出'}绩效自评综合得分{text.points(card.total_score)}分，"
                + (f"评价结果为“{card.grade.value}”。" if card.gradable else f"{card.ungradable}。")
            ),
        },
        "total_score": text.points(card.total_score),
        "weight_total": text.points(card.weight_total),
        "grade": card.grade_text,
        "execution_score": text.points(card.execution_score),
        "rules_name": card.rules_name,
        "table": build_table(ev, card),
        "warnings": [
            f"[{SEVERITY_LABELS[f.severity]} {f.code}] {f.message}" for f in (warnings or [])
        ],
    }
    return ctx


def _attachment(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    return value if value.endswith(("：", ":")) else value + "："


def _project_info(ev: Evaluation) -> dict[str, str]:
    p = ev.project
    return {
        "name": p.name if p else "",
        "supervising_department": (p.supervising_department if p else None) or ev.unit.supervising_department or "",
        "implementing_unit": (p.implementing_unit if p else None) or ev.unit.name,
    }


def _overview(ev: Evaluation) -> dict[str, str]:
    u, s = ev.unit, ev.unit.staffing
    staffing = ""
    parts = []
    if s.authorized_total is not None or s.authorized_administrative is not None or s.authorized_institutional is not None:
        # The total is the sum of its parts when both are known (a stated total may be wrong).
        if s.authorized_administrative is not None and s.authorized_institutional is not None:
            total = s.authorized_administrative + s.authorized_institutional
        else:
            total = s.authorized_total or (s.authorized_administrative or 0) + (s.authorized_institutional or 0)
        parts.append(f"单位机关共有编制{total}名")
        sub = []
        if s.authorized_administrative is not None:
            sub.append(f"单位机关行政编制数{s.authorized_administrative}名")
        if s.authorized_institutional is not None:
            sub.append(f"事业编制数{s.authorized_institutional}名")
        if s.actual is not None:
            sub.append(f"实有在编人数为{s.actual}人")
        staffing = "人员构成：" + parts[0] + ("，其中：" + "，".join(sub) if sub else "") + "。"
    elif s.actual is not None:
        staffing = f"人员构成：实有在编人数为{s.actual}人。"
    return {
        "functions": u.functions or "",
        "organisation": u.organisation or "",
        "staffing": staffing,
        "key_work": ev.narrative.key_work or "",
        "overall_goal": ev.narrative.overall_goal or "",
        "goal_achievement": ev.narrative.goal_achievement or "",
    }


def _budget(ev: Evaluation, card: Scorecard) -> dict[str, Any]:
    b, budget = card.budget, ev.budget
    year = ev.year
    if ev.kind is Kind.PROJECT:
        lead = f"本项目{year}年年初预算数为{text.money(b.initial)}万元，"
    else:
        lead = f"在部门单位整体预算规模方面，我单位{year}年部门单位整体年初预算数为{text.money(b.initial)}万元，"
    scale = (
        lead +
        f"预算数（调整后）为{text.money(b.adjusted)}万元，执行数为{text.money(b.executed)}万元，"
        f"预算执行率{text.percent(b.execution_rate)}"
    )
    if budget.fiscal is not None:
        f = budget.fiscal
        pieces = []
        if f.initial is not None:
            pieces.append(f"年初预算数为{text.money(f.initial)}万元")
        if f.adjusted is not None:
            pieces.append(f"全年预算数为{text.money(f.adjusted)}万元")
        if f.executed is not None:
            pieces.append(f"决算数为{text.money(f.executed)}万元")
        if pieces:
            scale += "，其中：财政资金预算部分" + "，".join(pieces)
    scale += "。"
    initial = f"我单位年初批复预算数为{text.money(b.initial)}万元"
    with_initial = [(s, line) for s, line in budget.sources.items() if line.initial is not None]
    if with_initial:
        initial += "，其中：" + "，".join(
            f"{FUND_SOURCE_LABELS[s]}安排年初预算数为{text.money(line.initial)}万元" for s, line in with_initial
        )
    initial += "。"
    direction = "调减" if b.adjustment < 0 else "调增"
    adjustment = (
        f"我单位年初批复预算数{text.money(b.initial)}万元，年中{direction}数{text.money(abs(b.adjustment))}万元，"
        f"调整后全年预算数{text.money(b.adjusted)}万元，预算调整率{text.percent(b.adjustment_rate)}。"
    )
    execution = (
        f"全年预算数为{text.money(b.adjusted)}万元，全年实际支出资金{text.money(b.executed)}万元，"
        f"预算执行率为{text.percent(b.execution_rate)}。"
    )
    sources = [
        {
            "label": FUND_SOURCE_LABELS[s],
            "initial": text.money(line.initial) if line.initial is not None else "—",
            "adjusted": text.money(line.adjusted) if line.adjusted is not None else "—",
            "executed": text.money(line.executed) if line.executed is not None else "—",
        }
        for s, line in budget.sources.items()
    ]
    return {
        "initial": text.money(b.initial),
        "adjusted": text.money(b.adjusted),
        "executed": text.money(b.executed),
        "adjustment": text.money(b.adjustment),
        "adjustment_rate": text.percent(b.adjustment_rate),
        "execution_rate": text.percent(b.execution_rate),
        "score": text.points(b.score),
        "weight": text.points(b.weight),
        "scale": scale,
        "initial_arrangement": initial,
        "arrangement": ev.narrative.budget_arrangement or "",
        "adjustment_text": adjustment,
        "adjustment_explanation": budget.adjustment_explanation or "",
        "adjustment_effect": ev.narrative.adjustment_effect or "",
        "execution_text": execution,
        "execution_management": ev.narrative.execution_management or "",
        "execution_explanation": budget.execution_explanation or "",
        "use": _use(ev),
        "sources": sources,
    }


def _use(ev: Evaluation) -> str:
    """资金使用主要内容及范围: basic + projects, from the parts (not from a stated total)."""
    ex = ev.expenditure
    basic = ex.basic.budget if ex.basic else None
    projects = sum((p.budget for p in ex.projects), ZERO) if ex.projects else None
    if basic is None and projects is None:
        return ""
    total = (basic or ZERO) + (projects or ZERO)
    out = f"我单位{ev.year}年全年预算支出金额共{text.money(total)}万元，其中："
    pieces = []
    if basic is not None:
        use = ex.basic.use if ex.basic and ex.basic.use else ""
        pieces.append(f"基本支出为{text.money(basic)}万元" + (f"，{use.rstrip('。')}" if use else ""))
    if projects is not None:
        use = ex.project_use or ""
        pieces.append(f"项目支出{text.money(projects)}万元" + (f"，{use.rstrip('。')}" if use else ""))
    return out + "；".join(pieces) + "。"


def _basic(ev: Evaluation) -> dict[str, str]:
    basic = ev.expenditure.basic
    if basic is None:
        return {"text": "", "management": ""}
    out = f"{ev.year}年本单位基本支出全年预算总额{text.money(basic.budget)}万元"
    parts = []
    if basic.personnel is not None:
        parts.append(f"人员经费{text.money(basic.personnel)}万元")
    if basic.public is not None:
        parts.append(f"公用经费{text.money(basic.public)}万元")
    if parts:
        out += "，其中：" + "，".join(parts)
    out += "。"
    if basic.executed is not None:
        out += (
            f"实际支出{text.money(basic.executed)}万元，"
            f"基本支出预算执行率{text.percent(percent(basic.executed, basic.budget))}。"
        )
    return {"text": out, "management": basic.management or ""}


def _projects(ev: Evaluation) -> dict[str, Any]:
    projects = ev.expenditure.projects
    if not projects:
        return {"summary": "", "groups": []}
    count = sum(p.count for p in projects)
    budget = sum((p.budget for p in projects), ZERO)
    executed = sum((p.executed or ZERO for p in projects), ZERO)
    summary = (
        f"{ev.year}年本单位共有{count}个项目，项目总金额为{text.money(budget)}万元，"
        f"执行金额为{text.money(executed)}万元。其中："
    )
    groups = [
        {"no": i, "title": f"（{i}）{p.name}", "text": _project_text(p)}
        for i, p in enumerate(projects, start=1)
    ]
    return {"summary": summary, "groups": groups}


def _project_text(p: Project) -> str:
    executed = f"，执行金额{text.money(p.executed)}万元" if p.executed is not None else ""
    if p.source is not None and p.source is not FundSource.FISCAL:
        head = f"本年{FUND_SOURCE_LABELS[p.source]}共计{p.count}个项目"
    else:
        head = f"本项目（组）共计{p.count}个项目"
    out = f"{head}，预算金额为{text.money(p.budget)}万元{executed}。"
    return out + (p.description or "")


def _narrative(ev: Evaluation) -> dict[str, Any]:
    n = ev.narrative
    return {
        "management_system": n.management_system or "",
        "fund_compliance": n.fund_compliance or "",
        "problems": _numbered(n.problems, "."),
        "causes": _numbered(n.causes, "、"),
        "measures": _numbered(n.measures, "."),
        "suggestions": _numbered(n.suggestions, "."),
        "problems_text": "".join(n.problems),
        "measures_text": "".join(n.measures),
    }


def _numbered(items: list[str], sep: str) -> list[str]:
    return [f"{i}{sep}{item}" for i, item in enumerate(items, start=1)]


def outcome(ind: Indicator, result: IndicatorResult) -> str:
    """达到 / 未达到 / 超出 预期效益 — from the computed result, never from the text."""
    if ind.kind is IndicatorKind.QUALITATIVE:
        if ind.band is QualitativeBand.ACHIEVED:
            return "达到"
        return "部分达到" if ind.band is QualitativeBand.PARTLY else "未达到"
    if not result.met:
        return "未达到"
    a, b = ind.target, ind.actual
    if a is None or b is None:
        return "达到"
    better = b < a if ind.effective_direction is Direction.REVERSE else b > a
    return "超出" if better else "达到"


def deviation_required(ind: Indicator, result: IndicatorResult) -> bool:
    return result.met is False or result.overachieved


def indicator_paragraph(ind: Indicator, result: IndicatorResult) -> str:
    """One indicator in the seed's phrasing (三、 section)."""
    unit = ind.unit or ""
    if ind.kind is IndicatorKind.QUALITATIVE:
        body = f"{ind.name}：该指标为定性指标，预期指标值为{ind.target_text or '未填写'}"
        if ind.actual_text:
            body += f"，本次评价完成情况为{ind.actual_text}"
        if ind.band is not None:
            # No “ ” around the band: LibreOffice sets curly quotes in the Latin font and PDF text
            # extraction (pdfium) then moves them to the end of the line, into the next figure.
            body += f"，完成档次为{ind.band.value}"
        if ind.evidence:
            body += f"，根据{ind.evidence}等资料"
        body += f"，{outcome(ind, result)}预期效益。"
    else:
        comparator = COMPARATOR_LABELS[ind.comparator] if ind.comparator else ""
        target = f"{comparator}{text.number(ind.target)}{unit}" if ind.target is not None else "未填写"
        body = f"{ind.name}：该指标预期指标值{target}"
        if ind.mid_year is not None:
            body += f"，年中监控实际完成值为{text.number(ind.mid_year)}{unit}"
        actual = f"{text.number(ind.actual)}{unit}" if ind.actual is not None else "未填写"
        body += f"，本次评价完成值为{actual}"
        if result.completion_rate is not None:
            body += f"，完成率为{text.percent(result.completion_rate)}"
        if ind.evidence:
            body += f"，根据{ind.evidence}等资料，本次评价实际完成值为{actual}"
        if ind.mid_year_note:
            body += f"（年中监控与本次评价完成值偏差原因：{ind.mid_year_note.rstrip('。')}）"
        body += f"，{outcome(ind, result)}预期效益。"
    if ind.deviation_reason:
        body += f"偏差原因：{_sentence(ind.deviation_reason)}"
    elif deviation_required(ind, result):
        body += "偏差原因：未填写。"
    if ind.improvement:
        body += f"改进措施：{_sentence(ind.improvement)}"
    elif result.met is False:
        body += "改进措施：未填写。"
    if ind.effect:
        body += _sentence(ind.effect)
    body += f"该指标权重分值为{text.points(ind.weight)}分，自评得分{text.points(result.score)}分。"
    return body


def _sentence(value: str) -> str:
    value = value.strip()
    return value if value.endswith(("。", "！", "？", ".")) else value + "。"


def indicator_context(no: int, ind: Indicator, result: IndicatorResult) -> dict[str, Any]:
    rate = result.completion_rate
    return {
        "no": no,
        "numeral": text.chinese_numeral(no),
        "heading": f"（{text.chinese_numeral(no)}）指标{text.chinese_numeral(no)}：",
        "name": ind.name,
        "level1": ind.level1.value if ind.level1 else "",
        "level2": ind.level2 or "",
        "target": target_text(ind),
        "actual": (f"{text.number(ind.actual)}{ind.unit or ''}" if ind.actual is not None else ind.actual_text or ""),
        "completion_rate": text.percent(rate),
        "weight": text.points(ind.weight),
        "score": text.points(result.score),
        "score_rate": text.percent(
            (result.score / ind.weight * HUNDRED).quantize(Decimal("0.01")) if ind.weight else None
        ),
        "outcome": outcome(ind, result),
        "paragraph": indicator_paragraph(ind, result),
    }
