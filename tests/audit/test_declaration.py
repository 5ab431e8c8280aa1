"""A published 绩效目标申报表 checked as a declaration (the targets checks), and its table read in any layout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import audit_document
from jixiao.audit.run import audit_lines
from jixiao.audit.tables import read_tables
from jixiao.core.rules import RuleSet
from jixiao.report.stage_tables import write_stage_table
from stage_builders import declaration, with_target

REAL = Path(__file__).parent / "data" / "real-reports"

DECLARATION = """项目支出绩效目标申报表(2024年度)
项目名称 | 农村公路养护
实施单位 | 示例县交通运输局
年度资金总额 | 100万元
一级指标 | 二级指标 | 三级指标 | 指标值
产出指标 | 数量指标 | 养护里程 | ≥120公里
产出指标 | 质量指标 | 优良路率 | ≥80%
产出指标 | 成本指标 | 养护总成本 | ≤{cost}万元
效益指标 | 社会效益指标 | 通行条件 | 有所改善
其他说明的问题 | 无
填报人: 张三 单位负责人: 李四"""


def codes(audit: object, severity: str) -> set[str]:
    return {f.code for f in audit.findings if f.severity.value == severity}  # type: ignore[attr-defined]


def test_a_declaration_gets_the_targets_checks_and_no_missing_actuals(rules: RuleSet) -> None:
    audit = audit_lines(DECLARATION.format(cost=150).splitlines(), "d.txt", rules)
    assert audit.document_kind == "targets"
    assert codes(audit, "error") == {"G008"}  # a 150万元 cost target above the 100万元 total: the form contradicts itself
    assert {"G003", "G004", "G005"} <= codes(audit, "warning")  # 有所改善; no 满意度; no 时效
    assert not [f for f in audit.findings if f.code.startswith(("I003", "A009"))]
    g008 = next(f for f in audit.findings if f.code == "G008")
    assert g008.quote == "≤150万元"


def test_a_cost_within_the_total_is_no_error(rules: RuleSet) -> None:
    assert codes(audit_lines(DECLARATION.format(cost=90).splitlines(), "d.txt", rules), "error") == set()


def test_a_cut_off_declaration_is_not_judged_as_a_whole(rules: RuleSet) -> None:
    path = next(REAL.glob("r2-08_*.txt"))
    audit = audit_lines(path.read_text("utf-8").splitlines(), path.name, rules)
    assert audit.document_kind == "targets"
    assert not [f for f in audit.findings if f.code in ("G004", "G005", "G007")]  # the excerpt ends mid-table


def test_cells_between_bar_lines_read_as_cells() -> None:
    # r2-08: one cell per line with a bare "|" line between cells; "≧" is ≥; "7 岁以下…" is one name.
    table = read_tables(next(REAL.glob("r2-08_*.txt")).read_text("utf-8")).indicators[0]
    rows = [(r.name, r.cells["target"].text) for r in table.rows]
    assert rows[:2] == [("适龄儿童国家免疫规划疫苗接种率", "≥90%"), ("7 岁以下儿童健康管理率", "≥85%")]


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_jixiaos_own_declaration_is_audited_as_one(rules: RuleSet, tmp_path: Path, suffix: str) -> None:
    """The 申报表 jixiao writes ("年度资金总额(万元) | 100.00"): its targets read, its cost held against its total."""
    write_stage_table(declaration(), rules, tmp_path / f"申报表{suffix}")
    clean = audit_document(tmp_path / f"申报表{suffix}", rules)
    assert clean.document_kind == "targets" and [f.code for f in clean.findings if f.severity.value != "info"] == []
    write_stage_table(with_target(declaration(), "XM-004", target=Decimal(150)), rules, tmp_path / f"超了{suffix}")
    errors = [f for f in audit_document(tmp_path / f"超了{suffix}", rules).findings if f.severity.value == "error"]
    assert [f.code for f in errors] == ["G008"] and "150万元超过年度资金总额100万元" in errors[0].message


@pytest.mark.parametrize("written", ["年度资金总额 | 100万元", "项目资金(万元) | 年度资金总额 | 100 | 其中:财政拨款 | 100",
                                     "年度资金总额(万元) | 100.00 | 其中:财政拨款 | 100.00", "项目资金(元) | 年度资金总额: | 1000000 |"])
def test_the_total_is_read_however_its_unit_is_written(rules: RuleSet, written: str) -> None:
    text = DECLARATION.replace("年度资金总额 | 100万元", written)
    assert codes(audit_lines(text.format(cost=150).splitlines(), "d.txt", rules), "error") == {"G008"}
    assert codes(audit_lines(text.format(cost=90).splitlines(), "d.txt", rules), "error") == set()


def test_a_total_whose_unit_is_nowhere_is_not_held_against_the_costs(rules: RuleSet) -> None:
    text = DECLARATION.replace("年度资金总额 | 100万元", "年度资金总额 | 100 |")
    assert codes(audit_lines(text.format(cost=150).splitlines(), "d.txt", rules), "error") == set()


def test_a_target_without_comparator_is_said_once_by_the_targets_check(rules: RuleSet) -> None:
    text = DECLARATION.replace("≥120公里", "120公里").format(cost=90)
    found = [f.code for f in audit_lines(text.splitlines(), "d.txt", rules).findings]
    assert found.count("G001") == 1 and "I002" not in found and "I009" not in found
