"""Claims read from prose: the readers' corpus, and properties of the SUM check."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
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
@given(amounts, st.integers(min_value=0, max_value=5), st.decimals(min_value=Decimal("0.04"), max_value=500, places=2))
def test_a_part_raised_always_raises(rules: RuleSet, parts: list[Decimal], which: int, bump: Decimal) -> None:
    # raised beyond what rounding allows: each of up to six parts and the total may lie half a cent off
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


@pytest.mark.parametrize(("text", "code", "wrong", "right"), [
    ("全年预算数500万元。截至年底，实际支出450万元，执行率为95%。", "A020", "95%", "90%"),
    ("本年收入合计500万元，其中：财政拨款收入450万元，占80%；其他收入50万元，占10%。", "A020", "占80%", "占90%"),
    ("2023年支出400万元。2024年支出500万元，较上年增长20%。", "A022", "20%", "25%"),
    ("财政拨款收入310.2万元，为本级财政当年拨付的资金。较上年决算数减少40.1万元，下降15%。", "A022", "15%", "11.4%"),
    ("本年支出450万元，较2023年的500万元减少40万元，下降10%。", "A022", "40万元", "50万元"),
    ("资金总额500万元+300万元=900万元。", "A026", "900", "800"),
    ("年度结余1200万元减去200万元为900万元。", "A026", "900", "1000"),
    ("执行率=450÷500=95%。", "A026", "95%", "90%"),
    ("变动率=(63.46-32)÷32=90.31%。", "A026", "90.31%", "98.31%"),
    ("单位：元\n本年收入合计12000000，其中：财政拨款8000000，其他收入5000000。", "A011", "5000000", "4000000"),
    ("单位：万元\n项目预算1000，实际支出850，执行率80%。", "A020", "80%", "85%"),
    ("共计1.2亿元，其中中央资金8000万元，省级资金60000000元。", "A011", "60000000", "40000000"),
    ("2023年支出400万元，2024年支出500万元，同比增长20%。", "A022", "20%", "25%"),
    ("本年支出120万元，较上年100万元增长25%。", "A022", "25%", "20%"),
    ("完成农村危房改造计划任务53户。\n全区共完成农村危房改造129户，完工率200%。", "A020", "200%", "243%"),
    ("下设科室6：办公室、财务科、业务科、监督科、信息科。", "A021", "科室6", "科室5"),
    ("区城管执法局现有人员1894=187+1700人。", "A026", "1700", "1707"),
    ("资助资金4000元/人×3000人=1300万元。", "A026", "1300", "1200"),
    ("资助资金(1150+1850)×0.4=1300万元。", "A026", "1300", "1200"),
    ("本年支出合计500万元。其中：基本支出300万元；项目支出250万元。", "A011", "250万元", "200万元"),
    ("收、支总计各是4125.49,4143.91万元。与上年相比,收、支总计各减少1267.86,2570.97万元,各下降25%、38.28%。",
     "A022", "25%", "23.51%"),
    ("截至6月30日，项目预算执行率为35%，低于时间进度25个百分点。", "A029", "25个", "15个"),
    ("截至9月30日，时间进度为60%。", "A029", "60%", "75%"),
    # A sentence's second rate takes its base from before the first: the budget (30%) or the funds arrived (37.5%).
    ("年初预算安排资金500万元，已到位资金400万元，资金到位率80%，实际支出150万元，预算执行进度为35%。", "A020", "35%", "37.5%"),
    ("本项目共申请预算资金200万元,其中村级事务补助96万元,其他114万元。", "A011", "114", "104"),
    ("在职人员81人,专业技术人员57人、管理人员31人,工勤人员23人。", "A011", "31人", "1人"),
    ("包括3个单位:甲单位:行政单位、乙单位:事业单位。", "A021", "3个", "2个"),
    ("分值变动=-5+3=-3分。", "A026", "-3分", "-2分"),
    ("工资福利支出预算905709.06元,占基本支出预算70.89%。\n二、基本支出情况\n2022年一般公共预算基本支出1133753.33元。",
     "A020", "70.89%", "79.89%"),
    ("金额单位：万元。\n特殊人群医疗保险基金项目资金500,用于参保缴费。特殊人群医疗保险基金项目资金550,用于参保缴费。",
     "A024", "550", "500"),
    ("单位：元\n每人补助4000元,共3000名学生,资助资金13000000。", "A023", "13000000", "12000000"),
    ("至4月底,资金已支出21185.83万元,支出率42.02%,超序时进度5.68个百分点。", "A029", "5.68", "8.68"),
    ("2020年\"三公\"经费支出431万元,比上年累计支出433万元减少2万元,下降1.46%。", "A022", "1.46%", "0.46%"),
    ("经费预算总额为1969万元,较2024年的2190万元减少221万元,下降10.1%;其中:因公出国(境)经费40万元,较上年持平;"
     "公务接待费242万元,较上年减少12万元,下降4.7%;公务用车购置及运行维护费1787万元。", "A011", "1787", "1687"),
    ("机构设置:共设办公室(行政审批服务处)、法制处、研究室、申遗处11个内设机构。", "A021", "11个", "4个"),
    ("2.上级补助收入8.38万元,为事业单位开展业务活动取得\n的收入。较2020年度决算数减少17.40万元,下降57.5%。", "A022",
     "57.5%", "67.5%"),
])

def test_paragraph_and_arithmetic_slips(rules: RuleSet, text: str, code: str, wrong: str, right: str) -> None:
    """Each slip raises its code; the same text with the figure put right raises nothing."""
    assert code in claim_codes(text, rules)
    assert code not in claim_codes(text.replace(wrong, right), rules)


@settings(max_examples=40, deadline=None)
@given(st.lists(money, min_size=2, max_size=4), st.sampled_from(["+", "-"]),
       st.decimals(min_value=Decimal("0.01"), max_value=500, places=2), st.booleans())
def test_written_out_arithmetic(rules: RuleSet, figures: list[Decimal], op: str, bump: Decimal, slip: bool) -> None:
    """a+b(+…)=c raises A026 exactly when c is not what the figures as written give."""
    if op == "-":  # a difference written in a report is not negative
        figures[0] += sum(figures[1:], Decimal(0))
    result = figures[0] + sum(figures[1:], Decimal(0)) if op == "+" else figures[0] - sum(figures[1:], Decimal(0))
    if slip:
        result += bump
    written = op.join(f"{f}万元" for f in figures)
    assert ("A026" in claim_codes(f"资金测算：{written}={result}万元。", rules)) == slip


@settings(max_examples=40, deadline=None)
@given(money, money, st.integers(min_value=0, max_value=2), st.decimals(min_value=Decimal("0.05"), max_value=50, places=2),
       st.booleans(), st.booleans())
def test_bracketed_change_rate(rules: RuleSet, now: Decimal, before: Decimal, places: int, bump: Decimal, slip: bool,
                               hundred: bool) -> None:
    """"(a-b)÷b(×100%)=r%": r rounded (or cut off) at its own precision passes; r moved by a whole step more raises."""
    exact = (now - before) / before * 100
    step = Decimal(1).scaleb(-places)
    rate = exact.quantize(step, rounding=ROUND_HALF_UP) + (step * max(1, int(bump / step)) + step if slip else 0)
    text = f"变动率=({now}-{before})÷{before}{'×100%' if hundred else ''}={rate}%。"
    assert ("A026" in claim_codes(text, rules)) == slip


@settings(max_examples=30, deadline=None)
@given(st.decimals(min_value=10, max_value=99999, places=2), st.decimals(min_value=Decimal("0.05"), max_value=1, places=4),
       st.integers(min_value=0, max_value=2))
@example(budget=Decimal("10.00"), share=Decimal("0.9795"), places=0)  # CI: B007 reported it, not A020
def test_rate_over_a_base_stated_earlier_in_the_paragraph(rules: RuleSet, budget: Decimal, share: Decimal,
                                                          places: int) -> None:
    spent = (budget * share).quantize(Decimal("0.01"))
    rate = (spent / budget * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # the rules' rounding
    text = f"全年预算数{budget}万元。截至年底，实际支出{spent}万元，预算执行率为{rate}%。"
    assert not {"A020", "B007"} & set(claim_codes(text, rules))
    # The slip is reported once: as the claim's A020, or, where the sentence reads as the budget's own
    # 执行率 (全年预算数 … 预算执行率), by the budget check B007 that the claim then defers to.
    assert {"A020", "B007"} & set(claim_codes(text.replace(f"{rate}%", f"{rate + 3}%"), rules))


@settings(max_examples=30, deadline=None)
@given(st.decimals(min_value=100, max_value=99999, places=2), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.9"), places=3),
       st.sampled_from([1, -1]))
def test_delta_against_the_change(rules: RuleSet, current: Decimal, fraction: Decimal, sign: int) -> None:
    """"本年X万元，较上年增加/减少D万元，增长/下降P%": P is D over last year's X ∓ D."""
    change = (current * fraction).quantize(Decimal("0.01"))
    previous = current - sign * change
    pct = (change / previous * 100).quantize(Decimal("0.1"))
    words = ("增加", "增长") if sign > 0 else ("减少", "下降")
    text = f"本年支出{current}万元，较上年{words[0]}{change}万元，{words[1]}{pct}%。"
    assert "A022" not in claim_codes(text, rules)
    assert "A022" in claim_codes(text.replace(f"{pct}%", f"{pct + 5}%"), rules)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.decimals(min_value=1, max_value=99999, places=2), min_size=2, max_size=5),
       st.integers(min_value=0, max_value=4), st.decimals(min_value=Decimal("0.5"), max_value=20, places=1))
