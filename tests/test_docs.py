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


def test_the_security_page_names_only_what_exists() -> None:
    """docs/security.md: every test and module it names exists, every setting it names is read by the
    settings, every command it names is a command of `jixiao`, and each of issue 10's 13 items is there."""
    import re

    from typer.main import get_command

    from jixiao.cli.app import app

    root = DOCS.parent
    text = (DOCS / "security.md").read_text("utf-8")
    paths = set(re.findall(r"`((?:tests|benchmarks)/[\w/]+\.py)`", text))
    modules = {f"src/jixiao/{m}" for m in re.findall(r"`((?:web|report|audit|core)/[\w/]+\.py)`", text)}
    assert paths and [p for p in sorted(paths | modules) if not (root / p).is_file()] == []
    settings_source = (root / "src/jixiao/web/settings.py").read_text("utf-8")
    named = set(re.findall(r"`(JIXIAO_[A-Z_]+)", text))
    assert named and [n for n in sorted(named) if f'"{n}"' not in settings_source] == []
    commands = set(re.findall(r"`jixiao (\w+)", text))
    assert commands and commands - set(get_command(app).commands) == set()  # type: ignore[attr-defined]
    assert [n for n in range(1, 14) if f"\n{n}. **" not in text] == []
