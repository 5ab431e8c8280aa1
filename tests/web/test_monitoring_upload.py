"""A 监控表 uploaded into the monitoring report the round already created: the unit's figures become a
new version (the earlier ones kept), the approved targets stay, and a file that would change a target,
or cannot be read, changes nothing and says where (file and row or cell)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from jixiao.core.monitoring import MonitoringReport
from jixiao.io.rules_file import load_rules
from jixiao.report.stage_tables import write_stage_table
from jixiao.web.planning.models import RecordKind, StageRecord
from stage_builders import with_monitored
from web.conftest import World
from web.test_planning import YEAR, approve_all, declare


def monitoring_record(world: World) -> StageRecord:
    targets = declare(world)
    approve_all(world, targets)
    issued = world.client("finance").post("/plan/rounds/new/", {
        "scope": world.finance.pk, "year": YEAR, "name": "2025年年中监控", "cut_off": "2025-06-30", "deadline": "2025-07-15"})
    assert issued.status_code == 302
    return StageRecord.objects.get(kind=RecordKind.MONITORING, targets=targets)


def filled(record: StageRecord, **figures: Decimal) -> MonitoringReport:
    """The record's report with the unit's values to date filled in (the first indicator given `figures`)."""
    report = MonitoringReport.model_validate(record.data)
    data = report.model_dump()
    data["budget"]["executed_to_date"] = Decimal(30)
    for ind in data["indicators"]:
        if ind["kind"] == "qualitative":
            ind["value_text"], ind["on_track"] = "已起草", True
        elif ind["target"] is not None:
            ind["value_to_date"] = ind["target"] / 2
    filled_in = MonitoringReport.model_validate(data)
    first = filled_in.indicators[0].code
    return with_monitored(filled_in, first, deviation_reason="上半年招标延迟", corrective_action="三季度加快进度", **figures)


def upload(world: World, record: StageRecord, path: Path, user: str = "prep_a1", base_version: int | None = None):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return world.client(user).post(f"/plan/r/{record.pk}/upload/", {
            "file": handle, "base_version": record.current_version if base_version is None else base_version})


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_filled_in_form_becomes_the_records_next_version(world: World, tmp_path: Path, suffix: str) -> None:
    record = monitoring_record(world)
    before = dict(record.data)
    first = record.data["indicators"][0]
    form = tmp_path / f"监控表{suffix}"
    write_stage_table(filled(record, value_to_date=Decimal(20)), load_rules("national"), form)
    response = upload(world, record, form)
    assert response.status_code == 302, response.content.decode()
    record.refresh_from_db()
    assert record.current_version == 2 and [v.number for v in record.versions.all()] == [1, 2]
    assert record.versions.get(number=1).data == before  # the round's version is kept
    assert record.versions.get(number=2).note == f"上传 监控表{suffix}"
    now = record.data["indicators"][0]
    assert Decimal(now["value_to_date"]) == 20 and now["deviation_reason"] == "上半年招标延迟"
    assert (now["target"], now.get("comparator"), now.get("unit")) == (first["target"], first.get("comparator"), first.get("unit"))
    assert Decimal(record.data["budget"]["executed_to_date"]) == 30
    assert record.worst_light == "red"  # 20 of 100 at mid-year
    page = world.client("prep_a1").get(f"/plan/r/{record.pk}/", follow=True).content.decode()
    assert "红灯" in page and f"上传 监控表{suffix}" in page


def test_an_upload_that_changes_a_target_is_refused_naming_the_row(world: World, tmp_path: Path) -> None:
    record = monitoring_record(world)
    first = record.data["indicators"][0]
    form = tmp_path / "监控表.xlsx"
    write_stage_table(filled(record, target=Decimal(60)), load_rules("national"), form)
    response = upload(world, record, form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "监控表.xlsx" in page and f"指标“{first['code']} {first['name']}”" in page and "与批准的目标" in page
    assert "申请调整" in page and "工作表" in page  # the cell of that row
    record.refresh_from_db()
    assert record.current_version == 1 and record.data["indicators"][0]["target"] == first["target"]


def test_yaml_names_the_line_and_an_unknown_row_is_refused(world: World, tmp_path: Path) -> None:
    record = monitoring_record(world)
    data = filled(record).model_dump(mode="json", exclude_none=True)
    data["indicators"][1]["target"] = "1"
    data["indicators"].append({**data["indicators"][0], "code": "XM-999", "name": "自行新增的指标"})
    path = tmp_path / "监控.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    response = upload(world, record, path)
    page = response.content.decode()
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if text.strip() == "target: '1'")
    assert response.status_code == 400 and f"监控.yaml 第{line}行" in page
    assert "XM-999 自行新增的指标”不在本监控表中" in page
    assert StageRecord.objects.get(pk=record.pk).current_version == 1


def test_a_broken_or_foreign_file_changes_nothing(world: World, tmp_path: Path) -> None:
    record = monitoring_record(world)
    broken = tmp_path / "监控表.docx"
    broken.write_bytes(b"PK\x03\x04 not really a document")
    response = upload(world, record, broken)
    assert response.status_code == 400 and "监控表.docx" in response.content.decode() and "Traceback" not in response.content.decode()
    bad_cell = tmp_path / "坏单元格.xlsx"
    write_stage_table(filled(record), load_rules("national"), bad_cell)
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(bad_cell)
    ws = wb.active
    assert ws is not None
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "截至监控日执行数")
    ws.cell(row=cell.row, column=cell.column + 1, value="三十万")
    wb.save(bad_cell)
    response = upload(world, record, bad_cell)
    page = response.content.decode()
    where = f"单元格 {get_column_letter(cell.column + 1)}{cell.row}"  # the value beside the label
    assert response.status_code == 400 and "坏单元格.xlsx" in page and where in page and "三十万" in page
    targets_file = tmp_path / "申报.yaml"
    targets_file.write_text(yaml.safe_dump(record.targets.data | {"stage": "targets"}, allow_unicode=True), "utf-8")  # type: ignore[union-attr]
    assert "不是绩效运行监控表" in upload(world, record, targets_file).content.decode()
    assert StageRecord.objects.get(pk=record.pk).current_version == 1


def test_who_may_upload_and_when(world: World, tmp_path: Path) -> None:
    record = monitoring_record(world)
    form = tmp_path / "监控表.xlsx"
    write_stage_table(filled(record), load_rules("national"), form)
    assert upload(world, record, form, user="prep_b1").status_code == 404  # another department's unit
    refused = upload(world, record, form, user="dept_a")  # reviewers do not fill it in, whatever its state
    assert refused.status_code == 403 and "只有本单位的填报人可以上传" in refused.content.decode()
    assert "当前状态" not in refused.content.decode()  # the draft's state is not why
    edit = world.client("dept_a").get(f"/plan/r/{record.pk}/edit/")
    assert edit.status_code == 403 and "只有本单位的填报人可以编辑" in edit.content.decode()
    assert upload(world, record, form, base_version=0).status_code == 409  # someone saved since
    assert world.client("prep_a1").post(f"/plan/r/{record.targets_id}/upload/", {}).status_code == 404  # not a monitoring report
    assert upload(world, record, form).status_code == 302
    record.refresh_from_db()
    assert world.client("prep_a1").post(f"/plan/r/{record.pk}/action/submit/").status_code == 302
    assert upload(world, record, form).status_code == 403  # submitted: withdraw first
    assert StageRecord.objects.get(pk=record.pk).current_version == 2
