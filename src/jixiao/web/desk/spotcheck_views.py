"""Spot-checks (抽查复核) on the desk: draw a reproducible sample, re-score it indicator by indicator, see the gaps.

The sampling itself is `spotcheck.draw` (pure); here the frame is built from the scope's submitted
evaluations (待审核 or 已审核) of the year, recorded with the seed, and the re-evaluator's scores are
stored beside the self-scores of the version that was sampled. A department's reviewer draws and
sees only its own department's spot-checks.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.core.numbers import int_or_none
from jixiao.core.workflow import State
from jixiao.web.desk import analytics_db as db
from jixiao.web.desk.models import SpotCheck, SpotCheckItem, SpotCheckScore
from jixiao.web.desk.spotcheck import Frame, FrameRow, Gap, draw, largest_gaps, total_gap
from jixiao.web.desk.views_dashboard import scope_of, workbook_response
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation, EvaluationVersion

FRAME_RULE = "本年度、范围内已送审（待审核或已审核）的自评；层 = 主管部门 × 等级 × 金额档（全年预算数三分位）"
EXECUTION = -1  # the position of the 预算执行 score among a spot-check's scores


def _spot_checks(scope: db.DeskScope) -> QuerySet[SpotCheck]:
    # without the frame: a province's is megabytes of JSON, and only the export and the re-draw need it
    qs = SpotCheck.objects.select_related("department", "created_by").defer("frame")
    return qs if scope.everything else qs.filter(department_id__in=sorted(scope.departments))


def _points(hundredths: int | None) -> str:
    if hundredths is None:
        return ""
    sign = "-" if hundredths < 0 else ""
    whole, cents = divmod(abs(hundredths), 100)
    return sign + (str(whole) if cents == 0 else f"{whole}.{cents:02d}".rstrip("0"))


def frame_for(scope: db.DeskScope, year: int, department: int | None) -> Frame:
    """The eligible evaluations of the year in the scope (and department), with their strata's inputs."""
    qs = scope.evaluations().filter(year=year, state__in=(State.PENDING.value, State.APPROVED.value), current_version__gt=0)
    if department is not None:
        qs = qs.filter(department_id=department)
    rows = qs.values_list("pk", "department__name", "grade", "figures__budget_adjusted").order_by("pk")
    return Frame(tuple(FrameRow(pk, name or "无主管部门", grade, budget) for pk, name, grade, budget in rows))


@login_required
@require_GET
def spot_check_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    f = db.parse_filters(request.GET, scope)
    return render(request, "desk/spotcheck_list.html", {
        "f": f, "spot_checks": _spot_checks(scope).filter(year=f.year), "departments": scope.department_choices(),
        "everything": scope.everything, "seed": secrets.randbelow(10 ** 9), "frame_rule": FRAME_RULE,
    })


@login_required
@require_POST
def spot_check_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    f = db.parse_filters(request.POST, scope)
    department = f.department
    if department is None and not scope.everything:
        if len(scope.departments) != 1:
            messages.error(request, "请选择主管部门。")
            return redirect(f"{reverse('desk:spotchecks')}?year={f.year}")
        department = next(iter(scope.departments))
    size = int_or_none(request.POST.get("size"), 1, 10000)
    seed = int_or_none(request.POST.get("seed"), 0, 2 ** 62 - 1)
    if size is None or seed is None:
        messages.error(request, "样本量应在 1 到 10000 之间，随机种子应为非负整数。")
        return redirect(f"{reverse('desk:spotchecks')}?year={f.year}")
    frame = frame_for(scope, f.year, department)
    if not frame.rows:
        messages.error(request, "抽样框为空：本年度范围内还没有已送审的自评。")
        return redirect(f"{reverse('desk:spotchecks')}?year={f.year}")
    chosen = draw(frame, size, seed)
    strata = frame.strata()
    versions = dict(Evaluation.objects.filter(pk__in=chosen).values_list("pk", "current_version"))
    name = request.POST.get("name", "").strip()[:200] or f"{f.year} 年度抽查复核"
    with transaction.atomic():
        spot_check = SpotCheck.objects.create(
            year=f.year, department_id=department, name=name, size=size, seed=seed, frame=frame.to_json(),
            frame_digest=frame.digest(), frame_rule=FRAME_RULE,
            created_by=request.user if isinstance(request.user, User) else None,
        )
        SpotCheckItem.objects.bulk_create([
            SpotCheckItem(spot_check=spot_check, evaluation_id=pk, version_number=versions[pk], stratum="/".join(strata[pk]))
            for pk in chosen
        ])
    messages.success(request, f"已从 {len(frame.rows)} 份自评中抽取 {len(chosen)} 份。")
    return redirect("desk:spotcheck", pk=spot_check.pk)


