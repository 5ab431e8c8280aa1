"""The chain: a self-evaluation from the approved targets and monitoring, and the migration back."""

from decimal import Decimal as D
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core.chain import evaluation_indicators, targets_from_evaluation
from jixiao.core.checks.chain import run_chain_checks
from jixiao.core.evaluate import evaluate
from jixiao.core.targets import EntryStage
from jixiao.io.evaluation_file import read_evaluation
from jixiao.io.rules_file import load_rules
from stage_builders import declaration, monitoring

RULES = load_rules("national")
EXAMPLES = Path(__file__).parents[2] / "examples"
ADJUSTED = [{"code": "XM-001", "target": 80, "reason": "上级调减任务量", "decision": "approved"}]


def test_self_evaluation_takes_the_approved_targets_and_the_monitoring_values() -> None:
    decl = declaration(adjustments=ADJUSTED)
    indicators = evaluation_indicators(decl, monitoring())
    first = indicators[0]
    assert (first.code, first.target, first.mid_year, first.actual) == ("XM-001", 80, 50, None)
    assert indicators[4].mid_year_note == "上半年受施工季节影响"
    assert [i.code for i in indicators] == [i.code for i in decl.indicators]


def test_final_values_survive_a_new_adjustment_but_targets_do_not() -> None:
    first = evaluation_indicators(declaration(), monitoring())
    typed = [i.model_copy(update={"actual": D(99), "target": D(1)}) for i in first]  # a target typed over is ignored
    again = evaluation_indicators(declaration(adjustments=ADJUSTED), monitoring(), previous=typed)
    assert again[0].actual == 99 and again[0].target == 80


def test_an_evaluation_that_changed_a_target_is_flagged() -> None:
    ev = read_evaluation(EXAMPLES / "rural-roads-project-2024.yaml")
    decl = targets_from_evaluation(ev)
    coded = ev.model_copy(update={"indicators": [i.model_copy(update={"code": t.code}) for i, t in zip(ev.indicators, decl.indicators, strict=True)]})
    assert run_chain_checks(decl, evaluation=coded) == []
    changed = coded.model_copy(update={"indicators": [coded.indicators[0].model_copy(update={"target": 1}), *coded.indicators[1:]]})
    assert [f.code for f in run_chain_checks(decl, evaluation=changed)] == ["C003"]
    assert sorted(f.code for f in run_chain_checks(decl, evaluation=ev)) == ["C004"] * 7 + ["C005"] * 7  # no codes: no match by name


def test_migration_marks_targets_entered_at_self_evaluation_and_keeps_scores() -> None:
    for path in sorted(EXAMPLES.glob("*-2024.yaml")):
        ev = read_evaluation(path)
        decl = targets_from_evaluation(ev)
        assert decl.entered_at is EntryStage.SELF_EVALUATION
        assert [i.name for i in decl.indicators] == [i.name for i in ev.indicators]
        rebuilt = evaluation_indicators(decl, previous=[i.model_copy(update={"code": t.code}) for i, t in zip(ev.indicators, decl.indicators, strict=True)])
        before = evaluate(ev, RULES).scorecard.total_score
        after = evaluate(ev.model_copy(update={"indicators": rebuilt}), RULES).scorecard.total_score
        assert before == after, path.name


@given(st.lists(st.sampled_from(["approved", "refused", "pending"]), max_size=6), st.lists(st.integers(1, 500), min_size=6, max_size=6))
def test_a_targets_history_survives_every_step(decisions: list[str], values: list[int]) -> None:
    adjustments = [{"code": "XM-005", "target": v, "reason": "调整", "decision": d} for d, v in zip(decisions, values, strict=False)]
    decl = declaration(adjustments=adjustments)
    approved = [v for d, v in zip(decisions, values, strict=False) if d == "approved"]
    indicators = evaluation_indicators(decl, monitoring())
    assert indicators[4].target == (approved[-1] if approved else 1000)
    assert indicators[4].code == "XM-005" and indicators[4].mid_year == 300


def test_a_form_without_codes_adopts_the_codes_of_the_same_names() -> None:
    from jixiao.core.chain import adopt_codes, code_from_names

    decl = declaration(adjustments=[{"code": "XM-001", "target": 90, "reason": "上级调减任务量", "decision": "approved"}])
    data = decl.model_dump()
    for ind in data["indicators"]:
        ind["code"] = code_from_names(ind["level1"].value, ind["level2"], ind["name"])
    data["adjustments"][0]["code"] = data["indicators"][0]["code"]
    data["indicators"][1]["level2"] = "质量"  # typed differently on the form: the name alone still matches
    data["indicators"][2]["name"] = "某个新指标"  # matches nothing: keeps its name code
    named = type(decl).model_validate(data)
    assert code_from_names("产出", "数量指标", "完成数量") == code_from_names(" 产出", "数量指标 ", "完成数量")
    adopted = adopt_codes(named, decl)
    assert [i.code for i in adopted.indicators] == [
        ind.code if n != 2 else named.indicators[2].code for n, ind in enumerate(decl.indicators)]
    assert adopted.adjustments[0].code == "XM-001"
    from datetime import date

    from jixiao.core.chain import monitoring_from_targets

    found = run_chain_checks(decl, monitoring=monitoring_from_targets(adopted, date(2025, 6, 30), D(0)))
    assert [f.code for f in found] == ["C001"] and "某个新指标" in found[0].message  # only the unmatched row
    twice = adopt_codes(type(decl).model_validate({**data, "indicators": [data["indicators"][0], {**data["indicators"][0], "level2": "别的", "code": "N-x"}]}), decl)
    assert [i.code for i in twice.indicators] == ["XM-001", "N-x"]  # one code is never given to two rows
