"""A 整改清单 imported by a reviewer: each new row becomes a notice to its unit (notified), a list sent
back after download issues nothing twice, and a file that cannot be issued — a unit outside the
reviewer's scope, a row already further along, a past deadline, another stage's file — issues
nothing and names the cell or line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import timezone

from jixiao.core.rectification import RectificationList
from jixiao.io.rules_file import load_rules
from jixiao.report.stage_tables import write_stage_table
from jixiao.web.planning.models import Notification, Rectification
from web.conftest import World


def _deadline(days: int = 60) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def notices(world: World, **first: Any) -> RectificationList:
    """Two new notices for dept_a's two units, as a bureau types them into a list (the first changed by `first`)."""
    return RectificationList.model_validate({
        "year": 2025, "title": "2025年度绩效自评问题整改清单", "issuer": "商务局",
        "items": [
            {"code": "1", "unit": world.unit_a1.name, "source": "绩效自评", "problem": "未设置满意度指标",
             "requirement": "下一年度申报时补充满意度指标", "indicator_code": "XM-007", "deadline": _deadline(), **first},
            {"code": "2", "unit": world.unit_a2.name, "source": "audit", "problem": "报告执行率与自评表不一致",
             "deadline": _deadline(90)},
        ],
    })


def upload(world: World, path: Path, user: str = "dept_a"):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return world.client(user).post("/plan/rect/import/", {"file": handle}, follow=True)


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_list_issues_a_notice_per_row_and_its_download_issues_nothing_twice(world: World, tmp_path: Path, suffix: str) -> None:
    form = tmp_path / f"整改清单{suffix}"
    write_stage_table(notices(world), load_rules("national"), form)
    response = upload(world, form)
    assert response.status_code == 200 and "已由 整改清单" in response.content.decode() and "下发 2 项整改通知" in response.content.decode()
    items = {i.unit_id: i for i in Rectification.objects.all()}
    first, second = items[world.unit_a1.pk], items[world.unit_a2.pk]
    assert (first.source, first.problem, first.requirement, first.indicator_code, first.deadline, first.state) == (
        "self_evaluation", "未设置满意度指标", "下一年度申报时补充满意度指标", "XM-007", _deadline(), "noticed")
    assert (second.source, second.deadline, second.year, second.created_by) == ("audit", _deadline(90), 2025, world.users["dept_a"])
    assert Notification.objects.filter(user=world.users["prep_a1"], text__contains="未设置满意度指标").exists()
    assert Notification.objects.filter(user=world.users["prep_a2"], text__contains="报告执行率").exists()

    downloaded = tmp_path / f"下载{suffix}"
    downloaded.write_bytes(world.client("dept_a").get(f"/plan/rect/download.{suffix[1:]}").content)
    again = upload(world, downloaded).content.decode()
    assert "下发 0 项整改通知；2 项已在系统中" in again and first.code in again
    assert Rectification.objects.count() == 2


def test_the_same_hand_made_list_uploaded_again_issues_nothing_twice(world: World, tmp_path: Path) -> None:
    # A list typed by hand numbers its rows 1, 2 …, not the ZG- codes the system gives: uploading it a
    # second time (a double click, a resend) must not issue each problem to its unit again.
    listed = tmp_path / "整改清单.yaml"
    listed.write_text(yaml.safe_dump({"stage": "rectification", **notices(world).model_dump(mode="json", exclude_none=True)},
                                     allow_unicode=True), encoding="utf-8")
    assert "下发 2 项整改通知" in upload(world, listed).content.decode()
    codes = sorted(i.code for i in Rectification.objects.all())
    again = upload(world, listed).content.decode()
    assert "下发 0 项整改通知；2 项已在系统中" in again and all(code in again for code in codes)
    assert Rectification.objects.count() == 2
    # A new problem for the same unit in the same list is still issued
    more = notices(world, problem="绩效目标未细化量化")
    listed.write_text(yaml.safe_dump({"stage": "rectification", **more.model_dump(mode="json", exclude_none=True)},
                                     allow_unicode=True), encoding="utf-8")
    assert "下发 1 项整改通知；1 项已在系统中" in upload(world, listed).content.decode()
    assert Rectification.objects.filter(unit=world.unit_a1).count() == 2
    assert "与已下发事项单位、年度和问题都相同的行不重复下发" in world.client("dept_a").get("/plan/rect/new/").content.decode()


