from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.rules import ReverseFormula
from jixiao.io.errors import InputError
from jixiao.io.rules_file import load_rules, shipped_rule_names


def test_shipped_rule_sets_load() -> None:
    assert {"national", "guangxi", "legacy-2017", "platform"} <= set(shipped_rule_names())
    national = load_rules()
    assert national.name == "national"
    assert national.execution.weight == Decimal(10)
    assert national.indicators.overachieve_ratio == Decimal("1.2")  # exact, not 1.19999…
    assert load_rules("guangxi").indicators.reverse_formula is ReverseFormula.LINEAR_2X


def test_user_rule_file(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "src/jixiao/rules/national.toml").read_text("utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(text.replace("weight = 10 ", "weight = 20 "), encoding="utf-8")
    assert load_rules(path).execution.weight == Decimal(20)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = ", "TOML 格式错误"),
        ('name = "x"\ntitle = "x"\n[[grades]]\ngrade = "优"\nmin = 90\n', "grades 最后一档"),
        ('name = "x"\ntitle = "x"\ncolour = 1\n[[grades]]\ngrade = "差"\nmin = 0\n', "未知字段"),
        ('name = "x"\ntitle = "x"\n[[grades]]\ngrade = "甲"\nmin = 0\n', "取值“甲”无效"),
    ],
)
def test_bad_rule_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rules(path)
    assert message in str(info.value)


def test_unknown_rule_name() -> None:
    with pytest.raises(InputError, match="规则集不存在"):
        load_rules("atlantis")


NATIONAL = Path(__file__).parents[2] / "src/jixiao/rules/national.toml"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # pydantic's English "String should match pattern '^(half_up|truncate)$'" reached the user.
        ('rounding = "half_up"', 'rounding = "banker"', "取值“banker”无效，应为：half_up、truncate"),
        # The value was shown as Decimal('NaN').
        ("overachieve_ratio = 1.2", "overachieve_ratio = nan", "应为有限的数字（填写的是 NaN）"),
    ],
)
def test_rule_values_are_explained_in_chinese(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(NATIONAL.read_text("utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rules(path)
    assert message in str(info.value) and "Decimal(" not in str(info.value) and "should" not in str(info.value)


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "dup.toml"
    path.write_text('name = "x"\nname = "y"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_rules(path)
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (2, 11) and "at line" not in problem.message


def test_rule_file_that_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "rules.toml"
    folder.mkdir()
    with pytest.raises(InputError, match="这是一个文件夹"):
        load_rules(folder)
