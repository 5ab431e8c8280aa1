"""Documents of several 自评表: each table audited as its own evaluation, at the document's lines."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jixiao.audit.run import DocumentAudit, audit_lines
from jixiao.audit.segments import parts
from jixiao.core.rules import RuleSet

from .test_tables import LAYOUTS, VARIANTS, budgets, indicator, table_rows

DATA = Path(__file__).parent / "data"
REAL = DATA / "real-reports"
FIELD = DATA / "field"
# Real 自评表 and a 申报表 that each open with their title: published together, they are one document.
TABLES = [
    REAL / "r2-R7_huainan-tianjiaan-jiuye-buzhu-zijin-zipingbiao-2024.txt",
    REAL / "r2-R9_xiaoxian-zhangzhuangzhai-tese-zhongyang-butie-zipingbiao-2023.txt",
    FIELD / "qingshen-fagaiju-gongzi-2023.txt",
    REAL / "r2-08_mengcheng-jiben-gongwei-jixiao-mubiao-shenbaobiao-2024.txt",
]


def _lines(path: Path) -> list[str]:
    # The corpus's own provenance line is not part of the published document.
    return [line for line in path.read_text("utf-8").split("\n") if not line.startswith("SOURCE:")]


def _found(audit: DocumentAudit, offset: int = 0) -> list[tuple[str, str, int | None, str | None]]:
    return sorted((f.code, f.severity.value, f.line - offset if f.line else None, f.quote) for f in audit.findings)


def test_real_tables_published_together_are_each_audited_as_alone(rules: RuleSet) -> None:
    docs = [_lines(p) for p in TABLES]
    combined = audit_lines([line for d in docs for line in d], "together.txt", rules)
    assert [p.label for p in combined.parts] == [
        "第1张表（就业补助资金）", "第2张表（河西村特色种养补贴到户项目）", "第3张表（工资性支出）", "第4张表"]
    offset = 0
    for doc, part in zip(docs, combined.parts, strict=True):
        alone = audit_lines(doc, "alone.txt", rules)
        assert _found(part, offset) == _found(alone)
        assert part.facts == alone.facts and part.computed == alone.computed
        assert part.document_kind == alone.document_kind
        assert all(f.message.startswith(f"［{part.label}］") for f in part.findings)
        offset += len(doc)
    assert combined.parts[3].document_kind == "targets"
    # The document's findings are its tables', its facts the first table's.
    assert len(combined.findings) == sum(len(p.findings) for p in combined.parts)
    assert combined.facts == combined.parts[0].facts


def test_no_document_of_one_evaluation_is_cut() -> None:
    singles = [*REAL.glob("*.txt"), *FIELD.glob("*.txt"), DATA / "seed.txt", *DATA.glob("generated-*.md"),
               *Path(__file__).parents[3].joinpath("shared", "real-reports").glob("*.txt")]
    assert len(singles) > 30
    for path in singles:
        assert parts(path.read_text("utf-8").split("\n")) == [], path.name


def test_a_title_and_its_head_row_open_one_table_and_an_annex_line_none() -> None:
    table = [line for line in _lines(TABLES[1])]
    # "附件：…自评表" names the table that follows; the table's own title and head row come after it.
    assert parts(["附件：项目支出绩效自评表", *table]) == []
    two = parts([*table, *table])
    assert [(p.start, p.end) for p in two] == [(0, len(table)), (len(table), 2 * len(table))]


def test_a_narrative_before_the_tables_is_a_part_of_its_own(rules: RuleSet) -> None:
    prose = ["一、部门基本情况", "本部门" + "负责全县就业创业政策的落实和公共就业服务体系建设。" * 12,
             "二、预算执行情况", "2024年部门预算执行情况良好，全年支出控制在预算之内。" * 6]
    table = _lines(TABLES[1])
    audit = audit_lines([*prose, *table, *_lines(TABLES[0])], "report.txt", rules)
    assert [p.label for p in audit.parts] == ["报告正文", "第1张表（河西村特色种养补贴到户项目）", "第2张表（就业补助资金）"]
    assert audit.facts == audit.parts[1].facts  # the document's figures are its first table's, not the prose's


def _document(tables: list[tuple[str, str, list[list[str]]]]) -> tuple[list[str], list[int]]:
    lines: list[str] = []
    starts = []
    for k, (layout, project, rows) in enumerate(tables):
        starts.append(len(lines))
        head = [["项目支出绩效自评表"], [f"（{2020 + k}年度）"], ["项目名称", project, "主管部门", "县农业农村局"]]
        lines += LAYOUTS[layout](head + rows).split("\n")
    return lines, starts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(VARIANTS)), st.sampled_from(["pipe", "markdown", "lines"]), budgets,
                          st.lists(indicator, min_size=1, max_size=4, unique_by=lambda i: i[1])),
                min_size=2, max_size=4))
def test_any_tables_in_any_layout_are_cut_where_each_begins(
    rules: RuleSet, tables: list[tuple[str, str, tuple[Decimal, Decimal, Decimal], list[tuple[str, str, str, str, int, Decimal]]]]
) -> None:
    rendered = [(layout, f"第{k}号项目", table_rows(variant, budget, rows))
                for k, (variant, layout, budget, rows) in enumerate(tables, start=1)]
    lines, starts = _document(rendered)
    assert [p.start for p in parts(lines)] == starts
    audit = audit_lines(lines, "tables.txt", rules)
    for k, (part, (_, _, budget, rows)) in enumerate(zip(audit.parts, tables, strict=True), start=1):
        facts = part.facts or {}
        assert facts["project_name"] == f"第{k}号项目"
        assert facts["budget"]["adjusted"] == budget[1] and facts["budget"]["executed"] == budget[2]
        assert [i["name"] for i in facts["indicators"]] == [r[1] for r in rows]


@pytest.fixture
def together(tmp_path: Path) -> Path:
    path = tmp_path / "together.txt"
    path.write_text("\n".join(line for p in TABLES for line in _lines(p)), encoding="utf-8")
    return path


def test_the_json_and_the_workbook_give_each_table(together: Path, tmp_path: Path) -> None:
    run = [sys.executable, "-m", "jixiao", "audit", str(together)]
    out = subprocess.run([*run, "--format", "json"], capture_output=True, text=True, check=False)
    doc = json.loads(out.stdout)["documents"][0]
    assert [p["label"] for p in doc["parts"]][:2] == ["第1张表（就业补助资金）", "第2张表（河西村特色种养补贴到户项目）"]
    assert doc["parts"][1]["facts"]["budget"]["adjusted"] == 9.48
    book = tmp_path / "audit.xlsx"
    subprocess.run([*run, "--format", "xlsx", "-o", str(book)], capture_output=True, check=False)
    rows = list(load_workbook(book, read_only=True)["汇总"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [f"{together}（{p['label']}）" for p in doc["parts"]]
    text = subprocess.run(run, capture_output=True, text=True, check=False, env={"COLUMNS": "200", "PATH": ""}).stdout
    assert "本文件含4张自评表，逐表审查" in text and "第2张表（河西村特色种养补贴到户项目）：报告所述" in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables=st.lists(st.tuples(st.sampled_from(sorted(VARIANTS)), budgets,
                                 st.lists(indicator, min_size=1, max_size=4, unique_by=lambda i: i[1])),
                       min_size=2, max_size=3),
       one_line=st.booleans())
def test_flattened_tables_are_cut_at_the_title_inside_the_line(
    rules: RuleSet, tables: list[tuple[str, tuple[Decimal, Decimal, Decimal], list[tuple[str, str, str, str, int, Decimal]]]],
    one_line: bool,
) -> None:
    """Tables flattened into one line each, or the whole document into one line: each title opens a part,
    and each part's findings stand on the line its table is on."""
    flat = [LAYOUTS["flat"]([["项目支出绩效自评表"], [f"（{2020 + k}年度）"], ["项目名称", f"第{k}号项目", "主管部门", "县农业农村局"],
                             *table_rows(variant, budget, rows)])
            for k, (variant, budget, rows) in enumerate(tables, start=1)]
    lines = ["来源：县财政局公开目录", " ".join(flat)] if one_line else ["来源：县财政局公开目录", *flat]
    audit = audit_lines(lines, "flat.txt", rules)
    assert len(audit.parts) == len(tables)
    for k, (part, (_, budget, rows)) in enumerate(zip(audit.parts, tables, strict=True), start=1):
        facts = part.facts or {}
        assert facts["project_name"] == f"第{k}号项目"
        assert facts["budget"]["adjusted"] == budget[1] and facts["budget"]["executed"] == budget[2]
        assert [i["name"] for i in facts["indicators"]] == [r[1] for r in rows]
        assert all(f.line in (None, 2 if one_line else k + 1) for f in part.findings)
