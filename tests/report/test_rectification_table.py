"""The 问题整改清单 written as .xlsx/.docx and read back: jixiao's own (any list, the same data), a list
made by hand (other headers, date cells, no head block) and bad cells named."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from jixiao.core.rectification import ItemState, RectificationList, Source
from jixiao.io.errors import InputError
from jixiao.io.rules_file import load_rules
from jixiao.io.stage_file import StageDocument, read_any
from jixiao.report.stage_tables import write_stage_table
from stage_builders import rectification

RULES = load_rules("national")
SUFFIXES = (".xlsx", ".docx")
_TEXT = st.text(alphabet="整改问题资金支出进度滞后指标满意度方案已完成复核同意销号", min_size=1, max_size=30)
_DAY = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31))


def read_back(items: RectificationList, path: Path, as_of: dt.date | None = None) -> RectificationList:
    write_stage_table(items, RULES, path, as_of)
    document = read_any(path)
    assert isinstance(document, StageDocument) and isinstance(document.model, RectificationList)
    return document.model


@st.composite
def lists(draw: st.DrawFn) -> RectificationList:
    items = []
    for n in range(draw(st.integers(1, 6))):
        state = draw(st.sampled_from(list(ItemState)))
        items.append({
            "code": f"ZG-{n:03d}", "unit": draw(_TEXT), "source": draw(st.none() | st.sampled_from(list(Source))),
            "problem": draw(st.none() | _TEXT), "requirement": draw(st.none() | _TEXT),
            "indicator_code": draw(st.none() | st.sampled_from(["XM-001", "BM-12"])),
            "noticed_on": draw(st.none() | _DAY), "deadline": draw(_DAY), "state": state,
            "plan": draw(st.none() | _TEXT), "feedback": draw(st.none() | _TEXT), "review_note": draw(st.none() | _TEXT),
            "closed_on": draw(st.none() | _DAY) if state is ItemState.CLOSED else None,
        })
    return RectificationList.model_validate({
        "year": draw(st.integers(2020, 2030)), "title": draw(st.none() | _TEXT), "issuer": draw(st.none() | _TEXT),
        "as_of": draw(_DAY), "items": items,
    })


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=lists())
def test_any_list_reads_back_the_same(items: RectificationList, suffix: str, tmp_path: Path) -> None:
    assert read_back(items, tmp_path / f"r{suffix}") == items


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_template_reads_back_and_the_form_shows_what_is_overdue(suffix: str, tmp_path: Path) -> None:
    items = rectification()
    later = dt.date(2025, 11, 15)
    again = read_back(items, tmp_path / f"r{suffix}", later)
    assert again == items.model_copy(update={"as_of": later})  # the form states the date it was made for
    if suffix == ".xlsx":
        ws = load_workbook(tmp_path / "r.xlsx").active
        assert ws is not None and ws.title == "问题整改清单"
        texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    else:
        texts = [c.text for row in Document(str(tmp_path / "r.docx")).tables[0].rows for c in row.cells]
    assert "已报整改方案\n已逾期15天" in texts and "已销号（2025-09-05）" in texts
    assert any(t.startswith("共3项：已销号1项，未销号2项，其中逾期1项") for t in texts)


def hand_made(tmp_path: Path, edit: dict[str, Any] | None = None) -> Path:
    """A list as a bureau might keep it: its own headers in its own order, dates as Excel dates."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws["A1"] = "2024年度部门整体绩效自评问题整改清单"
    ws["A2"] = "（2024年度）"
    ws.append(["序号", "责任单位", "存在问题", "来源", "整改时限", "整改措施", "完成情况", "复核意见", "状态"])
    rows = [
        ["1", "县文化馆", "绩效目标不细化", "财政评审", dt.datetime(2025, 8, 31), "细化目标", "已细化", "同意销号", "已销号（2025-09-02）"],
        [],
        ["2", "县图书馆", "年底突击花钱", "抽查复核", "2025年12月31日", None, None, None, "已下发整改通知"],
    ]
    for row in rows:
        ws.append(row)
    for ref, value in (edit or {}).items():
        ws[ref] = value
    out = tmp_path / "hand.xlsx"
    wb.save(out)
    return out


def test_a_hand_made_list_reads(tmp_path: Path) -> None:
    document = read_any(hand_made(tmp_path))
    assert isinstance(document, StageDocument)
    items = document.model
    assert isinstance(items, RectificationList) and items.year == 2024
    first, second = items.items
    assert (first.code, first.unit, first.source, first.deadline) == ("1", "县文化馆", Source.BUREAU_REVIEW, dt.date(2025, 8, 31))
    assert (first.state, first.closed_on, first.feedback) == (ItemState.CLOSED, dt.date(2025, 9, 2), "已细化")
    assert (second.deadline, second.state, second.plan) == (dt.date(2025, 12, 31), ItemState.NOTICED, None)
    assert document.locations["items[1].deadline"].quote == "工作表“Sheet1”单元格 E6"


def refused(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_any(path)
    return str(caught.value)


def test_bad_cells_are_named(tmp_path: Path) -> None:
    message = refused(hand_made(tmp_path, {"E6": "年底"}))
    assert "单元格 E6" in message and "整改期限应为日期" in message and "年底" in message
    message = refused(hand_made(tmp_path, {"I4": "差不多了"}))
    assert "单元格 I4" in message and "整改状态应为" in message
    message = refused(hand_made(tmp_path, {"D4": "上级说的"}))
    assert "单元格 D4" in message


def test_a_missing_column_names_the_header_row(tmp_path: Path) -> None:
    message = refused(hand_made(tmp_path, {"E3": "备注"}))
    assert "单元格 A3" in message and "未找到列 整改期限" in message


def test_a_word_list_names_row_and_column(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    write_stage_table(rectification(), RULES, out)
    doc = Document(str(out))
    table = doc.tables[0]
    header = next(n for n, row in enumerate(table.rows) if row.cells[0].text == "事项编号")
    table.cell(header + 2, 7).text = "十月底"
    doc.save(str(out))
    message = refused(out)
    assert f"表格1第{header + 3}行第8列" in message and "整改期限应为日期" in message
