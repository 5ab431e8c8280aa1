"""Read an indicator library (YAML/JSON); the shipped starter library is `jixiao/library/common.yaml`."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from jixiao.core.library import Library
from jixiao.io.errors import InputError
from jixiao.io.evaluation_file import read_raw
from jixiao.io.pydantic_errors import problems_from
from jixiao.io.yamlish import decode_text, load_json, load_yaml


def parse_library(text: str, source: str, json_format: bool = False) -> Library:
    data, lines = load_json(text, source) if json_format else load_yaml(text, source)
    try:
        library = Library.model_validate(data)
    except ValidationError as exc:
        raise InputError(source, problems_from(exc, lines)) from None
    return library


def read_library(path: Path) -> Library:
    return parse_library(decode_text(read_raw(path), str(path)), str(path), json_format=path.suffix.lower() == ".json")


@lru_cache(maxsize=1)
def shipped_library() -> Library:
    text = (resources.files("jixiao") / "library" / "common.yaml").read_text("utf-8")
    return parse_library(text, "jixiao/library/common.yaml")
