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
