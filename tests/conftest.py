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


# A shared 2-core CI machine under load: time limits per example make property tests flaky, not stricter.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", deadline=None)
_hypothesis_settings.load_profile("ci")
