"""One mapping from field path to Chinese label, used by the CLI, the web app and the report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.core.evaluate import evaluate
from jixiao.core.labels import field_label, field_labels, value_label
from jixiao.io.evaluation_file import read_evaluation
from jixiao.io.rules_file import load_rules

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ASCII_WORD = re.compile(r"[A-Za-z_]{3,}")


@pytest.mark.parametrize(("path", "label"), [
    ("budget.stated.adjustment_rate", "所述预算调整率"),
    ("indicators[2].actual", "指标3（引进企业数量）·完成值"),
    ("indicators[0].stated.score", "指标1·所述得分"),
    ("budget.sources.fiscal.initial", "当年财政拨款·年初预算数"),
    ("budget.fiscal.adjusted", "财政资金·全年预算数"),
    ("expenditure.projects[1].budget", "项目2·全年预算"),
    ("stated.grade", "所述评价等级"),
    ("year", "评价年度"),
    ("kind", "自评类别"),
    ("unit.name", "部门（单位）名称"),  # not just 部门
    ("indicators", "绩效指标"),
    ("indicators[0].weigth", "指标1·weigth"),  # a misspelt key stays as written, after its parent
])
def test_paths_read_as_chinese(path: str, label: str) -> None:
    assert field_label(path, {"indicators[2]": "引进企业数量"}) == label


def test_every_model_field_has_a_chinese_label() -> None:
    labels = field_labels()
    assert len(labels) > 100
    english = {path: label for path, label in labels.items() if ASCII_WORD.search(label)}
    assert not english


def test_coded_values_read_as_chinese() -> None:
    assert value_label("indicators[3].kind", "qualitative") == "定性"
    assert value_label("indicators[0].comparator", ">=") == "≥"
    assert value_label("kind", "department") == "部门（单位）整体支出绩效自评"
    assert value_label("indicators[0].name", "qualitative") == "qualitative"


def test_every_finding_on_the_examples_names_its_field_in_chinese() -> None:
    rules = load_rules("national")
    seen = 0
    for example in sorted(EXAMPLES.glob("*.yaml")):
        evaluation = read_evaluation(example)
        for finding in evaluate(evaluation, rules).findings:
            if finding.field:
                seen += 1
                assert not ASCII_WORD.search(field_label(finding.field)), (example.name, finding.field)
    assert seen > 5