def test_rows_that_cannot_be_issued_refuse_the_file_naming_each_line(world: World, tmp_path: Path) -> None:
    data = yaml.safe_load(yaml.safe_dump(notices(world).model_dump(mode="json"), allow_unicode=True))
    data["stage"] = "rectification"
    data["items"] += [
        {"code": "3", "unit": world.unit_b1.name, "source": "audit", "problem": "另一部门的单位", "deadline": str(_deadline())},
        {"code": "4", "unit": world.unit_a1.name, "source": "audit", "problem": "已办完的事项", "deadline": str(_deadline()),
         "state": "已销号", "plan": "方案", "feedback": "已改", "review_note": "同意"},
        {"code": "5", "unit": world.unit_a1.name, "source": "audit", "problem": "期限已过", "deadline": "2020-01-01"},
        {"code": "6", "unit": world.unit_a1.name, "problem": "没有来源", "deadline": str(_deadline())},
    ]
    path = tmp_path / "清单.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    lines = path.read_text("utf-8").splitlines()

    def line_of(text: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if text in line)

    response = upload(world, path)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"清单.yaml 第{line_of(world.unit_b1.name)}行" in page and "不在您可下发整改通知的范围内" in page
    assert "整改事项4已是“已销号”" in page and "整改事项5的整改期限 2020-01-01 已过" in page
    row_6 = line_of("code: '6'")  # the row's first line: the source it lacks has no line of its own
    assert f"第{row_6}行：R002 整改事项6未写明问题来源" in page
    assert Rectification.objects.count() == 0 and not Notification.objects.exists()
    # the bureau reaches every unit, so the same file (without the refused rows) issues from there
    data["items"] = data["items"][:3]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    assert "下发 3 项整改通知" in upload(world, path, user="finance").content.decode()


def test_a_bad_cell_is_named_and_other_files_say_what_they_are(world: World, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    form = tmp_path / "整改清单.xlsx"
    write_stage_table(notices(world, unit="不存在的单位"), load_rules("national"), form)
    sheet = load_workbook(form).active
    assert sheet is not None
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "不存在的单位")
    page = upload(world, form).content.decode()
    assert "整改清单.xlsx" in page and f"{cell.coordinate}" in page and "整改单位“不存在的单位”" in page

    targets = tmp_path / "目标.yaml"
    from jixiao.cli.setup_cmds import TemplateKind, init_template

    targets.write_text(init_template(TemplateKind.TARGETS), "utf-8")
    response = upload(world, targets)
    assert response.status_code == 400 and "这是绩效目标申报文件，不是问题整改清单" in response.content.decode()
    evaluation = tmp_path / "自评.yaml"
    evaluation.write_text(init_template(TemplateKind.DEPARTMENT), "utf-8")
    assert "这是绩效自评数据，不是问题整改清单" in upload(world, evaluation).content.decode()
    assert Rectification.objects.count() == 0


def test_only_reviewers_import_and_the_page_offers_it(world: World, tmp_path: Path) -> None:
    form = tmp_path / "整改清单.xlsx"
    write_stage_table(notices(world), load_rules("national"), form)
    assert upload(world, form, user="prep_a1").status_code == 403
    assert world.client("dept_a").get("/plan/rect/import/").status_code == 405
    assert world.client("dept_a").post("/plan/rect/import/", {}).status_code == 400
    page = world.client("dept_a").get("/plan/rect/new/").content.decode()
    assert 'id="rect-import-form"' in page and "/plan/rect/import/" in page
    assert Rectification.objects.count() == 0
