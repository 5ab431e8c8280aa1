"""YAML and JSON syntax errors in Chinese. PyYAML and the json module describe a problem in English
("mapping values are not allowed here"); people fixing a data file read the Chinese version, with the
line and column the caller adds. Unknown messages keep the parser's words after a Chinese lead."""

from __future__ import annotations

import re

_TOKENS = {
    "<stream end>": "文件结尾", "<block end>": "缩进结束", "<block mapping start>": "新的一组键值", "?": "新的键",
    "<scalar>": "一个值", "<block sequence start>": "新的列表", "<flow mapping start>": "“{”",
    "<flow sequence start>": "“[”", "a digit": "数字", "\\t": "制表符", "\\n": "换行",
}


def _token(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]
    return _TOKENS.get(text) or f"“{text}”"


def _either(text: str) -> str:
    return "或".join(_token(part) for part in re.split(r"\s+or\s+", text))


# Both PyYAML's pure-Python parser and libyaml's wording (they differ).
YAML_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"mapping values are not allowed"), "此处不能出现“键: 值”（冒号后缺空格、值里含“: ”而未加引号，或缩进不对）"),
    (re.compile(r"block sequence entries are not allowed"), "此处不能出现列表项“- ”（缩进不对）"),
    (re.compile(r"tab character"), "缩进里有制表符，请换成空格"),
    (re.compile(r"did not find expected key"), "缺少键（缩进不一致，或上一行的引号、括号未闭合）"),
    (re.compile(r"did not find expected node content"), "缺少值（“-”或“:”后面是空的，或有多余的符号）"),
    (re.compile(r"did not find expected (?P<what>.+)"), "缺少{what}（括号、引号未闭合或缩进不一致）"),
    (re.compile(r"expected (?P<what>.+?), but (?:got|found) (?P<got>.+)"), "应为{what}，却遇到{got}（多半是缩进不一致或括号、引号未闭合）"),
    (re.compile(r"found character '(?P<ch>.+)' that cannot start any token"), "字符{ch}不能出现在这里（制表符请换成空格；@ ` 等开头的值请加引号）"),
    (re.compile(r"found character that cannot start any token"), "此处有不能作为开头的字符（制表符请换成空格；@ ` 等开头的值请加引号）"),
    (re.compile(r"found unexpected end of stream"), "文件意外结束（引号或括号未闭合）"),
    (re.compile(r"found undefined alias '(?P<name>.+)'"), "引用了未定义的别名“*{name}”"),
    (re.compile(r"found undefined alias"), "引用了未定义的别名（*）"),
    (re.compile(r"found unknown escape character '(?P<ch>.+)'"), "双引号中有无效的转义{ch}（反斜杠请写成 \\\\ 或改用单引号）"),
    (re.compile(r"found unknown escape character"), "双引号中有无效的转义（反斜杠请写成 \\\\ 或改用单引号）"),
    (re.compile(r"could not determine a constructor for the tag '(?P<tag>.+)'"), "不支持的标签“{tag}”"),
    (re.compile(r"found duplicate anchor"), "锚点（&）重复定义"),
    (re.compile(r"found unexpected ':'"), "此处出现了多余的冒号"),
    (re.compile(r"could not find expected ':'"), "缺少冒号“:”（键和值之间）"),
    (re.compile(r"while scanning a simple key"), "键没有写完（缺少冒号“:”）"),
    (re.compile(r"found unexpected document indicator|did not find expected <document start>"), "文件中有多余的“---”或“...”"),
]

JSON_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Expecting ',' delimiter"), "缺少逗号“,”"),
    (re.compile(r"Expecting ':' delimiter"), "缺少冒号“:”"),
    (re.compile(r"Expecting property name enclosed in double quotes"), "键名应使用双引号（或此处有多余的逗号）"),
    (re.compile(r"Expecting value"), "缺少值（或此处有多余的逗号）"),
    (re.compile(r"Unterminated string"), "字符串的引号未闭合"),
    (re.compile(r"Invalid control character"), "字符串中有换行或控制字符（请写成 \\n）"),
    (re.compile(r"Invalid \\escape"), "无效的转义符（反斜杠请写成 \\\\）"),
    (re.compile(r"Extra data"), "数据结束后还有多余内容"),
]


def _translate(message: str, rules: list[tuple[re.Pattern[str], str]]) -> str | None:
    for pattern, template in rules:
        match = pattern.search(message)
        if match:
            parts = {k: (_either(v) if k in ("what", "got") else _token(v) if k == "ch" else v)
                     for k, v in match.groupdict().items()}
            return template.format(**parts)
    return None


def yaml_message(problem: str | None, context: str | None = None) -> str:
    """`expected ',' or ']', but got '<stream end>'` → `应为“,”或“]”，却遇到文件结尾（…）`."""
    for text in (problem, context):
        if text and (chinese := _translate(text, YAML_RULES)):
            return chinese
    return f"无法解析（{problem or context or '未知错误'}）"


def json_message(message: str) -> str:
    return _translate(message, JSON_RULES) or f"无法解析（{message}）"
