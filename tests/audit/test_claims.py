"""Claims read from prose: the readers' corpus, and properties of the SUM check."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.audit import audit_lines
from jixiao.audit.claims import read_claims
from jixiao.audit.normalise import normalise
from jixiao.core.rules import RuleSet

CORPUS = yaml.safe_load((Path(__file__).parent / "data" / "claims" / "corpus.yaml").read_text("utf-8"))
REAL = Path(__file__).parent / "data" / "real-reports"


@pytest.mark.parametrize("example", CORPUS, ids=[e["text"][:16] for e in CORPUS])
def test_corpus(example: dict) -> None:
    read = [c.describe() for c in read_claims(normalise([example["text"]]).norm)]
    for claim, expected in zip(read, example["claims"], strict=True):
        for key, value in expected.items():
            assert claim[key] == value, (key, claim)


amounts = st.lists(st.decimals(min_value=1, max_value=99999, places=2), min_size=2, max_size=6)


def sum_sentence(parts: list[Decimal], total: Decimal) -> str:
    listed = "，".join(f"第{i + 1}项资金{p}万元" for i, p in enumerate(parts))
    return f"2024年度项目资金共计{total}万元，其中{listed}。"


def claim_codes(text: str, rules: RuleSet) -> list[str]:
    return [f.code for f in audit_lines(["2024年度部门整体支出绩效自评报告", text], "t.txt", rules).findings]


@settings(max_examples=40, deadline=None)
@given(amounts)
def test_consistent_sum_never_raises(rules: RuleSet, parts: list[Decimal]) -> None:
    assert "A011" not in claim_codes(sum_sentence(parts, sum(parts, Decimal(0))), rules)


@settings(max_examples=40, deadline=None)
@given(amounts, st.integers(min_value=0, max_value=5), st.decimals(min_value=Decimal("0.01"), max_value=500, places=2))
def test_a_part_raised_always_raises(rules: RuleSet, parts: list[Decimal], which: int, bump: Decimal) -> None:
    total = sum(parts, Decimal(0))
    parts = list(parts)
    parts[which % len(parts)] += bump
    assert "A011" in claim_codes(sum_sentence(parts, total), rules)


def test_over_task_rate_is_checked(rules: RuleSet) -> None:
    good = "全年任务数为100户，实际完成改造150户，超任务50%。"
    assert "A012" not in claim_codes(good, rules)
    assert "A012" in claim_codes(good.replace("50%", "43%"), rules)


EXPECT = json.loads((REAL / "expect.json").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECT["bad"]))
def test_real_slips_caught_at_their_quotes(rules: RuleSet, name: str) -> None:
    from jixiao.audit import audit_document

    audit = audit_document(REAL / name, rules)
    quotes = " ".join((f.quote or "") + " ".join(r.quote for r in f.related_locations)
                      for f in audit.findings if f.severity.value == "error")
    wanted = EXPECT["bad"][name]["quotes"]
    found = [q for q in wanted if q in quotes.replace("萬", "万")]
    assert found if EXPECT["bad"][name].get("any") else found == wanted


@pytest.mark.parametrize("name", EXPECT["clean"])
def test_clean_files_raise_no_error(rules: RuleSet, name: str) -> None:
    from jixiao.audit import audit_document

    audit = audit_document(REAL / name, rules)
    assert [f.code for f in audit.findings if f.severity.value == "error"] == []
