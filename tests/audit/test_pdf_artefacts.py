"""A PDF carrying the artefacts real ones have (full-width digits, separators, Chinese numerals, odd
spacing, lines broken by the page width) reads back the same figures as the clean text."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.conftest import to_pdf, write_docx
from jixiao.audit import audit_document, audit_lines
from jixiao.core.rules import RuleSet

ARTEFACTS = (
    ("全年预算数为 3142.55 万元,全年实际支出资金", "全年预算数为 ３１４２．５５ 万 元，全年实际支出资金"),
    ("项目总金额为2688.16万元", "项目总金额为2,688.16 万元"),
    ("共有4个项目", "共有四个项目"),
    ("本年本级财力资金共计3个项目", "本年本级财力资金共计三个项目"),
    ("该指标权重分值为30分,自评得分30分", "该指标权重分值为三十分，自评得分 30 分"),
    ("实有在编人数为 20 人", "实有在编人数为２０人"),
    ("综合得分85分", "综合得分 85 分"),
)


@pytest.fixture(scope="module")
def artefact_pdf(tmp_path_factory: pytest.TempPathFactory, corrected_text: str) -> Path:
    text = corrected_text
    for clean, messy in ARTEFACTS:
        assert clean in text, clean
        text = text.replace(clean, messy)
    folder = tmp_path_factory.mktemp("artefacts")
    return to_pdf(write_docx(text, folder / "artefacts.docx", table=False), folder)


def test_artefact_pdf_reads_like_the_clean_text(artefact_pdf: Path, corrected_text: str, rules: RuleSet) -> None:
    clean = audit_lines(corrected_text.splitlines(), "clean.txt", rules)
    messy = audit_document(artefact_pdf, rules)
    assert messy.error is None
    assert messy.facts == clean.facts
    assert messy.errors == 0, [(f.code, f.line, f.message) for f in messy.findings]
    assert sorted(f.code for f in messy.findings) == sorted(f.code for f in clean.findings)
    # Quotes are the PDF's own text, artefacts and all.
    staff = messy.result.evaluation.locations["unit.staffing.actual"] if messy.result else None
    assert staff is not None and "２０" in staff.quote
