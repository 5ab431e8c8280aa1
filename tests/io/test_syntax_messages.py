"""YAML and JSON syntax errors read in Chinese, with the line (and column) of the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.io.errors import InputError
from jixiao.io.evaluation_file import read_evaluation

BROKEN_YAML = {
    "year: 2024\nunit: {name: 甲\n": "括号、引号未闭合",
    "year: 2024\nunit:\n  name: 甲: 乙\n": "此处不能出现“键: 值”",
    "year: 2024\nunit:\n\tname: 甲\n": "制表符",
    "year: 2024\nunit:\n  name: '甲\n": "文件意外结束",
    "year: 2024\nunit: *undefined\n": "未定义的别名",
    "year: 2024\n  unit: 1\nbudget: 2\n": "此处不能出现",
}
BROKEN_JSON = {'{"year": 2024 "unit": {}}': "缺少逗号", '{"year": 2024,}': "键名应使用双引号", '{"year": "2024': "引号未闭合"}


@pytest.mark.parametrize(("text", "expected"), list(BROKEN_YAML.items()) + list(BROKEN_JSON.items()))
def test_syntax_errors_are_chinese(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / ("data.json" if text.startswith("{") else "data.yaml")
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        read_evaluation(path)
    message = str(caught.value)
    assert expected in message and "第" in message and "行" in message, message
    english = re.sub(r"data\.(yaml|json)|YAML|JSON|tmp\S*", "", message)
    assert not re.search(r"[A-Za-z]{3,}", english), message