def _get(request: HttpRequest, pk: int) -> tuple[db.DeskScope, SpotCheck]:
    scope = scope_of(request)
    return scope, get_object_or_404(_spot_checks(scope), pk=pk)


def gaps_of(spot_check: SpotCheck) -> list[Gap]:
    scores = SpotCheckScore.objects.filter(item__spot_check=spot_check).select_related("item")
    return [Gap(s.item.evaluation_id, s.position, s.name, s.self_score_hundredths, s.review_score_hundredths) for s in scores]


def _items(spot_check: SpotCheck) -> list[dict[str, Any]]:
    items = list(spot_check.items.select_related("evaluation__unit", "evaluation__department", "reviewer"))
    gaps = gaps_of(spot_check)
    by_evaluation: dict[int, list[Gap]] = {}
    for gap in gaps:
        by_evaluation.setdefault(gap.evaluation_id, []).append(gap)
    rows = []
    for item in items:
        mine = by_evaluation.get(item.evaluation_id, [])
        rows.append({
            "item": item, "evaluation": item.evaluation,
            "self_total": _points(sum(g.self_score for g in mine)) if mine else "",
            "review_total": _points(sum(g.review_score for g in mine)) if mine else "",
            "gap": _points(total_gap(mine)) if mine else "", "gap_value": total_gap(mine) if mine else None,
        })
    return rows


