"""The 整改清单 downloaded from the web app: the items the user may see, as the file `jixiao check` reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from jixiao.core.rectification import RectificationList
from jixiao.io.stage_file import StageDocument, parse_document
from jixiao.report.stage_reader import sniff_stage_table
from jixiao.web.planning import services
from web.conftest import World


def _issue(world: World) -> None:
    dept = world.users["dept_a"]
    services.create_rectification(dept, world.unit_a1, 2024, "self_evaluation", "未设置满意度指标", dt.date(2025, 9, 30))
    services.create_rectification(dept, world.unit_a1, 2024, "audit", "执行率表述与数字不符", dt.date(2025, 6, 30))


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_the_list_downloads_as_the_stage_file(world: World, fmt: str) -> None:
    _issue(world)
    response = world.client("prep_a1").get(f"/plan/rect/download.{fmt}")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = parse_document(response.content, f"清单.{fmt}", json_format=fmt == "json")
    assert isinstance(document, StageDocument) and isinstance(document.model, RectificationList)
    items = document.model.items
    assert sorted(i.problem or "" for i in items) == ["执行率表述与数字不符", "未设置满意度指标"]
    assert {i.unit for i in items} == {world.unit_a1.name} and all(i.code.startswith("ZG-2024-") for i in items)
    assert yaml.safe_load(response.content.decode("utf-8"))["stage"] == "rectification"


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_the_form_downloads_and_reads_back(world: World, fmt: str, tmp_path: Path) -> None:
    _issue(world)
    response = world.client("dept_a").get(f"/plan/rect/download.{fmt}")
    assert response.status_code == 200
    path = tmp_path / f"整改清单.{fmt}"
    path.write_bytes(response.content)
    read = sniff_stage_table(path)
    assert read is not None and isinstance(read.model, RectificationList)
    assert sorted(i.problem or "" for i in read.model.items) == ["执行率表述与数字不符", "未设置满意度指标"]


def test_others_see_only_their_own_and_an_empty_list_says_so(world: World) -> None:
    _issue(world)
    other = world.client("dept_b").get("/plan/rect/download.yaml")
    assert other.status_code == 400 and "没有可导出的整改事项" in other.content.decode()
    assert world.client("prep_a1").get("/plan/rect/download.yaml?year=2023").status_code == 400
    assert world.client("prep_a1").get("/plan/rect/download.pdf").status_code == 404
    page = world.client("prep_a1").get("/plan/").content.decode()
    assert 'id="rect-downloads"' in page and "/plan/rect/download.xlsx" in page
