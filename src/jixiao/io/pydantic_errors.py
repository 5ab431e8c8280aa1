"""Turn pydantic's validation errors into Chinese problems with field path and line."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from jixiao.core.findings import nearest
from jixiao.io.errors import Problem

MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（请检查拼写）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "数字位数过多",
    "decimal_max_digits": "数字位数过多",
    "finite_number": "应为有限的数字",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "date_parsing": "应为日期，如 2025-02-19",
    "date_from_datetime_parsing": "应为日期，如 2025-02-19",
    "date_type": "应为日期，如 2025-02-19",
    "list_type": "应为列表",
    "dict_type": "应为键值结构",
    "model_type": "应为键值结构",
    "model_attributes_type": "应为键值结构",
    "too_short": "至少需要一项",
    "int_parsing_size": "整数位数过多",
}


def field_path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _message(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        # pydantic lists the choices in English: "'>=', '>' or '<'".
        expected = str(ctx.get("expected", "")).replace(" or ", "、").replace(", ", "、")
        return f"取值“{error.get('input')}”无效，应为：{expected}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if str(bound) == "0":
            return f"不能为负数（填写的是 {error.get('input')}）"
        return f"应不小于 {bound}（填写的是 {error.get('input')}）"
    if kind in ("less_than_equal", "less_than"):
        return f"应不大于 {ctx.get('le', ctx.get('lt'))}（填写的是 {error.get('input')}）"
    if kind == "string_pattern_mismatch":
        # Our patterns are lists of choices, "^(half_up|truncate)$": show the choices.
        choices = str(ctx.get("pattern", "")).strip("^$()").replace("|", "、")
        return f"取值“{error.get('input')}”无效，应为：{choices}"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项，实有 {ctx.get('actual_length')} 项；请精简或拆分为几份"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    if kind in MESSAGES:
        text = MESSAGES[kind]
        if kind not in ("missing", "extra_forbidden") and "input" in error:
            shown = error["input"]
            text += f"（填写的是 {shown if isinstance(shown, Decimal) else repr(shown)}）"  # not "Decimal('NaN')"
        return text
    return f"数据无效：{error['msg']}"


def _line(path: str, lines: dict[str, int]) -> int | None:
    found = nearest(path, lines)
    return found if found is not None else lines.get("")


def problems_from(exc: ValidationError, lines: dict[str, int]) -> list[Problem]:
    problems = []
    for error in exc.errors():
        path = field_path(error["loc"])
        problems.append(Problem(_message(error), field=path or None, line=_line(path, lines)))
    return problems
