"""Stage files: the `stage` key picks the model; errors in Chinese with the line."""

from pathlib import Path

import pytest

from jixiao.cli.setup_cmds import TemplateKind, init_template
from jixiao.core.model import Evaluation
from jixiao.core.monitoring import MonitoringReport
from jixiao.core.targets import TargetDeclaration
from jixiao.io.errors import InputError
from jixiao.io.stage_file import StageDocument, parse_document, read_document, read_stage

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_templates_read_as_their_stage_and_json_too(tmp_path: Path) -> None:
    for kind, model in ((TemplateKind.TARGETS, TargetDeclaration), (TemplateKind.MONITORING, MonitoringReport)):
        document = parse_document(init_template(kind), "t.yaml")
        assert isinstance(document, StageDocument) and isinstance(document.model, model)
        path = tmp_path / f"{kind.value}.json"
        path.write_text(document.model.model_dump_json(), encoding="utf-8")
        again = read_document(path)
        assert isinstance(again, StageDocument) and again.model == document.model


def test_a_file_without_stage_is_a_self_evaluation() -> None:
    assert isinstance(read_document(EXAMPLES / "xinshi-commerce-2024.yaml"), Evaluation)


def test_unknown_stage_names_the_choices() -> None:
    with pytest.raises(InputError) as caught:
        parse_document("stage: budget\nyear: 2025\n", "x.yaml")
    problem = caught.value.problems[0]
    assert problem.line == 1 and "targets（绩效目标申报）" in problem.message


def test_validation_errors_have_lines() -> None:
    text = init_template(TemplateKind.TARGETS).replace('target: 95, unit: "%"', 'target: 九十五, unit: "%"')
    with pytest.raises(InputError) as caught:
        parse_document(text, "t.yaml")
    problem = caught.value.problems[0]
    assert problem.field == "indicators[1].target" and problem.line is not None and "数字" in problem.message


def test_read_stage_refuses_another_stage(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(init_template(TemplateKind.MONITORING), encoding="utf-8")
    with pytest.raises(InputError, match="应为绩效目标申报文件"):
        read_stage(path, TargetDeclaration)


def test_a_rectification_list_reads_with_lines(tmp_path: Path) -> None:
    from jixiao.core.rectification import RectificationList

    document = parse_document(init_template(TemplateKind.RECTIFICATION), "r.yaml")
    assert isinstance(document, StageDocument) and isinstance(document.model, RectificationList)
    assert document.locations["items[1].deadline"].line is not None
    path = tmp_path / "r.json"
    path.write_text(document.model.model_dump_json(), encoding="utf-8")
    again = read_document(path)
    assert isinstance(again, StageDocument) and again.model == document.model
    text = init_template(TemplateKind.RECTIFICATION).replace("state: planned", "state: 办好了")
    with pytest.raises(InputError) as caught:
        parse_document(text, "r.yaml")
    problem = caught.value.problems[0]
    assert problem.field == "items[1].state" and problem.line == text.splitlines().index("    state: 办好了") + 1
