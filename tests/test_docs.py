"""Documentation that cannot drift: every check code is documented, every rule set is described."""

from pathlib import Path

from jixiao.core.checks import REGISTRY
from jixiao.io.rules_file import shipped_rule_names

DOCS = Path(__file__).parents[1] / "docs"


def test_every_check_is_documented() -> None:
    text = (DOCS / "checks.md").read_text("utf-8")
    missing = [code for code, check in REGISTRY.items() if f"| {code} |" not in text or check.title not in text]
    assert missing == []


def test_every_rule_set_is_described() -> None:
    text = (DOCS / "rules.md").read_text("utf-8")
    assert [name for name in shipped_rule_names() if f"`{name}`" not in text] == []
