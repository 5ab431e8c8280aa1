"""The 评分表 (a framework scored by its standards): items, groups and totals read in every layout, and checked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.audit.run import audit_lines
from jixiao.audit.tables import read_tables
from jixiao.core.rules import RuleSet

from .test_tables import LAYOUTS, pipe

# (level1, level2, item, weight, score): a 部门整体 framework as the provinces publish it.
Item = tuple[str, str, str, int, Decimal]
FRAMEWORK: list[Item] = [
    ("决策", "目标设定", "绩效目标合理性", 5, Decimal(5)),
    ("决策", "目标设定", "绩效目标明确性", 5, Decimal(4)),
    ("决策", "预算配置", "财政供养人员控制率", 5, Decimal(5)),
    ("过程", "预算执行", "预算完成率", 10, Decimal("9.5")),
    ("过程", "预算管理", "管理制度健全性", 5, Decimal(5)),
    ("产出", "职责履行", "重点工作完成率", 40, Decimal(38)),
    ("效益", "履职效益", "社会效益", 20, Decimal(18)),
    ("效益", "满意度", "服务对象满意度", 10, Decimal(9)),
]
STANDARD = "按评分标准逐项核定，符合要求的得满分，每少一项扣1分"


def _sums(items: list[Item], key: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item[key]] = out.get(item[key], 0) + item[3]
    return out


def weighted_rows(items: list[Item], total: Decimal | None = None, group_weight: dict[str, int] | None = None,
                  standard: str = STANDARD) -> list[list[str]]:
    """Header 一级/二级/三级/分值/评分标准/得分; each group's label written once, with "(N分)"."""
    l1w, l2w = _sums(items, 0), {**_sums(items, 1), **(group_weight or {})}
    rows = [["序号", "一级指标", "二级指标", "三级指标", "分值", "评分标准", "自评得分"]]
    seen: set[str] = set()
    for n, (l1, l2, name, weight, score) in enumerate(items, 1):
        c1 = f"{l1}({l1w[l1]}分)" if l1 not in seen else ""
        c2 = f"{l2}({l2w[l2]}分)" if l2 not in seen else ""
        seen |= {l1, l2}
        rows.append([str(n), c1, c2, name, str(weight), standard, f"{score.normalize():f}"])
    added = sum((i[4] for i in items), Decimal(0))
    rows.append(["合计", str(sum(i[3] for i in items)), f"{(total if total is not None else added).normalize():f}"])
    return rows


def score_first_rows(items: list[Item]) -> list[list[str]]:
    """The score column before the weight column ("三级指标 | 得分 | 分值")."""
    rows = weighted_rows(items)
    out = [["序号", "一级指标", "二级指标", "三级指标", "自评得分", "分值", "评分标准"]]
    out += [[*r[:4], r[6], r[4], r[5]] for r in rows[1:-1]]
    total = rows[-1]
    return [*out, [total[0], total[2], total[1]]]


def annotated_rows(items: list[Item]) -> list[list[str]]:
    """湖南's 得分表: no 分值 column, every label carries its weight ("相关性(5分)")."""
    l1w, l2w = _sums(items, 0), _sums(items, 1)
    rows = [["一级指标", "二级指标", "三级指标", "得分"]]
    seen: set[str] = set()
    for l1, l2, name, weight, score in items:
        row = [f"{l1}({l1w[l1]}分)"] if l1 not in seen else []
        row += [f"{l2}({l2w[l2]}分)"] if l2 not in seen else []
        seen |= {l1, l2}
        rows.append([*row, f"{name}({weight}分)", f"{score.normalize():f}"])
    rows.append(["总分", f"{sum((i[4] for i in items), Decimal(0)).normalize():f}"])
    return rows


def reads_back(text: str, items: list[Item]) -> None:
    """The one 评分表 in `text` reads back to `items`, their groups with the weights they add up to, and the total."""
    tables = read_tables(text)
    assert len(tables.indicators) == 1
    table = tables.indicators[0]
    assert table.scorecard
    read = [(r.level1 and r.level1[0], r.level2 and r.level2[0], r.name, r.weight and r.weight.value,
             r.score and r.score.value) for r in table.rows]
    assert read == [(l1, l2, name, Decimal(w), s) for l1, l2, name, w, s in items]
    groups = {(g.level, g.category): g.weight and g.weight.value for g in table.groups}
    assert groups == {**{(1, k): Decimal(v) for k, v in _sums(items, 0).items()},
                      **{(2, k): Decimal(v) for k, v in _sums(items, 1).items()}}
    assert table.total_score is not None and table.total_score.value == sum((i[4] for i in items), Decimal(0))


