from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from builders import data
from jixiao.core.evaluate import Result
from jixiao.core.model import Evaluation
from jixiao.core.rules import RuleSet
from jixiao.core.scoring import score
from jixiao.report.table_layout import COLUMNS, Role, build_table


def test_every_grid_position_is_covered_exactly_once(results: dict[str, Result]) -> None:
    for name, result in results.items():
        layout = build_table(result.evaluation, result.scorecard)
        covered: dict[tuple[int, int], int] = {}
        for cell in layout.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    covered[(r, c)] = covered.get((r, c), 0) + 1
        assert set(covered.values()) == {1}, name
        assert len(covered) == layout.rows * COLUMNS, name


def test_seed_table_figures(seed: Result) -> None:
    layout = build_table(seed.evaluation, seed.scorecard)
    grid = layout.grid()
    assert grid[0][0] == "部门（单位）整体支出绩效自评表" and grid[1][0] == "（2024年度）"
    total_row = grid[-1]
    assert total_row[0] == "总分" and total_row[6] == "100" and total_row[7] == "85" and total_row[8] == "评价等级：良"
    budget_row = next(row for row in grid if row[1] == "年度资金总额")
    assert budget_row[3:9] == ["3142.55", "3142.55", "3142.55", "10", "100%", "10"]
    names = [row[3] for row in grid if row[3] in {i.name for i in seed.evaluation.indicators}]
    assert names == [i.name for i in seed.evaluation.indicators]
    fourth = next(row for row in grid if row[3] == "引进企业数量")
    assert fourth[4:8] == ["≥70家", "72家", "30", "30"] and fourth[8].startswith("偏差原因：")


def test_project_table_merges_level1_and_shows_three_fund_rows(project: Result) -> None:
    layout = build_table(project.evaluation, project.scorecard)
    level1 = [c for c in layout.cells if c.col == 1 and c.role is Role.LABEL and c.text.endswith("指标") and c.rowspan > 1]
    assert [(c.text, c.rowspan) for c in level1] == [("产出指标", 4), ("效益指标", 2)]
    labels = [c.text for c in layout.cells if c.text.startswith("其中：")]
    assert labels == ["其中：当年财政拨款", "其中：上年结转资金", "其中：其他资金"]
    assert any(c.text == "项目名称" for c in layout.cells) and any(c.text == "实施单位" for c in layout.cells)


@given(st.lists(st.tuples(st.sampled_from([None, "产出", "效益", "满意度"]), st.sampled_from([None, "数量指标", "质量指标"])), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_any_indicator_grouping_tiles_the_grid(national: RuleSet, groups: list[tuple[str | None, str | None]]) -> None:
    indicators = [
        {"level1": l1, "level2": l2, "name": f"指标{i}", "comparator": ">=", "target": Decimal(10), "unit": "个",
         "actual": Decimal(i), "weight": Decimal(1)}
        for i, (l1, l2) in enumerate(groups)
    ]
    ev = Evaluation.model_validate(data(indicators=indicators))
    layout = build_table(ev, score(ev, national))
    covered: Counter[tuple[int, int]] = Counter()
    for cell in layout.cells:
        covered.update((r, c) for r in range(cell.row, cell.row + cell.rowspan) for c in range(cell.col, cell.col + cell.colspan))
    assert set(covered.values()) == {1} and len(covered) == layout.rows * COLUMNS
    # A level-1 cell spans exactly a run of equal, non-empty level-1 values.
    merged = [c for c in layout.cells if c.col == 1 and c.role is Role.LABEL and c.text.endswith("指标") and c.text != "一级指标"]
    assert sum(c.rowspan for c in merged) == sum(1 for l1, _ in groups if l1)
