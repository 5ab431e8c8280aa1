from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core.rules import RuleSet
from jixiao.io.rules_file import load_rules

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def national() -> RuleSet:
    return load_rules("national")


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES
