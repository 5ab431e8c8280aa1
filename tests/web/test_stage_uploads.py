"""The 绩效目标申报表 uploaded as .xlsx or .docx (jixiao's own download, filled in) becomes a declaration."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.io.rules_file import load_rules
from jixiao.report.stage_tables import write_stage_table
from jixiao.web.planning.models import RecordKind, StageRecord
from stage_builders import declaration, with_target
from web.conftest import World

YEAR = 2026


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_filled_in_form_becomes_the_declaration(world: World, tmp_path: Path, suffix: str) -> None:
    form = tmp_path / f"申报表{suffix}"
    write_stage_table(with_target(declaration(), "XM-001", target=150), load_rules("national"), form)
    with form.open("rb") as handle:
        response = world.client("prep_a1").post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": YEAR, "file": handle})
    assert response.status_code == 302, response.content.decode()
    record = StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1, year=YEAR)
    assert [i["code"] for i in record.data["indicators"]] == [i.code for i in declaration().indicators]
    assert record.data["indicators"][0]["target"] == "150"
    downloaded = world.client("prep_a1").get(f"/plan/r/{record.pk}/download{suffix}")
    assert downloaded.status_code == 200
    again = tmp_path / f"again{suffix}"
    again.write_bytes(downloaded.content)
    with again.open("rb") as handle:
        assert world.client("prep_a1").post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": YEAR + 1,
                                                                   "file": handle}).status_code == 302
    copy = StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1, year=YEAR + 1)
    assert copy.data["indicators"] == record.data["indicators"]


def test_a_broken_form_is_refused_naming_the_file(world: World, tmp_path: Path) -> None:
    broken = tmp_path / "申报表.docx"
    broken.write_bytes(b"PK\x03\x04 not really a document")
    with broken.open("rb") as handle:
        response = world.client("prep_a1").post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": YEAR, "file": handle})
    page = response.content.decode()
    assert response.status_code == 400 and "申报表.docx" in page and "Word 文档" in page
    assert not StageRecord.objects.filter(unit=world.unit_a1, year=YEAR).exists()
