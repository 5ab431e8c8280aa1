"""Fixtures: the seed report as .txt, .docx and .pdf; a corrected copy; broken files of every kind."""

from __future__ import annotations

import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest

from jixiao.core.rules import RuleSet
from jixiao.io.rules_file import load_rules

DATA = Path(__file__).parent / "data"
SEED = DATA / "seed.txt"

# Every slip the seed makes, and its correction: the corrected report must audit without errors.
CORRECTIONS = (
    ("预算调整率 100%", "预算调整率 0%"),
    ("年初预算 数为 467.04 万元,全年预算数为 795.89 万元,决算数为 788.53 万元",
     "年初预算 数为 795.89 万元,全年预算数为 795.89 万元,决算数为 795.89 万元"),
    ("本次评价完成值为0%,完成率为0%,根据2024年商务局工作总结等资料,本次评价实际完成值为0%",
     "本次评价完成值为-8%,完成率为0%,根据2024年商务局工作总结等资料,本次评价实际完成值为-8%"),
    ("本次评价实际完成值为102.86%", "本次评价实际完成值为72家"),
    ("本次评价实际完成值为 102.86%", "本次评价实际完成值为 244.62 亿"),
    ("完成区上任务 240 亿元的 101.9%", "完成区上任务 241 亿元的 101.5%"),
    ("主要用于疫情期间为辖", "主要用于为辖"),
    ("预算调整的效果和影响是评估调整是否成功的重要依据。通过调整提高了预算资金的使用效率,更好地支持了单位的发展。"
     "预算的调整有助于实现单位的业务目标和战略规划。保障业务目标实现。", "本年度预算未调整。"),
)


def corrected(text: str) -> str:
    for wrong, right in CORRECTIONS:
        assert wrong in text, wrong
        text = text.replace(wrong, right)
    return text


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules("national")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text("utf-8")


@pytest.fixture(scope="session")
def corrected_text(seed_text: str) -> str:
    return corrected(seed_text)


def write_docx(text: str, path: Path, table: bool = True) -> Path:
    """The report as Word would hold it: one paragraph per line, plus the 自评表 as a real table."""
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    if table:
        rows = [
            ("三级指标", "年度指标值", "实际完成值", "分值", "得分"),
            ("开办夜市数量", "等于4家", "4家", "10", "10"),
            ("引进企业数量", "大于等于70家", "72家", "30", "30"),
        ]
        grid = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def to_pdf(docx: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui")
    profile = f"file:///tmp/lo-jixiao-{uuid.uuid4().hex}"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return out_dir / (docx.stem + ".pdf")


@pytest.fixture(scope="session")
def seed_docx(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Path:
    return write_docx(seed_text, tmp_path_factory.mktemp("docx") / "seed.docx")


@pytest.fixture(scope="session")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory, seed_docx: Path) -> Path:
    return to_pdf(seed_docx, tmp_path_factory.mktemp("pdf"))


def zip_bomb(path: Path, megabytes: int = 40) -> Path:
    """A .docx whose document.xml inflates from ~40 KB to `megabytes` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return path


# Reports `jixiao report` writes, as .docx and (one LibreOffice run for all) .pdf, for the input readers.
GENERATED = ("xinshi-commerce-2024", "excellent-unit-2024", "rural-roads-project-2024")


@pytest.fixture(scope="session")
def generated_reports(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """name → (.docx, .pdf) of three examples' finished reports (no charts: the 自评表 is what is read)."""
    from jixiao.core.evaluate import evaluate
    from jixiao.io.inputs import read_input
    from jixiao.report.pdf import ConverterMissing, docx_to_pdf_many, find_soffice
    from jixiao.report.write import write_report

    try:
        find_soffice()
    except ConverterMissing:
        pytest.skip("LibreOffice (soffice) 未安装：apt-get install libreoffice-writer-nogui")
    folder = tmp_path_factory.mktemp("generated")
    examples = Path(__file__).parents[2] / "examples"
    pairs = []
    for name in GENERATED:
        docx = folder / f"{name}.docx"
        write_report(evaluate(read_input(examples / f"{name}.yaml"), rules), docx, charts=False)
        pairs.append((docx, folder / f"{name}.pdf"))
    assert docx_to_pdf_many(pairs) == []
    return {name: pair for name, pair in zip(GENERATED, pairs, strict=True)}
