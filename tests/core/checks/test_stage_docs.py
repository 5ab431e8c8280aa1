"""Every stage's checks are documented, and no code is used twice across the registries."""

from pathlib import Path

from jixiao.core.checks import REGISTRY
from jixiao.core.checks.chain import CHAIN_CHECKS
from jixiao.core.checks.monitoring import MONITORING_CHECKS
from jixiao.core.checks.rectification import RECTIFICATION_CHECKS
from jixiao.core.checks.targets import TARGET_CHECKS

DOCS = Path(__file__).parents[3] / "docs"


def test_stage_checks_are_documented_and_codes_unique() -> None:
    text = (DOCS / "checks.md").read_text("utf-8")
    stage_checks = [c for registry in (TARGET_CHECKS, MONITORING_CHECKS, CHAIN_CHECKS, RECTIFICATION_CHECKS) for c in registry.checks.values()]
    assert [c.code for c in stage_checks if f"| {c.code} |" not in text or c.title not in text] == []
    codes = [c.code for c in stage_checks] + list(REGISTRY)
    assert len(codes) == len(set(codes))
