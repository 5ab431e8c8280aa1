"""The desk's anomaly page and its .xlsx export: each anomaly explained in Chinese, its units linked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jixiao.web.desk import analytics_db as db
from jixiao.web.desk.analytics_anomalies import Finder, Section, evaluations_by_id
from jixiao.web.desk.views_dashboard import scope_of, workbook_response

EXPORT_LIMIT = 100_000


def _finder(request: HttpRequest, limit: int) -> tuple[Finder, db.Filters]:
    scope = scope_of(request)
    f = db.parse_filters(request.GET, scope)
    return Finder(scope, f.year, f.department, limit=limit), f


def _rows(request: HttpRequest, sections: list[Section]) -> list[dict[str, Any]]:
    ids = [h.evaluation_id for s in sections for h in s.hits] + [h.other_evaluation_id for s in sections for h in s.hits
                                                               if h.other_evaluation_id]
    evaluations = evaluations_by_id(ids)
    shown = []
    for section in sections:
        hits = []
        for hit in section.hits:
            e = evaluations.get(hit.evaluation_id)
            if e is None:
                continue
            other = evaluations.get(hit.other_evaluation_id) if hit.other_evaluation_id else None
            hits.append({"hit": hit, "evaluation": e, "other": other})
        shown.append({"section": section, "hits": hits})
    return shown


@login_required
@require_GET
def anomalies(request: HttpRequest) -> HttpResponse:
    finder, f = _finder(request, limit=100)
    sections = finder.sections()
    return render(request, "desk/anomalies.html", {
        "f": f, "sections": _rows(request, sections), "departments": finder.scope.department_choices(),
        "everything": finder.scope.everything, "export_query": f.query(after=""),
        "flagged": len({h.evaluation_id for s in sections for h in s.hits}),
    })


def _export_rows(request: HttpRequest, sections: list[dict[str, Any]]) -> Iterator[Sequence[Any]]:
    for block in sections:
        kind = block["section"].kind
        for item in block["hits"]:
            e, other = item["evaluation"], item["other"]
            yield (kind.code.value, kind.title, e.unit.name, e.department.name if e.department else "", e.title,
                   item["hit"].detail, other.unit.name if other else "", other.year if other else None,
                   request.build_absolute_uri(reverse("evaluations:detail", args=[e.pk])))


@login_required
@require_GET
def anomalies_export(request: HttpRequest) -> HttpResponse:
    finder, f = _finder(request, limit=EXPORT_LIMIT)
    sections = _rows(request, finder.sections())
    kinds = [(s["section"].kind.code.value, s["section"].kind.title, s["section"].kind.why, len(s["hits"]),
              s["section"].note) for s in sections]
    return workbook_response(f"异常分析-{f.year}.xlsx", [
        ("异常单位", ("代码", "异常", "单位", "主管部门", "自评", "具体情况", "相似单位", "相似自评年度", "链接"),
         _export_rows(request, sections)),
        ("异常类型", ("代码", "异常", "说明", "单位数", "备注"), kinds),
    ])
