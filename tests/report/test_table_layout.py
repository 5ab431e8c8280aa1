from jixiao.core.evaluate import Result
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
