"""Report (.docx/.pdf) and 自评表 (.xlsx) downloads from the report writer: figures, scope, versions."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.core.workflow import Action
from jixiao.web.evaluations import services

from .conftest import CONFIRM, World, form_post

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")


def _text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_docx_report_carries_the_versions_figures(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    client.post(reverse("evaluations:edit", args=[evaluation.pk]),
                form_post(evaluation.versions.get().data, 1, **{"ind-2-actual": "7"}))
    url = reverse("evaluations:download", args=[evaluation.pk, "docx"])
    latest = world.client("finance").get(url)
    assert latest.status_code == 200 and latest["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "%E8%87%AA%E8%AF%84%E6%8A%A5%E5%91%8A" in latest["Content-Disposition"]  # 自评报告
    text = _text(latest.content)
    assert "商务局本级" in text and "综合得分100分" in text and "优" in text
    first = _text(world.client("dept_a").get(url, {"version": "1"}).content)
    assert "综合得分85分" in first


def test_xlsx_table_download_reads_back(world: World) -> None:
    evaluation = world.evaluation()
    response = world.client("head_a1").get(reverse("evaluations:download", args=[evaluation.pk, "xlsx"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("开办夜市数量" in v for v in values) and any("85" in v for v in values)


def test_the_table_imports_back_as_a_new_version(world: World) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    table = client.get(reverse("evaluations:download", args=[evaluation.pk, "xlsx"])).content
    response = client.post(reverse("evaluations:import", args=[evaluation.pk]),
                           {"file": SimpleUploadedFile("自评表.xlsx", table), "base_version": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="no-changes"' in page, page[:2000]  # the preview first
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(reverse("evaluations:import-confirm", args=[evaluation.pk]), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.current_version == 2 and evaluation.total_hundredths == 8500
    assert evaluation.versions.get(number=2).data == evaluation.versions.get(number=1).data


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_document_downloads_are_scoped(world: World, fmt: str) -> None:
    evaluation = world.evaluation()
    for name in ("prep_a2", "prep_b1", "dept_b", "nobody"):
        assert world.client(name).get(reverse("evaluations:download", args=[evaluation.pk, fmt])).status_code == 404
    assert world.client("prep_a1").get(reverse("evaluations:download", args=[evaluation.pk, "exe"])).status_code == 404


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_report_download(world: World) -> None:
    evaluation = services.transition(world.users["prep_a1"], world.evaluation(ready=True), Action.SUBMIT, **CONFIRM)
    response = world.client("dept_a").get(reverse("evaluations:download", args=[evaluation.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
