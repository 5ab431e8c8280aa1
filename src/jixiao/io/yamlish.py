"""Read YAML and JSON with exact decimals and the line of every value.

Numbers with a fraction become Decimal straight from their text (never float),
and every value's path is mapped to its 1-based line so that validation
errors can say where in the file they are.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from jixiao.io.errors import InputError, Problem
from jixiao.io.syntax_messages import json_message, yaml_message

LineMap = dict[str, int]


# libyaml's parser when PyYAML was built with it: ~10× faster on real files.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DecimalLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader whose floats are Decimal, read from their text."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        # .inf / .nan (any case, signed): rejected later by validation as not finite
        return float(text.lower().replace(".", ""))


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _long_int(text: str) -> Any:
    """A very long integer stays a Decimal (Python will not turn over 4,300 digits into an int; the
    model then refuses it as out of bounds, with its line)."""
    return Decimal(text)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    if len(text) > 30 and text.lstrip("+-").isascii() and text.lstrip("+-").isdecimal():
        return _long_int(text)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


# Aliases make the document a graph: a few lines ("billion laughs") can stand for
# 10^9 values. Far above any real evaluation, far below what hangs or exhausts memory.
MAX_VALUES = 200_000


class _TooManyValues(Exception):
    pass


DUPLICATE = "字段重复"


class _DuplicateKey(Exception):
    def __init__(self, field: str, line: int, first_line: int) -> None:
        super().__init__(field)
        self.field, self.line, self.first_line = field, line, first_line


def _walk(node: yaml.Node, path: str, lines: LineMap, line: int | None = None) -> None:
    # A mapping's value is placed at its key's line: that is where a person looks for it.
    lines[path] = line if line is not None else node.start_mark.line + 1
    if len(lines) > MAX_VALUES:
        raise _TooManyValues
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line_here = key_node.start_mark.line + 1
            if key in seen:  # YAML keeps the last one silently: a figure typed twice would be lost
                raise _DuplicateKey(f"{path}.{key}" if path else key, line_here, seen[key])
            seen[key] = line_here
            _walk(value_node, f"{path}.{key}" if path else key, lines, key_node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, f"{path}[{index}]", lines)


MAX_DEPTH = 1000


def _check_nesting(text: str, source: str) -> None:
    """Refuse absurdly deep [ { nesting before libyaml composes it: its composer recurses in C and crashes."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # the usual case, decided in microseconds
        return
    # libyaml's event parser keeps its own stack (no recursion), so it can measure the depth safely.
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(source, [Problem(f"嵌套层次过深（超过 {MAX_DEPTH} 层），不是自评数据文件")])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # the real parse reports it, with its line


def load_yaml(text: str, source: str) -> tuple[Any, LineMap]:
    _check_nesting(text, source)
    loader = _DecimalLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(source, [Problem("文件为空")])
        lines: LineMap = {}
        try:
            _walk(node, "", lines)
        except _TooManyValues:
            raise InputError(
                source, [Problem(f"内容过多：展开别名（&/*）后超过 {MAX_VALUES} 个值，不是自评数据文件")]
            ) from None
        except RecursionError:
            raise InputError(source, [Problem("嵌套层次过深，不是自评数据文件")]) from None
        except _DuplicateKey as dup:
            raise InputError(
                source, [Problem(f"{DUPLICATE}（第{dup.first_line}行已填写过），请只保留一个", field=dup.field, line=dup.line)]
            ) from None
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(
            source,
            [Problem(f"YAML 格式错误：{yaml_message(exc.problem, exc.context)}", line=mark.line + 1 if mark else None,
                     column=mark.column + 1 if mark else None)],
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(source, [Problem(f"YAML 格式错误：{yaml_message(str(exc))}")]) from None
    finally:
        loader.dispose()


def load_json(text: str, source: str) -> tuple[Any, LineMap]:
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=lambda t: _long_int(t) if len(t) > 30 else int(t))
    except RecursionError:
        raise InputError(source, [Problem("嵌套层次过深，不是自评数据文件")]) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            source, [Problem(f"JSON 格式错误：{json_message(exc.msg)}", line=exc.lineno, column=exc.colno)]
        ) from None
    # JSON is (almost) YAML: reuse the YAML composer for line numbers only.
    try:
        _, lines = load_yaml(text, source)
    except InputError as error:
        if any(p.message.startswith(DUPLICATE) for p in error.problems):
            raise  # json.loads keeps the last of two equal keys silently, like YAML
        lines = {}
    return data, lines


def decode_text(raw: bytes, source: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            source, [Problem("文件不是 UTF-8 编码（请另存为 UTF-8）", line=line)]
        ) from None
    if "\x00" in text:
        raise InputError(source, [Problem("文件含有二进制内容，不是文本文件")])
    return text