def test_shares_of_the_total_before_its_parts(rules: RuleSet, parts: list[Decimal], which: int, bump: Decimal) -> None:
    """"合计T万元，其中：a万元，占x%；b万元，占y%": each x is a ÷ T; one share moved by half a point or more raises."""
    total = sum(parts, Decimal(0))
    shares = [(p / total * 100).quantize(Decimal("0.01")) for p in parts]
    listed = "；".join(f"第{i + 1}项收入{p}万元，占{s}%" for i, (p, s) in enumerate(zip(parts, shares, strict=True)))
    text = f"本年收入合计{total}万元，其中：{listed}。"
    assert "A020" not in claim_codes(text, rules)
    k = which % len(parts)
    moved = shares[k] + bump if shares[k] + bump <= 100 else shares[k] - bump
    slipped = text.replace(f"{parts[k]}万元，占{shares[k]}%", f"{parts[k]}万元，占{moved}%")
    assert "A020" in claim_codes(slipped, rules)


@pytest.mark.parametrize("name", sorted(EXPECT["consistent_totals"]))
def test_stated_totals_and_grades_are_read(rules: RuleSet, name: str) -> None:
    from jixiao.audit import audit_document

    audit = audit_document(REAL / name, rules)
    wanted = EXPECT["consistent_totals"][name]
    assert audit.facts is not None
    assert audit.facts["total_score"] == Decimal(str(wanted["total_score"])) and audit.facts["grade"] == wanted["grade"]


def test_an_indicators_own_score_is_not_the_total() -> None:
    from jixiao.audit.facts import read_facts
    from jixiao.audit.normalise import normalise

    facts = read_facts(normalise(["产出指标自评得分为45分。", "本项目绩效自评得分为92分,自评结论为“优秀”。"]))
    assert facts.value("stated.total_score") == Decimal(92)
    assert getattr(facts.value("stated.grade"), "value", None) == "优"


def test_two_lists_of_as_many_parts_are_not_one_group(rules: RuleSet) -> None:
    """A013 needs the group named by its count ("用于6类专项"): 收入 a、b and 支出 c、d are two groups."""
    text = ("本年收入合计500万元，其中：财政拨款收入450万元；其他收入50万元。"
            "本年支出合计480万元，其中：基本支出300万元；项目支出180万元。")
    assert "A013" not in claim_codes(text, rules)
    counted = "专项资金共计600万元，其中：a项目资金400万元，b项目资金200万元。另安排专项资金共计650万元，用于2类专项。"
    assert "A013" in claim_codes(counted, rules)
