"""Load rule sets: the shipped profiles by name, or a user's TOML file."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from jixiao.core.rules import RuleSet
from jixiao.io.errors import InputError, Problem
from jixiao.io.pydantic_errors import problems_from

DEFAULT_RULES = "national"


def shipped_rule_names() -> list[str]:
    folder = resources.files("jixiao") / "rules"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def shipped_rules(name: str) -> RuleSet:
    text = (resources.files("jixiao") / "rules" / f"{name}.toml").read_text("utf-8")
    return parse_rules(text, f"jixiao/rules/{name}.toml")


def load_rules(spec: str | Path | None = None) -> RuleSet:
    """A shipped rule set by name ("national", "guangxi", …) or a TOML file path."""
    if spec is None:
        return shipped_rules(DEFAULT_RULES)
    text_spec = str(spec)
    if text_spec in shipped_rule_names():
        return shipped_rules(text_spec)
    path = Path(text_spec)
    if not path.exists():
        raise InputError(
            text_spec,
            [Problem(f"规则集不存在：既不是内置规则集（{'、'.join(shipped_rule_names())}），也不是文件")],
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(text_spec, [Problem("规则集文件不是 UTF-8 编码")]) from None
    except IsADirectoryError:
        raise InputError(text_spec, [Problem("这是一个文件夹，不是规则集文件")]) from None
    except PermissionError:
        raise InputError(text_spec, [Problem("没有读取规则集文件的权限")]) from None
    except OSError as exc:
        raise InputError(text_spec, [Problem(f"无法读取规则集文件：{exc.strerror}")]) from None
    return parse_rules(text, text_spec)


def parse_rules(text: str, source: str) -> RuleSet:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line N, column M)" in its text: give it to the Problem, which says it in Chinese.
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        line, column = (int(where[1]), int(where[2])) if where else (None, None)
        raise InputError(source, [Problem(f"TOML 格式错误：{detail}", line=line, column=column)]) from None
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from(exc, {})) from None
