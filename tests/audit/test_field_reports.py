"""Real documents met after the development corpus: what each must yield, checked by hand (data/field)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.audit import audit_document
from jixiao.audit.extract import extract
from jixiao.audit.normalise import normalise
from jixiao.audit.tables import read_tables
from jixiao.core.claims import read_claims
from jixiao.core.rules import RuleSet

FIELD = Path(__file__).parent / "data" / "field"
CASES: list[dict[str, Any]] = yaml.safe_load((FIELD / "field.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_field_document(rules: RuleSet, case: dict[str, Any]) -> None:
    path = FIELD / case["file"]
    audit = audit_document(path, rules)
    errors = [f for f in audit.findings if f.severity.value == "error"]
    assert sorted({f.code for f in errors}) == sorted(case["errors"]), [(f.code, f.message) for f in errors]
    for code, quote in case.get("quotes", {}).items():
        assert any(quote in (f.quote or "") for f in errors if f.code == code), code
    for code in case.get("warnings", []):
        assert code in {f.code for f in audit.findings if f.severity.value == "warning"}, code
    for code in case.get("warnings_absent", []):
        assert code not in {f.code for f in audit.findings}, code
    if "kind" in case:
        assert audit.document_kind == case["kind"]
    if "unit" in case:
        assert audit.facts.get("unit_name") == case["unit"]
    if "total_score" in case:
        assert audit.facts.get("total_score") == Decimal(str(case["total_score"]))
    if "project" in case:
        assert audit.facts.get("project_name") == case["project"]
    if "claims" in case:  # the claims read, by kind (hand-checked; a kind not listed is read nowhere)
        kinds = Counter(c.kind for c in read_claims(normalise(extract(path).lines).norm))
        assert dict(kinds) == case["claims"], dict(kinds)
    tables = read_tables(path.read_text("utf-8"))
    if "indicator_rows" in case:
        assert sum(len(t.rows) for t in tables.indicators) == case["indicator_rows"]
    if "budget_rows" in case:
        assert len(tables.budgets[0].rows) == case["budget_rows"]
    if "total_weight" in case:
        total = tables.indicators[0].total_weight
        assert total is not None and total.value == case["total_weight"]


def _errors(path: Path, rules: RuleSet) -> list[str]:
    return sorted(f.code for f in audit_document(path, rules).findings if f.severity.value == "error")


_ORIGINALS: dict[Path, list[str]] = {}


def _original_errors(path: Path, rules: RuleSet) -> list[str]:
    """A held document's own errors, audited once per test process (each is compared with many writings)."""
    if path not in _ORIGINALS:
        _ORIGINALS[path] = _errors(path, rules)
    return _ORIGINALS[path]


def _relaid(text: str, layout: str) -> str:
    """The document with each pipe row written as a web page's copy gives it: one cell per line ("3.36 |"),
    the row's cells on one line with spaces between, or run together with nothing between (a PDF's text)."""
    out: list[str] = []
    for line in text.splitlines():
        if line.count("|") < 2:
            out.append(line)
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if layout == "cells":
            out.extend(f"{c} |" for c in cells)
        else:
            out.append(("" if layout == "glued" else " ").join(c for c in cells if c))
    return "\n".join(out)


PIPED = sorted(p for p in [*FIELD.glob("*.txt"), *(FIELD.parent / "real-reports").glob("*.txt")]
               if sum(1 for line in p.read_text("utf-8").splitlines() if line.count("|") >= 3) >= 5)


@pytest.mark.parametrize("layout", ["cells", "flat", "glued"])
@pytest.mark.parametrize("path", PIPED, ids=[p.stem[:40] for p in PIPED])
def test_a_real_table_copied_in_another_layout_raises_the_same_errors(rules: RuleSet, tmp_path: Path, path: Path,
                                                                      layout: str) -> None:
    """The same 自评表 copied from another web page (one cell per line, or flattened) is no more wrong than it was."""
    relaid = tmp_path / path.name
    relaid.write_text(_relaid(path.read_text("utf-8"), layout), "utf-8")
    assert _errors(relaid, rules) == _original_errors(path, rules)


@cache
def _traditional() -> dict[str, str]:
    from jixiao.core.chars import traditional_pairs

    out: dict[str, str] = {}
    for code, simplified in sorted(traditional_pairs().items()):
        if len(simplified) == 1:
            out.setdefault(simplified, chr(code))
    return out


_HALF_WIDTH = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "％": "%", "。": "."})
REWRITTEN = {
    # The same report as a 港澳台 or a converted web page shows it; and as a copy that kept only half-width punctuation.
    "traditional": lambda text: text.translate(str.maketrans(_traditional())),
    "half-width": lambda text: text.translate(_HALF_WIDTH),
    # A web page that makes each line of the PDF its own paragraph: a blank line after every line.
    "double-spaced": lambda text: "\n\n".join(text.splitlines()),
    # OCR's letter O for a zero, in every other figure that has one inside it ("1O1.9%", "2O23年").
    "letter-o": lambda text: re.sub(r"(?<=\d)0(?=[\d%.])", _every_other("O", "0"), text),
    # A PDF copy's space after every other decimal point ("1922. 76").
    "split-decimals": lambda text: re.sub(r"(?<=\d)\.(?=\d)", _every_other(". ", "."), text),
}


# Writings that can destroy a figure where cells are run together ("202010100. 00%10" cannot be cut again).
LOSSY = frozenset({"split-decimals"})


def _every_other(first: str, second: str) -> Callable[[re.Match[str]], str]:
    flip = [False]

    def pick(_: re.Match[str]) -> str:
        flip[0] = not flip[0]
        return first if flip[0] else second

    return pick
EVERY = sorted({*FIELD.glob("*.txt"), *(FIELD.parent / "real-reports").glob("*.txt"), FIELD.parent / "seed.txt"})


@pytest.mark.parametrize("writing", sorted(REWRITTEN))
@pytest.mark.parametrize("path", EVERY, ids=[p.stem[:40] for p in EVERY])
def test_a_real_document_written_in_other_characters_raises_the_same_errors(rules: RuleSet, tmp_path: Path,
                                                                           path: Path, writing: str) -> None:
    rewritten = tmp_path / path.name
    rewritten.write_text(REWRITTEN[writing](path.read_text("utf-8")), "utf-8")
    if writing in LOSSY:
        assert set(_errors(rewritten, rules)) <= set(_original_errors(path, rules))  # a figure may be lost, none misread
    else:
        assert _errors(rewritten, rules) == _original_errors(path, rules)
