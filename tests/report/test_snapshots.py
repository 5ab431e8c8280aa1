"""Snapshot of the generated report text (Markdown) for every example: a wording or figure change
shows up as a diff in review. Regenerate on purpose with JIXIAO_UPDATE_SNAPSHOTS=1."""

import os
from pathlib import Path

from jixiao.core.evaluate import Result
from jixiao.report.textual import render_markdown

SNAPSHOTS = Path(__file__).parent / "snapshots"


def test_markdown_reports_match_their_snapshots(results: dict[str, Result]) -> None:
    changed = []
    for name, result in results.items():
        text = render_markdown(result.evaluation, result.scorecard)
        path = SNAPSHOTS / f"{name}.md"
        if os.environ.get("JIXIAO_UPDATE_SNAPSHOTS") or not path.exists():
            path.write_text(text, encoding="utf-8")
        elif path.read_text("utf-8") != text:
            changed.append(name)
    assert changed == [], f"reports differ from tests/report/snapshots (JIXIAO_UPDATE_SNAPSHOTS=1 to accept): {changed}"


def test_every_context_variable_is_documented(seed: Result) -> None:
    from jixiao.report.context import build_context

    docs = (Path(__file__).parents[2] / "docs" / "report.md").read_text("utf-8")
    keys = set(build_context(seed.evaluation, seed.scorecard)) | {"self_table", "warning_box", "chart_budget", "chart_indicators"}
    missing = sorted(key for key in keys if f"`{key}" not in docs)
    assert missing == []