def reproduction(spot_check_pk: int, sampled: list[int]) -> tuple[bool, int]:
    """Whether the stored frame, size and seed re-draw the stored sample (and the digest matches), and the frame's size.

    Re-drawing a province's frame (40,000 rows) takes a second or two of Python, and its result depends
    only on what is stored — so it is kept in the cache under everything it depends on that can change
    (the sample; the frame through its recorded digest, checked on the first view), for an hour.
    """
    key = f"desk:spotcheck:{spot_check_pk}:" + hashlib.sha256(",".join(map(str, sampled)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        spot_check = SpotCheck.objects.get(pk=spot_check_pk)
        frame = Frame.from_json(spot_check.frame)
        same = draw(frame, spot_check.size, spot_check.seed) == sampled and frame.digest() == spot_check.frame_digest
        found = (same, len(spot_check.frame))
        cache.set(key, found, 3600)
    return found[0], found[1]


@login_required
@require_GET
def spot_check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _, spot_check = _get(request, pk)
    sampled = sorted(spot_check.items.values_list("evaluation_id", flat=True))
    reproduced, frame_size = reproduction(spot_check.pk, sampled)
    names = dict(Evaluation.objects.filter(pk__in=sampled).values_list("pk", "unit__name"))
    gaps = gaps_of(spot_check)
    return render(request, "desk/spotcheck_detail.html", {
        "f": {"year": spot_check.year}, "spot_check": spot_check, "items": _items(spot_check),
        "reproduced": reproduced, "frame_size": frame_size,
        "largest": [{"gap": g, "unit": names.get(g.evaluation_id, ""), "value": _points(g.gap),
                     "self": _points(g.self_score), "review": _points(g.review_score)} for g in largest_gaps(gaps)],
        "total_gap": _points(total_gap(gaps)) if gaps else "",
        "reviewed": len({g.evaluation_id for g in gaps}),
    })


def _version_scores(item: SpotCheckItem) -> list[tuple[int, str, int, int]]:
    """(position, name, weight, self-score) of the sampled version: 预算执行 first, then each indicator."""
    version = get_object_or_404(EvaluationVersion, evaluation_id=item.evaluation_id, number=item.version_number)
    model = services.load_model(version.data, f"第 {version.number} 版")
    card = services.score(model, item.evaluation.rules).scorecard
    rules = services.rules_for(item.evaluation.rules)
    rows = [(EXECUTION, "预算执行率", services.hundredths(rules.execution.weight), services.hundredths(card.execution_score))]
    rows += [(s.index, ind.name, services.hundredths(s.weight), services.hundredths(s.score))
             for ind, s in zip(model.indicators, card.indicators, strict=True)]
    return rows


def _hundredths(text: str) -> int | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return services.hundredths(value) if value.is_finite() and value >= 0 else None


@login_required
@require_http_methods(["GET", "POST"])
def spot_check_item(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    item = get_object_or_404(SpotCheckItem.objects.select_related("evaluation__unit", "spot_check"), pk=pk)
    if not _spot_checks(scope).filter(pk=item.spot_check_id).exists() or not scope.covers(item.evaluation.department_id):
        raise Http404("不在您的范围内。")
    rows = _version_scores(item)
    stored = {s.position: s for s in item.scores.all()}
    errors: dict[int, str] = {}
    if request.method == "POST":
        values: dict[int, int] = {}
        for position, _name, weight, _score in rows:
            value = _hundredths(request.POST.get(f"score-{position}", ""))
            if value is None or value > weight:
                errors[position] = f"应为 0 到 {_points(weight)} 之间的分数"
            else:
                values[position] = value
        if not errors:
            with transaction.atomic():
                for position, name, weight, score in rows:
                    SpotCheckScore.objects.update_or_create(item=item, position=position, defaults={
                        "name": name[:300], "weight_hundredths": weight, "self_score_hundredths": score,
                        "review_score_hundredths": values[position],
                        "note": request.POST.get(f"note-{position}", "").strip()[:300],
                    })
                item.reviewer = request.user if isinstance(request.user, User) else None
                item.reviewed_at = timezone.now()
                item.note = request.POST.get("note", "").strip()[:5000]
                item.save(update_fields=["reviewer", "reviewed_at", "note"])
            messages.success(request, "复核得分已保存。")
            return redirect("desk:spotcheck", pk=item.spot_check_id)
    shown = [{
        "position": position, "name": name, "weight": _points(weight), "self": _points(score),
        "value": request.POST.get(f"score-{position}", "") if request.method == "POST"
        else (_points(stored[position].review_score_hundredths) if position in stored else ""),
        "note": request.POST.get(f"note-{position}", "") if request.method == "POST"
        else (stored[position].note if position in stored else ""),
        "error": errors.get(position, ""),
    } for position, name, weight, score in rows]
    # a spot-check's problems become rectification items: the notice form, filled in
    from jixiao.web.planning.services import rectification_form_url

    return render(request, "desk/spotcheck_item.html", {
        "f": {"year": item.spot_check.year}, "item": item, "rows": shown, "errors": bool(errors),
        "rectify_url": rectification_form_url(request.user, item.evaluation.unit, item.evaluation.year, "spot_check", item.note),
    }, status=400 if errors else 200)


def _export_rows(spot_check: SpotCheck) -> Iterator[Sequence[Any]]:
    names = dict(Evaluation.objects.filter(pk__in=spot_check.items.values("evaluation_id")).values_list("pk", "unit__name"))
    for gap in sorted(gaps_of(spot_check), key=lambda g: (g.evaluation_id, g.position)):
        yield (names.get(gap.evaluation_id, ""), gap.evaluation_id, gap.position + 1 if gap.position >= 0 else None, gap.name,
               Decimal(gap.self_score) / 100, Decimal(gap.review_score) / 100, Decimal(gap.gap) / 100)


@login_required
@require_GET
def spot_check_export(request: HttpRequest, pk: int) -> HttpResponse:
    _, spot_check = _get(request, pk)
    frame = [(int(i), d, g, Decimal(b) if b else None) for i, d, g, b in spot_check.frame]
    sample = [(row["evaluation"].unit.name, row["evaluation"].pk, row["item"].stratum, row["item"].version_number,
               Decimal(row["gap_value"]) / 100 if row["gap_value"] is not None else None) for row in _items(spot_check)]
    about = [("名称", spot_check.name), ("年度", spot_check.year), ("样本量", spot_check.size), ("随机种子", spot_check.seed),
             ("抽样框规则", spot_check.frame_rule), ("抽样框 SHA-256", spot_check.frame_digest),
             ("重新抽取", "jixiao.web.desk.spotcheck.draw(Frame.from_json(抽样框), 样本量, 随机种子)")]
    return workbook_response(f"抽查复核-{spot_check.pk}.xlsx", [
        ("差距", ("单位", "自评编号", "指标序号", "指标", "自评得分", "复核得分", "差距（自评−复核）"), _export_rows(spot_check)),
        ("样本", ("单位", "自评编号", "层", "抽取时的版本", "总差距"), sample),
        ("抽样框", ("自评编号", "主管部门", "等级", "全年预算数（万元）"), frame),
        ("说明", ("项目", "内容"), about),
    ])
