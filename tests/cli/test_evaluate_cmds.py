import json
from pathlib import Path

from cli.conftest import Run

SEED = Path(__file__).parents[2] / "examples" / "xinshi-commerce-2024.yaml"
CLEAN = Path(__file__).parents[2] / "examples" / "excellent-unit-2024.yaml"


def test_score_json_has_the_documented_shape(jixiao: Run) -> None:
    done = jixiao("score", SEED, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total_score"] == 85 and data["grade"] == "良" and data["execution_score"] == 10
    assert set(data["budget"]) >= {"initial", "adjusted", "executed", "adjustment_rate", "execution_rate"}
    assert data["budget"]["execution_rate"] == 100
    first = data["indicators"][3]
    assert {k: first[k] for k in ("name", "comparator", "target", "unit", "actual", "completion_rate", "weight", "score")} == {
        "name": "引进企业数量", "comparator": ">=", "target": 70, "unit": "家", "actual": 72,
        "completion_rate": 102.86, "weight": 30, "score": 30,
    }
    assert any(f["code"] == "B006" for f in data["findings"])


def test_score_table_is_readable(jixiao: Run) -> None:
    done = jixiao("score", SEED)
    assert done.returncode == 0
    assert "综合得分 85 分" in done.stdout and "评价等级 良" in done.stdout
    assert "102.86%" in done.stdout


def test_check_exits_1_on_errors_and_0_when_clean(jixiao: Run) -> None:
    seed = jixiao("check", SEED, "--format", "json")
    assert seed.returncode == 1
    findings = json.loads(seed.stdout)["findings"]
    assert {"code", "severity", "message", "field"} <= set(findings[0])
    assert findings[0]["severity"] == "error"
    clean = jixiao("check", CLEAN)
    assert clean.returncode == 0, clean.stdout


def test_other_rules(jixiao: Run, tmp_path: Path) -> None:
    done = jixiao("score", SEED, "--rules", "guangxi", "--format", "json")
    assert json.loads(done.stdout)["rules"] == "guangxi"
    missing = jixiao("score", SEED, "--rules", tmp_path / "nope.toml")
    assert missing.returncode == 2 and "规则集不存在" in missing.stderr


def test_bad_input_exits_2_with_a_chinese_message_and_no_traceback(jixiao: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SEED.read_text("utf-8").replace("weight: 30", "weight: 三十"), encoding="utf-8")
    done = jixiao("check", bad)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "bad.yaml 第" in done.stderr and "指标4·分值" in done.stderr and "应为数字" in done.stderr
    for name, content in (("gbk.yaml", "单位: 测试".encode("gbk")), ("empty.json", b""), ("x.txt", b"hello")):
        path = tmp_path / name
        path.write_bytes(content)
        result = jixiao("score", path)
        assert result.returncode == 2, (name, result.stderr)
        assert "Traceback" not in result.stderr and "无法读取输入" in result.stderr


def test_usage_errors_exit_2(jixiao: Run) -> None:
    assert jixiao("score").returncode == 2
    assert jixiao("score", SEED, "--format", "xml").returncode == 2


def test_findings_name_the_line_of_the_data_file(jixiao: Run) -> None:
    findings = json.loads(jixiao("check", SEED, "--format", "json").stdout)["findings"]
    b006 = next(f for f in findings if f["code"] == "B006")
    lines = SEED.read_text("utf-8").splitlines()
    assert lines[b006["line"] - 1].strip().startswith("adjustment_rate: 100")
    assert b006["quote"].startswith("adjustment_rate: 100")


def test_a_missing_optional_library_is_named_not_a_traceback(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import typer

    from jixiao.cli.errors import EXIT_INPUT, guarded_main

    app = typer.Typer()

    @app.command()
    def needs_extra() -> None:
        raise ModuleNotFoundError("No module named 'docxtpl'", name="docxtpl")

    monkeypatch.setattr("sys.argv", ["jixiao"])
    assert guarded_main(app) == EXIT_INPUT
    assert "缺少可选组件 docxtpl" in capsys.readouterr().err


def test_check_runs_every_claim_check_on_the_narrative(jixiao: Run, tmp_path: Path) -> None:
    """A rate, a change or a sum written out in a text field is checked as the auditor checks it in a report."""
    text = CLEAN.read_text("utf-8").replace(
        "key_work: 围绕全民阅读，", "key_work: 全年购书经费120万元，较上年增加20万元，增长25%。围绕全民阅读，")
    path = tmp_path / "narrative-slip.yaml"
    path.write_text(text, "utf-8")
    result = jixiao("check", path, "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    a022 = [f for f in findings if f["code"] == "A022"]
    assert result.returncode == 1 and len(a022) == 1
    assert a022[0]["field"] == "narrative.key_work" and "20%" in a022[0]["message"]
    fixed = tmp_path / "narrative-right.yaml"
    fixed.write_text(text.replace("增长25%", "增长20%"), "utf-8")
    assert json.loads(jixiao("check", fixed, "--format", "json").stdout)["findings"] == []
