"""`--explain`: what was read (tables with their header mapping, claims) and which checks did not run, why."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jixiao.audit.kinds import document_kind
from jixiao.cli.app import app

REAL = Path(__file__).parent / "data" / "real-reports"
R231 = REAL / "r2-31_zhongjiang-shuiliju-shuibiaochi-xiangmu-zipingbiao-2022.txt"


def test_json_explain_shows_the_tables_and_the_checks_not_run() -> None:
    result = CliRunner().invoke(app, ["audit", str(R231), "--format", "json", "--explain"])
    explain = json.loads(result.stdout)["documents"][0]["explain"]
    budget, indicators = explain["tables"]
    assert budget["columns"] == ["全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert budget["rows"][0]["全年预算数"] == "20" and budget["rows"][0]["执行率"] == "100"
    assert [g["一级指标"] for g in indicators["groups"]] == ["产出指标", "效益指标", "满意度指标"]
    assert len(indicators["rows"]) == 9 and indicators["总分"] == {"分值": "100", "得分": "100"}
    reasons = {r["reason"] for r in explain["skipped_checks"]}
    assert any("年初预算数" in r for r in reasons) and any("……" in r for r in reasons)


def test_text_explain_is_chinese_and_off_by_default() -> None:
    plain = CliRunner().invoke(app, ["audit", str(R231)])
    assert "读取说明" not in plain.stdout
    explained = CliRunner().invoke(app, ["audit", str(R231), "--explain"])
    assert "读取说明" in explained.stdout and "未进行的核对" in explained.stdout


def test_the_kinds_of_documents() -> None:
    assert document_kind("项目支出绩效目标申报表(2024年度)", None) == "targets"
    assert document_kind("绩效目标自评表(2022年度)", True) == "self_evaluation"
    assert document_kind("2023年度项目绩效运行监控报告", None) == "monitoring"
    assert document_kind("关于2023年度重点评价结果的通报", None) == "results"
    assert document_kind("某项目绩效指标表", False) == "targets"  # an indicator table without actual values
    # …unless the title calls it a self-evaluation: an unfilled 自评表 is incomplete (A017), not a declaration.
    assert document_kind("某项目绩效自评报告", False) == "self_evaluation"
    # A criterion that mentions target setting is not a title.
    assert document_kind("部门整体支出绩效评价自评表\n序号 | 指标解释\n单位是否设置年度绩效目标,绩效目标设定是否符合单位实际。",
                         False) == "self_evaluation"


def test_a_target_declaration_raises_no_missing_actual() -> None:
    from jixiao.audit.run import audit_lines
    from jixiao.io.rules_file import load_rules

    rows = ["项目支出绩效目标申报表", "(2024年度)", "一级指标 | 二级指标 | 三级指标 | 指标值 | 分值",
            "产出指标 | 数量指标 | 培训人次 | ≥500人次 | 20", "产出指标 | 质量指标 | 合格率 | ≥95% | 20"]
    audit = audit_lines(rows, "t.txt", load_rules("national"))
    assert audit.document_kind == "targets"
    assert not [f for f in audit.findings if f.code in ("I003", "A010", "U004")]


def test_a_written_out_calculation_is_explained_as_written() -> None:
    from jixiao.audit.explain import claim_line
    from jixiao.audit.normalise import normalise
    from jixiao.core.claims import read_claims

    claims = [c.describe() for c in read_claims(normalise(["变动率=(63.46-32)÷32=98.31%。"]).norm)]
    assert [claim_line(c) for c in claims] == ["算式：(63.46-32)÷32=98.31%"]


def test_without_explain_the_description_is_not_made_and_the_findings_are_the_same() -> None:
    from jixiao.audit import audit_document
    from jixiao.io.rules_file import load_rules

    rules = load_rules(None)
    for path in (R231, Path(__file__).parent / "data" / "seed.txt"):
        described, bare = audit_document(path, rules), audit_document(path, rules, explain=False)
        assert described.explain and bare.explain is None
        assert bare.findings == described.findings and bare.facts == described.facts
