"""Real documents met after the development corpus: what each must yield, checked by hand (data/field)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
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
