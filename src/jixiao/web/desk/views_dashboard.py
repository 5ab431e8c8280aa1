"""The finance bureau's desk: the dashboard for a year and a scope, its keyset-paged list and .xlsx export.

Thin views over `analytics_db`: a user without a desk scope (no finance or department membership)
gets 403; everything shown, charted or exported is fetched through the scope.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET

from jixiao.core.workflow import STAGE_LABELS, STATE_LABELS, Stage, State
from jixiao.web.desk import analytics_db as db
from jixiao.web.desk.analytics_svg import bar_chart, share_bar

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRADES = (("优", "优"), ("良", "良"), ("中", "中"), ("差", "差"), ("none", "无等级"))


def scope_of(request: HttpRequest) -> db.DeskScope:
    scope = db.desk_scope(request.user)
    if scope is None:
        raise PermissionDenied("财政部门和主管部门的人员才能使用绩效管理台。")
    return scope


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01'))}"


def _points(hundredths: int | None) -> str:
    return "" if hundredths is None else db._points(hundredths)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    f = db.parse_filters(request.GET, scope)
    figures = db.dashboard(scope, f)
    rows, cursor = db.page_of(scope, f)
    base = reverse("desk:dashboard")
    stage_links = [f"{base}?{f.query(stage=value, after='')}" for value, _, _, _ in figures.stages]
    grade_values = {label: value for value, label in GRADES}
    charts = {
        "stages": mark_safe(bar_chart("各环节自评数", [(label, n) for _, label, n, _ in figures.stages], links=stage_links)),
        "grades": mark_safe(bar_chart("等级分布", [(g, n) for g, n, _ in figures.grades],
                                      links=[f"{base}?{f.query(grade=grade_values.get(g, ''), after='')}" for g, _, _ in figures.grades])),
        "money": mark_safe(share_bar("按等级的资金覆盖（全年预算数）", [(g, int(m)) for g, _, m in figures.grades])),
        "totals": mark_safe(bar_chart("总分分布", figures.total_bins, colour="#5470c6")),
        "execution": mark_safe(bar_chart("预算执行率分布", figures.execution_bins, colour="#91cc75")),
    }
    return render(request, "desk/dashboard.html", {
        "f": f, "figures": figures, "rows": [_row(e) for e in rows], "charts": charts,
        "next_query": f.query(after=cursor) if cursor else "", "first_query": f.query(after="") if f.after else "",
        "export_query": f.query(after=""), "departments": scope.department_choices(),
        "grades": GRADES, "stage_filters": db.STAGE_FILTERS.items(),
        "sorts": [(k, v[0]) for k, v in db.SORTS.items()], "everything": scope.everything,
        "min_text": _points(f.min_total), "max_text": _points(f.max_total),
        "stage_rows": [(label, n, money, link) for (_, label, n, money), link in zip(figures.stages, stage_links, strict=True)],
        "code_rows": [(code, n, f"{base}?{f.query(code=code, after='')}") for code, n in figures.top_codes],
        "overdue_link": f"{base}?{f.query(stage='overdue', after='')}",
        "errors_link": f"{base}?{f.query(sort='errors', after='')}",
    })


def _row(e: Any) -> dict[str, Any]:
    figures = getattr(e, "figures", None)
    return {
        "pk": e.pk, "year": e.year, "title": e.title, "unit": e.unit.name, "unit_id": e.unit_id,
        "department": e.department.name if e.department else "",
        "position": e.state_label + (f"（{e.stage_label}）" if e.stage else ""), "state": e.state,
        "total": e.total_display, "grade": e.grade, "errors": e.error_count, "warnings": e.warning_count,
        "budget": _money(figures.budget_adjusted) if figures else "",
        "execution": _points(figures.execution_rate_hundredths) if figures else "",
    }


# ---- .xlsx ------------------------------------------------------------------------------------

def workbook_response(name: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> HttpResponse:
    """A write-only workbook (streamed rows, flat memory): numbers stay numbers, user text stays text."""
    from openpyxl import Workbook

    from jixiao.report.xlsx_text import row_cells

    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(row_cells(sheet, list(header)))
        for row in rows:
            sheet.append(row_cells(sheet, list(row)))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


LIST_HEADER = ("年度", "名称", "单位", "主管部门", "状态", "总分", "等级", "错误数", "警告数", "全年预算数（万元）",
               "全年执行数（万元）", "预算执行率（%）", "更新时间", "链接")


def _hundredths_number(value: int | None) -> Decimal | None:
    """A score or rate in hundredths as the exact number (openpyxl writes a Decimal as a number cell)."""
    return None if value is None else Decimal(value) / 100


EXPORT_FIELDS = ("id", "year", "title", "unit__name", "department__name", "state", "stage", "total_hundredths", "grade",
                 "error_count", "warning_count", "figures__budget_adjusted", "figures__budget_executed",
                 "figures__execution_rate_hundredths", "updated_at")


def list_rows(request: HttpRequest, scope: db.DeskScope, f: db.Filters) -> Iterable[Sequence[Any]]:
    # Every row's link differs only by its id: reversed once, not 50,000 times.
    head, _, tail = request.build_absolute_uri(reverse("evaluations:detail", args=[0])).rpartition("/0/")
    positions: dict[tuple[str, str], str] = {}
    for (pk, year, title, unit, department, state, stage, total, grade, errors, warnings, adjusted, executed, rate,
         updated) in db.list_values(scope, f, EXPORT_FIELDS):
        position = positions.get((state, stage))
        if position is None:
            position = positions[state, stage] = (STATE_LABELS[State(state)]
                                                  + (f"（{STAGE_LABELS[Stage(stage)]}）" if stage else ""))
        yield (year, title, unit, department or "", position, _hundredths_number(total), grade, errors, warnings,
               adjusted, executed, _hundredths_number(rate), f"{localtime(updated):%Y-%m-%d %H:%M}",
               f"{head}/{pk}/{tail}")


@login_required
@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's list (all pages, same filters and order) and its figures as an .xlsx workbook."""
    scope = scope_of(request)
    f = db.parse_filters(request.GET, scope)
    figures = db.dashboard(scope, f)
    stage_rows: list[tuple[str, int, Decimal | None]] = [(label, n, money) for _, label, n, money in figures.stages]
    stage_rows += [("未开始", figures.not_started, None), ("已逾期", figures.overdue, None)]
    return workbook_response(f"绩效管理台-{f.year}.xlsx", [
        ("自评列表", LIST_HEADER, list_rows(request, scope, f)),
        ("环节", ("环节", "自评数", "全年预算数（万元）"), stage_rows),
        ("等级", ("等级", "自评数", "全年预算数（万元）"), [(g, n, m) for g, n, m in figures.grades]),
        ("总分分布", ("总分区间", "自评数"), figures.total_bins),
        ("执行率分布", ("预算执行率", "自评数"), figures.execution_bins),
        ("常见错误", ("校验代码", "自评数"), figures.top_codes),
    ])