def levelled_rows(items: list[Item], repeat: bool = False, header: str = "分值") -> list[list[str]]:
    """湖南's 指标表: "一级指标 分值 二级指标 分值 三级指标 分值 评价标准 指标说明 得分", each group's label and weight
    written once (a merged cell) or, as Word gives merged cells, again in every row it spans (`repeat`)."""
    l1w, l2w = _sums(items, 0), _sums(items, 1)
    rows = [["一级指标", header, "二级指标", header, "三级指标", header, "评价标准", "指标说明", "得分"]]
    seen: set[str] = set()
    for l1, l2, name, weight, score in items:
        c1 = [l1, str(l1w[l1])] if repeat or l1 not in seen else ["", ""]
        c2 = [l2, str(l2w[l2])] if repeat or l2 not in seen else ["", ""]
        seen |= {l1, l2}
        rows.append([*c1, *c2, name, str(weight), STANDARD, "本单位2024年在职人员136人，占编制数的95.10%。",
                     f"{score.normalize():f}"])
    rows.append(["合计", str(sum(i[3] for i in items)), f"{sum((i[4] for i in items), Decimal(0)).normalize():f}"])
    return rows


def _drop_blank_cells(rows: list[list[str]]) -> list[list[str]]:
    return [[c for c in r if c] for r in rows]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("repeat", [False, True], ids=["merged-once", "merged-repeated"])
