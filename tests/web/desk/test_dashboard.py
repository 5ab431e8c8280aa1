"""The desk's dashboard: figures for a year and a scope, filters, keyset paging, the .xlsx export — and
a department's reviewer seeing only its own units on every one of them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.core.todo import StageKind
from jixiao.web.desk import analytics_db as db
from jixiao.web.desk.models import EvaluationFigures
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.planning.models import Task

pytestmark = pytest.mark.django_db


def _three(world: Any) -> list[Evaluation]:
    a1 = world.evaluation(world.unit_a1)
    a2 = world.evaluation(world.unit_a2, preparer="prep_a2")
    b1 = world.evaluation(world.unit_b1, preparer="prep_b1")
    Evaluation.objects.filter(pk=a2.pk).update(total_hundredths=9500, grade="优", error_count=0)
    Evaluation.objects.filter(pk=b1.pk).update(total_hundredths=6000, grade="差", state="approved")
    return [a1, a2, b1]


def test_the_bureau_sees_every_unit_with_stage_counts_money_and_charts(world: Any) -> None:
    a1, a2, b1 = _three(world)
    page = world.client("finance").get("/desk/", {"year": "2024"})
    assert page.status_code == 200
    text = page.content.decode()
    for e in (a1, a2, b1):
        assert f"/e/{e.pk}/" in text
    assert text.count('<svg class="chart"') == 5
    figures = page.context["figures"]
    assert figures.evaluations == 3
    assert dict((label, n) for _, label, n, _ in figures.stages)["草稿"] == 2
    assert dict((label, n) for _, label, n, _ in figures.stages)["已审核"] == 1
    budget = sum(EvaluationFigures.objects.values_list("budget_adjusted", flat=True), Decimal(0))
    assert figures.budget == budget.quantize(Decimal("0.01"))
    assert figures.not_started == 0
    assert dict(figures.total_bins)["90–100"] == 1


def test_a_department_reviewer_sees_only_its_units(world: Any) -> None:
    a1, a2, b1 = _three(world)
    client = world.client("dept_a")
    text = client.get("/desk/", {"year": "2024"}).content.decode()
    assert f"/e/{a1.pk}/" in text and f"/e/{a2.pk}/" in text
    assert f"/e/{b1.pk}/" not in text and "第一中学" not in text
    # Asking for the other department's units shows nothing of them: the filter is dropped, the scope stays.
    page = client.get("/desk/", {"year": "2024", "department": str(world.dept_b.pk)})
    assert page.context["figures"].evaluations == 2
    assert "第一中学" not in page.content.decode()
    book = load_workbook(io.BytesIO(client.get("/desk/export.xlsx", {"year": "2024"}).content))
    units = [row[2] for row in book["自评列表"].iter_rows(min_row=2, values_only=True)]
    assert sorted(units) == sorted([world.unit_a1.name, world.unit_a2.name])


def test_people_without_a_desk_scope_are_refused(world: Any) -> None:
    world.evaluation()
    for name in ("prep_a1", "head_a1", "nobody"):
        client = world.client(name)
        assert client.get("/desk/").status_code == 403
        assert client.get("/desk/export.xlsx").status_code == 403


def test_filters_by_grade_stage_code_score_and_search(world: Any) -> None:
    a1, a2, b1 = _three(world)
    client = world.client("finance")

    def shown(**params: str) -> set[int]:
        page = client.get("/desk/", {"year": "2024", **params})
        return {r["pk"] for r in page.context["rows"]}

    assert shown(grade="优") == {a2.pk}
    assert shown(stage="approved") == {b1.pk}
    assert shown(stage="draft") == {a1.pk, a2.pk}
    assert shown(min="90") == {a2.pk}
    assert shown(max="60") == {b1.pk}
    assert shown(q="招商") == {a2.pk}
    assert shown(department=str(world.dept_b.pk)) == {b1.pk}
    assert shown(code="B006") == {a1.pk, a2.pk, b1.pk}  # the seed states a 100% adjustment rate
    assert shown(code="ZZZ999") == set()


def test_overdue_and_not_started_follow_the_self_evaluation_deadline(world: Any) -> None:
    world.evaluation(world.unit_a1)
    Task.objects.create(kind=StageKind.SELF_EVALUATION.value, year=2024, title="自评", scope=world.dept_a,
                        deadline=dt.date(2025, 3, 31))
    scope = db.desk_scope(world.users["finance"])
    assert scope is not None
    f = db.Filters(year=2024)
    before = db.dashboard(scope, f, today=dt.date(2025, 3, 1))
    after = db.dashboard(scope, f, today=dt.date(2025, 4, 1))
    assert before.overdue == 0 and after.overdue == 1
    assert after.not_started == 2  # 招商服务中心 and 第一中学 have no evaluation


def test_keyset_pages_cover_every_row_once_in_order(world: Any) -> None:
    evaluations = _three(world)
    scope = db.desk_scope(world.users["finance"])
    assert scope is not None
    for sort in db.SORTS:
        seen: list[int] = []
        cursor = ""
        while True:
            rows, cursor = db.page_of(scope, db.Filters(year=2024, sort=sort, after=cursor), size=1)
            seen += [r.pk for r in rows]
            if not cursor:
                break
        assert sorted(seen) == sorted(e.pk for e in evaluations), sort
    totals = [r.total_hundredths for r in db.page_of(scope, db.Filters(year=2024), size=10)[0]]
    assert totals == sorted(totals, reverse=True)


def test_export_has_numbers_as_numbers_and_text_as_text(world: Any) -> None:
    evaluation = world.evaluation()
    Evaluation.objects.filter(pk=evaluation.pk).update(title="=HYPERLINK(\"http://x\")")
    response = world.client("finance").get("/desk/export.xlsx", {"year": "2024"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["自评列表"]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert row["名称"].value == "=HYPERLINK(\"http://x\")" and row["名称"].data_type == "s"
    assert row["总分"].data_type == "n" and row["总分"].value == evaluation.total_hundredths / 100
    assert row["全年预算数（万元）"].data_type == "n"
    assert {"环节", "等级", "总分分布", "执行率分布", "常见错误"} <= set(book.sheetnames)
