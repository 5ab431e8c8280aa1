"""Year over year: one unit's evaluations side by side (total, execution, indicators kept, dropped, or
with targets lowered), and a search for the unit. The unit must be inside the desk scope (else 404)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.core.numbers import int_or_none
from jixiao.web.desk.analytics import YearChange, YearIndicator, compare_years
from jixiao.web.desk.analytics_db import DeskScope
from jixiao.web.desk.views_dashboard import scope_of, workbook_response
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
from jixiao.web.orgs.models import Organisation, OrgKind


def _unit(scope: DeskScope, text: str) -> Organisation | None:
    pk = int_or_none(text, 1)
    if pk is None:
        return None
    units = Organisation.objects.filter(kind=OrgKind.UNIT)
    if not scope.everything:
        units = units.filter(department_id__in=sorted(scope.departments))
    unit = units.filter(pk=pk).first()
    if unit is None:
        raise Http404("没有这个单位，或不在您的范围内。")
    return unit


def _indicators(evaluation: Evaluation) -> list[YearIndicator]:
    version = EvaluationVersion.objects.get(evaluation=evaluation, number=evaluation.current_version)
    model = services.load_model(version.data, f"第 {version.number} 版")
    card = services.score(model, evaluation.rules).scorecard
    return [
        YearIndicator(key=ind.code or ind.name, name=ind.name, direction=ind.effective_direction.value, target=ind.target,
                      actual=ind.actual, score=services.hundredths(scored.score))
        for ind, scored in zip(model.indicators, card.indicators, strict=True)
    ]


def _years(unit: Organisation) -> list[dict[str, Any]]:
    """The unit's live evaluations by subject (部门整体 / each project), years ascending, with the changes."""
    evaluations = (Evaluation.objects.filter(unit=unit, deleted_at__isnull=True, current_version__gt=0)
                   .select_related("figures").order_by("kind", "project", "year"))
    subjects: dict[tuple[str, str], list[Evaluation]] = {}
    for e in evaluations:
        subjects.setdefault((e.kind, e.project), []).append(e)
    shown = []
    for (kind, project), items in subjects.items():
        columns = []
        previous: list[YearIndicator] | None = None
        for e in items:
            indicators = _indicators(e)
            change: YearChange | None = compare_years(previous, indicators) if previous is not None else None
            figures = getattr(e, "figures", None)
            columns.append({"evaluation": e, "indicators": indicators, "change": change,
                            "execution": _rate(figures.execution_rate_hundredths) if figures else "",
                            "budget": figures.budget_adjusted if figures else None})
            previous = indicators
        shown.append({"subject": project or "部门整体支出", "kind": kind, "columns": columns})
    return shown


def _rate(hundredths: int | None) -> str:
    if hundredths is None:
        return ""
    whole, cents = divmod(hundredths, 100)
    return f"{whole}" if cents == 0 else f"{whole}.{cents:02d}".rstrip("0")


@login_required
@require_GET
def year_over_year(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    unit = _unit(scope, request.GET.get("unit", ""))
    query = request.GET.get("q", "").strip()[:100]
    found: list[Organisation] = []
    if unit is None:
        units = Organisation.objects.filter(kind=OrgKind.UNIT).select_related("department")
        if not scope.everything:
            units = units.filter(department_id__in=sorted(scope.departments))
        if query:
            units = units.filter(Q(name__icontains=query) | Q(code__icontains=query))
        found = list(units.order_by("name", "id")[:50])
    return render(request, "desk/yoy.html", {
        "unit": unit, "subjects": _years(unit) if unit else [], "q": query, "found": found,
        "f": {"year": request.GET.get("year", "")},
    })


def _export_rows(subjects: list[dict[str, Any]]) -> Iterator[Sequence[Any]]:
    for subject in subjects:
        for column in subject["columns"]:
            e, change = column["evaluation"], column["change"]
            yield (subject["subject"], e.year, Decimal(e.total_hundredths) / 100, e.grade,
                   Decimal(e.figures.execution_rate_hundredths) / 100 if getattr(e, "figures", None) and e.figures.execution_rate_hundredths is not None else None,
                   column["budget"], len(column["indicators"]),
                   len(change.kept) if change else None, len(change.dropped) if change else None,
                   len(change.added) if change else None, len(change.lowered) if change else None,
                   "；".join(f"{a.name}：{a.target_text}→{b.target_text}" for a, b in change.lowered) if change else "")


@login_required
@require_GET
def year_over_year_export(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    unit = _unit(scope, request.GET.get("unit", ""))
    if unit is None:
        raise Http404("请选择单位。")
    return workbook_response(f"历年对比-{unit.name}.xlsx", [(
        "历年对比", ("评价对象", "年度", "总分", "等级", "预算执行率（%）", "全年预算数（万元）", "指标数", "保留指标", "删去指标",
                 "新增指标", "目标调低", "调低的目标"), _export_rows(_years(unit)),
    )])
