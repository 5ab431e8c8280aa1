"""The grid layer: every text form of a table reads back to the same cells, and cells get types."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.audit.grid import (
    Cell,
    Grid,
    Kind,
    header_unit,
    read_cell_lines,
    read_flat,
    read_glued,
    read_pipe,
    render_cell_lines,
    render_flat,
    render_pipe,
    split_glued,
    type_cell,
)

# --- corpus per layer: input text next to the grid it must give -----------------------------

PIPE = [
    (["| 一级指标 | 二级指标 | 分值 |", "|---|---|---|", "| 产出指标 | 数量指标 | 10 |"],
     [["一级指标", "二级指标", "分值"], ["产出指标", "数量指标", "10"]]),
    (["年度资金总额 | 20 | 20 | 10 | 100.00% | 10"], [["年度资金总额", "20", "20", "10", "100.00%", "10"]]),
    (["| 质量指标 |  | 20 |"], [["质量指标", "", "20"]]),
]

GLUED = [
    ("100%22否", ["100%", "22", "否"]),
    ("安装坡面水标尺10≥266米≥266米10", ["安装坡面水标尺", "10", "≥266米", "≥266米", "10"]),
    ("项目计划总投资1020万元20万元10", ["项目计划总投资", "1020万元", "20万元", "10"]),
    ("服务对象满意度10≥95%≥95%10", ["服务对象满意度", "10", "≥95%", "≥95%", "10"]),
    ("显著提升显著提升10", ["显著提升显著提升", "10"]),
]

TYPED = [
    ("≥95%", None, Kind.COMPARATOR, "95", "%", "≥"),
    ("≤100万元", None, Kind.COMPARATOR, "100", "万元", "≤"),
    ("不低于90%", None, Kind.COMPARATOR, "90", "%", "≥"),
    ("100.00%", None, Kind.PERCENT, "100.00", "%", None),
    ("5‰", None, Kind.PERMILLE, "5", "‰", None),
    ("3万人次", None, Kind.COUNT, "3", "万人次", None),
    ("120户", None, Kind.COUNT, "120", "户", None),
    ("12个", None, Kind.COUNT, "12", "个", None),
    ("2022", None, Kind.YEAR, "2022", None, None),
    ("2022年", None, Kind.YEAR, "2022", None, None),
    ("10", None, Kind.NUMBER, "10", None, None),
    ("1,234.50", "元", Kind.AMOUNT, "1234.50", "元", None),
    ("20万", "元", Kind.AMOUNT, "20", "万元", None),
    ("20万", None, Kind.COUNT, "20", "万", None),
    ("3.5亿元", None, Kind.AMOUNT, "3.5", "亿元", None),
    ("显著提升", None, Kind.TEXT, None, None, None),
    ("", None, Kind.EMPTY, None, None, None),
]


@pytest.mark.parametrize(("lines", "expected"), PIPE)
def test_pipe_rows(lines: list[str], expected: list[list[str]]) -> None:
    (grid,) = read_pipe(lines)
    assert grid.texts() == expected
    assert grid.layout == "pipe"


def test_pipe_tables_separate_at_prose_and_keep_their_lines() -> None:
    grids = read_pipe(["a | b", "c | d", "正文一段。", "e | f | g"], first_line=10)
    assert [g.texts() for g in grids] == [[["a", "b"], ["c", "d"]], [["e", "f", "g"]]]
    assert grids[1].rows[0][2] == Cell("g", 13, 2)


def test_cell_lines_with_bars_keep_empty_cells() -> None:
    grid = read_cell_lines(["分值", "", "得分", "|", "10", "", "9", "|"], first_line=5)
    assert grid.texts() == [["分值", "", "得分"], ["10", "", "9"]]
    assert grid.rows[1][0].line == 9


def test_cell_lines_with_blank_lines_between_rows() -> None:
    grid = read_cell_lines(["分值", "得分", "", "10", "9"])
    assert grid.texts() == [["分值", "得分"], ["10", "9"]]


def test_flat_line_is_cut_by_cell_count() -> None:
    grid = read_flat("分值 执行率 得分 10 100% 10", 3, line_number=4)
    assert grid.texts() == [["分值", "执行率", "得分"], ["10", "100%", "10"]]
    assert grid.rows[1][1] == Cell("100%", 4, 1) or grid.rows[1][1].text == "100%"


@pytest.mark.parametrize(("text", "expected"), GLUED)
def test_glued_cells_split(text: str, expected: list[str]) -> None:
    assert split_glued(text) == expected
    assert read_glued(text, 7).texts() == [expected]


@pytest.mark.parametrize(("text", "unit", "kind", "number", "cell_unit", "comparator"), TYPED)
def test_typed_cells(
    text: str, unit: str | None, kind: Kind, number: str | None, cell_unit: str | None, comparator: str | None
) -> None:
    typed = type_cell(text, unit)
    assert typed.kind is kind
    assert typed.number == (Decimal(number) if number is not None else None)
    assert typed.unit == cell_unit
    assert typed.comparator == comparator


@pytest.mark.parametrize(
    ("text", "unit"),
    [("资金情况(万元)", "万元"), ("单位：元", "元"), ("金额单位: 亿元", "亿元"), ("全年执行数（元）", "元"), ("分值", None)],
)
def test_header_units(text: str, unit: str | None) -> None:
    assert header_unit(text) == unit


def test_bare_number_gets_no_unit_nobody_stated() -> None:
    assert type_cell("202").unit is None
    assert type_cell("202", "元").unit == "元"


def test_merged_cells_carry_down_and_short_rows_pad() -> None:
    grid = Grid.from_texts([["产出指标", "数量指标", "10"], ["", "质量指标", "20"], ["", ""]], "pipe")
    filled = grid.carry_down([0]).padded()
    assert filled.texts() == [["产出指标", "数量指标", "10"], ["产出指标", "质量指标", "20"], ["产出指标", "", ""]]
    assert filled.rows[1][0].carried and not filled.rows[0][0].carried


# --- hypothesis: any grid, rendered in any text layout, reads back to the same grid -------------

_CELL_CHARS = st.sampled_from(list("产出指标数量质量效益满意度分值得分年初预算全执行率万元≥≤%.0123456789"))
_CELL = st.text(_CELL_CHARS, min_size=1, max_size=8)


@st.composite
def grids(draw: st.DrawFn, allow_empty: bool = False) -> list[list[str]]:
    width = draw(st.integers(1, 7))
    cell = st.one_of(_CELL, st.just("")) if allow_empty else _CELL
    return draw(st.lists(st.lists(cell, min_size=width, max_size=width), min_size=1, max_size=6))


@given(grids(allow_empty=True))
def test_pipe_round_trip(rows: list[list[str]]) -> None:
    grid = Grid.from_texts(rows, "pipe")
    (back,) = read_pipe(render_pipe(grid))
    assert back.texts() == rows


@given(grids(allow_empty=True))
def test_cell_lines_round_trip(rows: list[list[str]]) -> None:
    back = read_cell_lines(render_cell_lines(Grid.from_texts(rows, "lines")))
    assert back.texts() == rows


@given(grids())
def test_flat_round_trip(rows: list[list[str]]) -> None:
    back = read_flat(render_flat(Grid.from_texts(rows, "flat")), len(rows[0]))
    assert back.texts() == rows