@pytest.mark.parametrize("header", ["分值", "得分"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(st.sampled_from(range(len(FRAMEWORK))), min_size=2, max_size=8, unique=True).map(
    lambda picked: [FRAMEWORK[i] for i in sorted(picked)]))
def test_a_weight_after_every_level_reads_back(layout: str, repeat: bool, header: str, items: list[Item]) -> None:
    rows = levelled_rows(items, repeat, header)
    reads_back(LAYOUTS[layout](rows if layout in ("pipe", "markdown") else _drop_blank_cells(rows)), items)


def test_a_levelled_table_whose_group_weight_is_off(rules: RuleSet) -> None:
    rows = levelled_rows(FRAMEWORK)
    rows[1][1] = "20"  # 决策 is 15 by its items, and the first level now adds up to 105 against the total's 100
    errors = _errors(rows, rules)
    assert sorted(errors) == ["A014", "A015"] and "决策所述分值为20分" in errors["A015"][0]
    assert _errors(levelled_rows(FRAMEWORK), rules) == {}


def test_the_real_levelled_table_reads_what_its_excerpt_states(rules: RuleSet) -> None:
    """r2-03 (湖南 2018, line-broken): 投入 16 > 预算配置 16 = 8 + 8, 过程 58 > 预算执行 16 = 8 + 8; the last score is cut off."""
    from pathlib import Path

    from jixiao.audit import audit_document

    path = Path(__file__).parent / "data" / "real-reports" / "r2-03_weiming-bumen-zhengti-jichu-shujubiao-2018.txt"
    table = read_tables(path.read_text("utf-8")).indicators[0]
    assert [(r.level1 and r.level1[0], r.level2 and r.level2[0], r.name, r.weight and r.weight.value,
             r.score and r.score.value) for r in table.rows] == [
        ("投入", "预算配置", "在职人员控制率", 8, 8), ("投入", "预算配置", "三公经费变动率", 8, 0),
        ("过程", "预算执行", "预算完成率", 8, 8), ("过程", "预算执行", "预算控制率", 8, None)]
    assert [(g.level, g.category, g.weight and g.weight.value) for g in table.groups] == [
        (1, "投入", 16), (2, "预算配置", 16), (1, "过程", 58), (2, "预算执行", 16)]
    assert not [f for f in audit_document(path, rules).findings if f.severity.value == "error"]


def test_a_glued_levelled_table_is_left_unread() -> None:
    """Run together (r2-40), the standards' figures cannot be told from the cells': nothing is read."""
    text = "".join("".join(r) for r in levelled_rows(FRAMEWORK))
    assert not any(t.rows for t in read_tables(text).indicators)


frameworks = st.lists(st.sampled_from(range(len(FRAMEWORK))), min_size=2, max_size=8, unique=True).map(
    lambda picked: [FRAMEWORK[i] for i in sorted(picked)]
)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("render", [weighted_rows, score_first_rows, annotated_rows],
                         ids=["weight-column", "score-before-weight", "weights-in-labels"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=frameworks)
def test_every_layout_of_a_scorecard_reads_back(layout: str, render: object, items: list[Item]) -> None:
    reads_back(LAYOUTS[layout](render(items)), items)  # type: ignore[operator]


# A standard in numbered points, each with its own weight, one of them with its parts: what 安徽's and 湖南's forms
# write in the 评分标准 cell — a flattened copy runs the points' figures into the row.
POINTS = ("1、基础数据信息是否真实(1分); 2、基础数据信息是否完整(1分); "
          "3、设置年度绩效目标(2分,其中单位整体绩效目标1分,项目绩效目标1分,若单位无项目,得2分)")
# Names that open with a measure word: after a weight in a flattened row, "3 年度…" is 3 and a name, not "3年".
WORD_NAMES: list[Item] = [
    ("规划", "工作计划", "年度工作计划完整性", 3, Decimal(3)),
    ("规划", "工作计划", "人员经费保障率", 3, Decimal(2)),
    ("规划", "绩效目标", "年度绩效目标合理性", 4, Decimal(4)),
    ("规划", "绩效目标", "项目绩效目标明确性", 2, Decimal(2)),
]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("items", [FRAMEWORK, WORD_NAMES], ids=["framework", "names-opening-with-units"])
def test_a_standard_in_weighted_points_is_not_read_as_items_or_figures(layout: str, items: list[Item], rules: RuleSet) -> None:
    rows = weighted_rows(items, standard=POINTS)
    reads_back(LAYOUTS[layout](rows), items)
    assert _errors(rows, rules) == {}


def _errors(rows: list[list[str]], rules: RuleSet, extra: str = "") -> dict[str, list[str]]:
    audit = audit_lines(["2024年度部门整体支出绩效自评表", *pipe(rows).splitlines(), *extra.splitlines()], "t.txt", rules)
    out: dict[str, list[str]] = {}
    for f in audit.findings:
        if f.severity.value == "error":
            out.setdefault(f.code, []).append(f"{f.message}|{f.quote}")
    return out


def test_a_clean_scorecard_raises_no_error(rules: RuleSet) -> None:
    assert _errors(weighted_rows(FRAMEWORK), rules) == {}
    assert _errors(annotated_rows(FRAMEWORK), rules) == {}


def test_a_score_above_its_weight_is_caught_at_its_cell(rules: RuleSet) -> None:
    items = [*FRAMEWORK]
    items[1] = ("决策", "目标设定", "绩效目标明确性", 5, Decimal(6))
    errors = _errors(weighted_rows(items), rules)
    assert list(errors) == ["A027"]
    assert "绩效目标明确性" in errors["A027"][0] and errors["A027"][0].endswith("|6")


def test_a_group_weight_that_its_items_do_not_add_up_to(rules: RuleSet) -> None:
    errors = _errors(weighted_rows(FRAMEWORK, group_weight={"预算执行": 15}), rules)
    assert list(errors) == ["A015"]
    assert "预算执行所述分值为15分" in errors["A015"][0] and "10分" in errors["A015"][0]


def test_scores_that_do_not_add_up_to_the_total(rules: RuleSet) -> None:
    under = _errors(weighted_rows(FRAMEWORK, total=Decimal("96.5")), rules)
    assert list(under) == ["A028"] and "93.5分" in under["A028"][0] and "96.5" in under["A028"][0]
    over = _errors(weighted_rows(FRAMEWORK, total=Decimal("90")), rules)
    assert list(over) == ["A016"]


def test_the_total_stated_in_prose_is_held_against_the_items(rules: RuleSet) -> None:
    rows = weighted_rows(FRAMEWORK)[:-1]  # no 合计 row: the report's text states the total
    errors = _errors(rows, rules, "经自评，本部门整体支出绩效自评得分为95.5分，等级为优秀。")
    assert list(errors) == ["A028"] and "95.5" in errors["A028"][0]


def test_an_unscored_scorecard_is_reported_incomplete(rules: RuleSet) -> None:
    rows = [[*r[:-1], ""] if r[0].isdigit() else r for r in weighted_rows(FRAMEWORK)[:-1]]
    audit = audit_lines(["2024年度部门整体支出绩效自评表", *pipe(rows).splitlines()], "t.txt", rules)
    assert [f.code for f in audit.findings if f.code == "A017"] == ["A017"]
    assert not [f for f in audit.findings if f.severity.value == "error"]


def test_explain_names_the_scorecard_and_its_groups(rules: RuleSet) -> None:
    audit = audit_lines(pipe(weighted_rows(FRAMEWORK)).splitlines(), "t.txt", rules)
    assert audit.explain is not None
    table = audit.explain["tables"][0]
    assert table["table"] == "评分表" and table["columns"][-1] == "得分"
    assert {"二级指标": "目标设定", "分值": "10"} in table["groups"]
    reasons = " ".join(s["reason"] for s in audit.explain["skipped_checks"])
    assert "评分表按评分标准打分" in reasons or "A009" in reasons
