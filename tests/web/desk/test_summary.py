"""The bureau's summary report: every figure from the rows, written as .docx and .xlsx by the report writer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.report.summary import BureauSummary, GapLine, write_summary
from jixiao.web.desk.models import EvaluationFigures
from jixiao.web.desk.summary import gather

from ..conftest import World
from .jobs_support import approved, submitted

pytestmark = pytest.mark.django_db


def _summary(world: World) -> BureauSummary:
    approved(world)
    submitted(world, world.unit_b1, "prep_b1")
    world.evaluation(world.unit_a2, preparer="prep_a2")  # a draft: counted in the states, not in the figures
    return gather(2024, None, today=dt.date(2025, 3, 1))


def test_figures_of_the_year(world: World) -> None:
    s = _summary(world)
    assert (s.units_total, s.units_evaluated, s.evaluations, s.covered) == (3, 3, 3, 2)
    assert {c.label: c.count for c in s.states} == {"已审核": 1, "待审核（单位审核）": 1, "草稿": 1}
    figures = EvaluationFigures.objects.filter(evaluation__state__in=["approved", "pending"])
    assert s.budget == sum(f.budget_adjusted for f in figures) == Decimal("3142.55") * 2
    assert s.executed == sum(f.budget_executed for f in figures)
    assert {c.label: c.count for c in s.grades} == {"优": 0, "良": 2, "中": 0, "差": 0}
    assert {c.label: c.count for c in s.execution_bands}["100%及以上"] == 2
    assert [(d.name, d.units, d.evaluated, d.covered, d.approved) for d in s.departments] == [
        ("商务局", 2, 2, 1, 1), ("教育局", 1, 1, 1, 0)]
    assert s.departments[0].average_total == Decimal("85.00")
    top = s.codes[0]
    assert top.evaluations == 2 and top.title
    assert s.problem_units == 2 and s.problems[0].unit in ("商务局本级", "第一中学")
    assert {c.label for c in s.problem_themes} >= {"绩效目标与指标设置"}


def test_a_department_sees_its_own(world: World) -> None:
    _summary(world)
    s = gather(2024, world.dept_b)
    assert (s.scope, s.units_total, s.covered) == ("教育局", 1, 1)
    assert [d.name for d in s.departments] == ["教育局"]


def test_written_as_word_and_excel(world: World, tmp_path: Path) -> None:
    import docx
    import openpyxl

    s = _summary(world)
    write_summary(s, tmp_path / "汇总.docx")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "汇总.docx")).paragraphs)
    assert "2024 年度预算绩效自评汇总报告" in text
    assert "共有预算单位 3 家，其中 3 家开展了绩效自评（覆盖率 100%）" in text
    assert "总体预算执行率 100%" in text
    assert "抽查复核" in text and "单位自述的主要问题" in text
    write_summary(s, tmp_path / "汇总.xlsx")
    book = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    assert book.sheetnames[:6] == ["概况", "填报状态", "等级分布", "执行率分布", "主管部门", "校验问题"]
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["全年预算（万元）"] == pytest.approx(6285.10) and isinstance(overview["预算单位数"], int)
    assert [row[:2] for row in book["等级分布"].iter_rows(min_row=2, values_only=True)][1] == ("良", 2)
    # the two submitted units wrote the seed's problems word for word: each is one group of two
    groups = list(book["相似问题"].iter_rows(min_row=2, values_only=True))
    assert s.problem_groups and groups and all(n == 2 for _, n in groups)
    assert "措辞相同或几乎相同的问题" in text


def test_spot_check_gaps_when_there_are_some(tmp_path: Path, world: World) -> None:
    import docx

    s = _summary(world)
    with_gaps = BureauSummary(**{**{f: getattr(s, f) for f in s.__dataclass_fields__},
                                 "spot_checks": [GapLine("第一中学", Decimal("92"), Decimal("81.5"))]})
    write_summary(with_gaps, tmp_path / "a.docx", charts=False)
    cells = [c.text for t in docx.Document(str(tmp_path / "a.docx")).tables for row in t.rows for c in row.cells]
    assert "10.5" in cells


def test_spot_check_gaps_and_anomalies_come_from_the_desk(world: World, tmp_path: Path) -> None:
    import docx
    from django.utils import timezone

    from jixiao.web.desk.models import SpotCheck, SpotCheckItem, SpotCheckScore

    evaluation = approved(world)
    check = SpotCheck.objects.create(year=2024, name="2024 抽查", size=1, seed=7, frame=[], frame_digest="0" * 64,
                                     frame_rule="test", created_by=world.users["finance"])
    item = SpotCheckItem.objects.create(spot_check=check, evaluation=evaluation, version_number=1, stratum="商务局",
                                        reviewed_at=timezone.now())
    SpotCheckScore.objects.bulk_create([
        SpotCheckScore(item=item, position=-1, name="预算执行", weight_hundredths=1000, self_score_hundredths=1000,
                       review_score_hundredths=1000),
        SpotCheckScore(item=item, position=0, name="开办夜市数量", weight_hundredths=1000, self_score_hundredths=1000,
                       review_score_hundredths=450)])
    s = gather(2024, None)
    assert s.spot_checks == [GapLine("商务局本级", Decimal(20), Decimal("14.5"))]
    assert s.anomalies is not None and all(a.units >= 1 and a.title for a in s.anomalies)
    assert gather(2024, world.dept_b).spot_checks == []
    write_summary(s, tmp_path / "a.docx", charts=False)
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "a.docx")).paragraphs)
    assert "共复核 1 份自评，自评总分平均高出复核总分 5.5 分" in text
