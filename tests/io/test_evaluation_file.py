"""Bad input gets a Chinese message with the file, the line and the field path; good input keeps exact decimals."""

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.io.errors import InputError
from jixiao.io.evaluation_file import parse_evaluation, read_evaluation

GOOD = """\
year: 2024
unit:
  name: 测试单位
budget:
  initial: 3142.55
  adjusted: 3142.55
  executed: 0.10
indicators:
  - name: 数量
    comparator: ">="
    target: 10
    unit: 个
    actual: 10
    weight: 90
"""


def problems(text: str | bytes, json_format: bool = False) -> InputError:
    with pytest.raises(InputError) as info:
        parse_evaluation(text, "data.yaml", json_format=json_format)
    return info.value


def test_decimals_are_exact() -> None:
    ev = parse_evaluation(GOOD, "data.yaml")
    assert ev.budget.initial == Decimal("3142.55")
    assert ev.budget.executed == Decimal("0.10")
    assert isinstance(ev.budget.initial, Decimal)


def test_wrong_type_names_field_and_line() -> None:
    error = problems(GOOD.replace("weight: 90", "weight: 九十"))
    [problem] = error.problems
    assert problem.field == "indicators[0].weight"
    assert problem.line == 14
    assert "应为数字" in problem.message
    assert "data.yaml 第14行，指标1·分值" in str(error)


def test_missing_required_field() -> None:
    [problem] = problems(GOOD.replace("  adjusted: 3142.55\n", "")).problems
    assert problem.field == "budget.adjusted"
    assert problem.message == "缺少必填字段"
    assert problem.line == 4  # the parent mapping that lacks it


def test_negative_money() -> None:
    [problem] = problems(GOOD.replace("initial: 3142.55", "initial: -5")).problems
    assert problem.field == "budget.initial" and "不能为负数" in problem.message and problem.line == 5


def test_unknown_comparator_and_category() -> None:
    error = problems(GOOD.replace('comparator: ">="', 'comparator: "≥="').replace("  - name: 数量", "  - name: 数量\n    level1: 产量"))
    fields = {p.field: p.message for p in error.problems}
    assert "取值“≥=”无效" in fields["indicators[0].comparator"]
    assert "取值“产量”无效" in fields["indicators[0].level1"]
    # The list of choices came in English ("'<=' or '<'").
    assert " or " not in fields["indicators[0].comparator"] and "'<='、'<'" in fields["indicators[0].comparator"]


def test_unknown_field_is_a_typo() -> None:
    [problem] = problems(GOOD.replace("  executed: 0.10", "  executed: 0.10\n  exectued: 1")).problems
    assert problem.field == "budget.exectued" and "未知字段" in problem.message


def test_malformed_yaml_gives_line_and_column() -> None:
    [problem] = problems("year: 2024\nunit: [a, b\nbudget: 1\n").problems
    assert problem.line is not None and problem.line >= 2
    assert problem.message.startswith("YAML 格式错误")


def test_not_utf8() -> None:
    [problem] = problems(GOOD.encode("gbk")).problems
    assert "UTF-8" in problem.message and problem.line == 3


def test_empty_and_non_mapping() -> None:
    assert problems("").problems[0].message == "文件为空"
    assert "顶层应为键值结构" in problems("- 1\n- 2\n").problems[0].message


def test_json_errors_have_lines_too() -> None:
    import json

    from jixiao.io.yamlish import load_yaml

    data, _ = load_yaml(GOOD, "x")
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str).replace('"weight": "90"', '"weight": "很多"')
    text = text.replace('"weight": 90', '"weight": "很多"')
    [problem] = problems(text, json_format=True).problems
    assert problem.field == "indicators[0].weight" and problem.line is not None
    [broken] = problems('{"year": 2024,', json_format=True).problems
    assert broken.message.startswith("JSON 格式错误") and broken.line == 1


def test_read_evaluation_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="文件不存在"):
        read_evaluation(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="文件夹"):
        read_evaluation(tmp_path)
    binary = tmp_path / "x.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError):
        read_evaluation(binary)


def test_billion_laughs_is_refused_quickly() -> None:
    # Nine levels of nine aliases: 9^9 values if expanded. Must be refused, not hang or exhaust memory.
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    error = problems("\n".join(lines))
    assert "别名" in str(error)


@pytest.mark.parametrize("json_format", [False, True])
def test_deep_nesting_is_refused_without_crashing(json_format: bool) -> None:
    # 50 000 levels made libyaml's C composer overflow the stack (segfault) and json raise RecursionError.
    text = "[" * 50_000 + "]" * 50_000
    error = problems(text if json_format else f"year: {text}", json_format=json_format)
    assert "嵌套层次过深" in str(error)


def test_moderate_nesting_in_strings_is_fine() -> None:
    ev = parse_evaluation(GOOD + "narrative:\n  key_work: '" + "[" * 1500 + "'\n", "data.yaml")
    assert ev.year == 2024


@pytest.mark.parametrize("spelling", [".nan", ".NaN", ".inf", "-.inf", "+.INF"])
def test_yaml_nan_and_infinity_are_refused_in_chinese(spelling: str) -> None:
    # float(".nan") raised ValueError: a traceback instead of the field and line.
    error = problems(GOOD.replace("initial: 3142.55", f"initial: {spelling}"))
    assert error.problems[0].field == "budget.initial" and error.problems[0].line == 5
    assert "有限的数字" in error.problems[0].message


@pytest.mark.parametrize("json_format", [False, True])
def test_duplicate_keys_are_refused_with_both_lines(json_format: bool) -> None:
    # A key typed twice silently kept the last value: a figure entered twice was lost without a word.
    if json_format:
        text = '{\n "year": 2024,\n "unit": {"name": "x"},\n "year": 2023\n}'
    else:
        text = GOOD.replace("  executed: 0.10\n", "  executed: 0.10\n  initial: 9\n")
    problem = problems(text, json_format=json_format).problems[0]
    assert "字段重复" in problem.message
    if json_format:
        assert (problem.field, problem.line) == ("year", 4) and "第2行" in problem.message
    else:
        assert (problem.field, problem.line) == ("budget.initial", 8) and "第5行" in problem.message


def test_another_stages_file_is_named_with_where_it_goes() -> None:
    from jixiao.cli.setup_cmds import TemplateKind, init_template
    from jixiao.io.kinds import DESTINATIONS

    for kind in (TemplateKind.TARGETS, TemplateKind.MONITORING, TemplateKind.RECTIFICATION):
        text = init_template(kind)
        with pytest.raises(InputError) as caught:
            parse_evaluation(text, "文件.yaml")
        problem = caught.value.problems[0]
        assert len(caught.value.problems) == 1 and problem.field == "stage"
        assert problem.line == next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("stage:"))
        assert f"（stage: {kind.value}）" in problem.message and DESTINATIONS[kind.value] in problem.message
