"""Another stage's file given to the self-evaluation import (new evaluation, or import into one): a
400 saying what the file is and where it goes, and nothing created or changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.cli.setup_cmds import TemplateKind, init_template
from jixiao.io.rules_file import load_rules
from jixiao.io.stage_file import StageDocument, parse_document
from jixiao.report.stage_tables import write_stage_table
from jixiao.web.evaluations.models import Evaluation

from .conftest import World

# (template, file suffix, what the refusal calls it)
CASES = [
    (TemplateKind.TARGETS, ".yaml", "这是绩效目标申报文件（stage: targets）"),
    (TemplateKind.MONITORING, ".json", "这是绩效运行监控文件（stage: monitoring）"),
    (TemplateKind.RECTIFICATION, ".yaml", "这是问题整改清单（stage: rectification）"),
    (TemplateKind.TARGETS, ".xlsx", "这是项目支出绩效目标申报表（Excel 工作簿）"),
    (TemplateKind.MONITORING, ".docx", "这是项目支出绩效运行监控表（Word 文档）"),
    (TemplateKind.RECTIFICATION, ".docx", "这是问题整改清单（Word 文档）"),
]
WHERE = {TemplateKind.TARGETS: "申报绩效目标", TemplateKind.MONITORING: "绩效运行监控记录", TemplateKind.RECTIFICATION: "下发整改通知」中导入"}


def stage_file(kind: TemplateKind, suffix: str, tmp_path: Path) -> bytes:
    text = init_template(kind)
    if suffix == ".yaml":
        return text.encode()
    document = parse_document(text, "模板")
    assert isinstance(document, StageDocument)
    if suffix == ".json":
        return document.model.model_dump_json().encode()
    out = tmp_path / f"form{suffix}"
    write_stage_table(document.model, load_rules("national"), out)
    return out.read_bytes()


def refusal(response: object) -> str:
    assert getattr(response, "status_code", None) == 400
    return response.content.decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("kind", "suffix", "called"), CASES, ids=lambda v: str(getattr(v, "value", v)))
def test_a_new_evaluation_from_another_stages_file_is_refused(world: World, tmp_path: Path, kind: TemplateKind,
                                                               suffix: str, called: str) -> None:
    client: Client = world.client("prep_a1")
    before = Evaluation.objects.count()
    upload = SimpleUploadedFile(f"文件{suffix}", stage_file(kind, suffix, tmp_path))
    page = refusal(client.post(reverse("evaluations:new"), {"unit": str(world.unit_a1.pk), "file": upload}))
    assert called in page and "不是绩效自评数据" in page and WHERE[kind] in page
    assert Evaluation.objects.count() == before


@pytest.mark.parametrize(("kind", "suffix", "called"), CASES, ids=lambda v: str(getattr(v, "value", v)))
def test_importing_another_stages_file_into_an_evaluation_changes_nothing(world: World, tmp_path: Path, kind: TemplateKind,
                                                                         suffix: str, called: str) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    before = evaluation.versions.get().data
    upload = SimpleUploadedFile(f"文件{suffix}", stage_file(kind, suffix, tmp_path))
    response = client.post(reverse("evaluations:import", args=[evaluation.pk]),
                           {"file": upload, "base_version": str(evaluation.current_version)})
    page = refusal(response)
    assert called in page and WHERE[kind] in page
    assert f"jixiao-import-{evaluation.pk}" not in client.session  # nothing waits for confirmation
    fresh = Evaluation.objects.get(pk=evaluation.pk)
    assert fresh.current_version == 1 and fresh.versions.get().data == before
