"""Claims read from prose: the readers' corpus, and properties of the SUM check."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jixiao.audit import audit_lines
from jixiao.audit.normalise import normalise
from jixiao.core.claims import read_claims
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


money = st.decimals(min_value=Decimal("0.01"), max_value=99999, places=2)


def rate_sentence(budget: Decimal, spent: Decimal, rate: Decimal) -> str:
    return f"项目预算{budget}万元，实际支出{spent}万元，预算执行率为{rate}%。"


@settings(max_examples=40, deadline=None)
@given(money, st.decimals(min_value=Decimal("0.01"), max_value=1, places=4), st.integers(min_value=0, max_value=2))
def test_consistent_rate_never_raises(rules: RuleSet, budget: Decimal, share: Decimal, places: int) -> None:
    spent = (budget * share).quantize(Decimal("0.01"))
    rate = (spent / budget * 100).quantize(Decimal(1).scaleb(-places))
    assert "A020" not in claim_codes(rate_sentence(budget, spent, rate), rules)


@settings(max_examples=40, deadline=None)
@given(st.decimals(min_value=10, max_value=99999, places=2), st.decimals(min_value=Decimal("0.05"), max_value=1, places=4),
       st.sampled_from([Decimal(-1), Decimal(1)]), st.decimals(min_value=Decimal("1.5"), max_value=50, places=1))
def test_a_rate_moved_beyond_rounding_raises(rules: RuleSet, budget: Decimal, share: Decimal, sign: Decimal,
                                             bump: Decimal) -> None:
    spent = (budget * share).quantize(Decimal("0.01"))
    rate = (spent / budget * 100).quantize(Decimal("0.01")) + sign * bump
    if rate < 0:
        rate = -rate + 2 * bump
    assert "A020" in claim_codes(rate_sentence(budget, spent, rate), rules)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=2, max_value=5000), st.integers(min_value=100, max_value=20000),
       st.integers(min_value=-3, max_value=3))
@example(count=2, cost=251, off=-2)
@example(count=2, cost=100, off=3)
def test_unit_cost_times_count(rules: RuleSet, count: int, cost: int, off: int) -> None:
    exact = Decimal(count * cost) / 10000
    written = (exact + Decimal(off) * exact / 10).quantize(Decimal("0.01"))
    text = f"补助标准为每人{cost}元，全县共{count}人，发放资金{written}万元。"
    codes = claim_codes(text, rules)
    # Each written figure may have been rounded: the cost by half a 元, the total by one unit of its last
    # place (truncated or rounded). A total outside that is a slip, however small the amounts.
    low, high = (cost - Decimal("0.5")) * count / 10000, (cost + Decimal("0.5")) * count / 10000
    assert ("A023" in codes) == (not low - Decimal("0.01") < written < high + Decimal("0.01"))


@pytest.mark.parametrize(("text", "code"), [
    ("项目预算100万元，实际支出85万元，执行率80%。", "A020"),
    ("实际在职人员为136人，占编制数143人的比率为90%。", "A020"),
    ("局机关内设股室6个：办公室、督查考核股、法制股、市政公用设施管理股、财务股、人事股、城市管理指挥中心。", "A021"),
    ("2024年支出500万元，较上年增加100万元，增长20%。", "A022"),
    ("上年支出100万元，本年支出92万元，同比下降10%。", "A022"),
    ("资助标准为4000元/人，共资助3000名学生，发放资金1300万元。", "A023"),
    ("共35个标段，其中已完工22个、在建15个。", "A011"),
])
def test_each_claim_check_raises_on_its_slip(rules: RuleSet, text: str, code: str) -> None:
    codes = claim_codes(text, rules)
    assert code in codes
    fixed = {"80%": "85%", "90%": "95.10%", "6个": "7个", "20%": "25%", "10%": "8%", "1300": "1200", "15个": "13个"}
    for wrong, right in fixed.items():
        if wrong in text:
            assert code not in claim_codes(text.replace(wrong, right), rules)
            break
