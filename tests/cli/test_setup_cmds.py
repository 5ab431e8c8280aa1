import json
from pathlib import Path

from cli.conftest import Run


def test_init_writes_a_template_that_scores(jixiao: Run, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    assert jixiao("init", "-o", target).returncode == 0
    assert "# jixiao 自评数据模板" in target.read_text("utf-8")
    again = jixiao("init", "-o", target)
    assert again.returncode == 2 and "已存在" in again.stderr  # never overwrite a user's file silently
    assert jixiao("check", target).returncode == 0
    project = jixiao("init", "--kind", "project")
    assert project.returncode == 0 and "kind: project" in project.stdout


def test_schema_is_json_schema(jixiao: Run) -> None:
    done = jixiao("schema")
    schema = json.loads(done.stdout)
    assert schema["title"] == "Evaluation"
    assert {"year", "unit", "budget", "indicators"} <= set(schema["required"])
    assert "Indicator" in schema["$defs"]


def test_rules_lists_and_shows(jixiao: Run) -> None:
    listing = jixiao("rules")
    assert listing.returncode == 0 and "guangxi" in listing.stdout and "national" in listing.stdout
    shown = json.loads(jixiao("rules", "legacy-2017").stdout)
    assert shown["qualitative"][1]["low"] == "0.5"


def test_init_templates_follow_the_rule_sets_level1_split(tmp_path: Path) -> None:
    """The templates a new user starts from pass their own hint I020 (产出50/效益30/满意度10 under national)."""
    from jixiao.cli.setup_cmds import TemplateKind, init_template
    from jixiao.core.evaluate import evaluate
    from jixiao.io.evaluation_file import read_evaluation
    from jixiao.io.rules_file import load_rules

    for kind in (TemplateKind.DEPARTMENT, TemplateKind.PROJECT):
        path = tmp_path / f"{kind.value}.yaml"
        path.write_text(init_template(kind), "utf-8")
        codes = {f.code for f in evaluate(read_evaluation(path), load_rules("national")).findings}
        assert "I020" not in codes and "I001" not in codes
