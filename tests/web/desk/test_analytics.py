"""The desk's pure analytics: each anomaly rule next to the input that trips it (no database)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.web.desk.analytics import (
    AnomalyCode,
    IndicatorFact,
    Narrative,
    YearIndicator,
    all_exactly_100,
    anomaly_kinds,
    compare_years,
    grade_for,
    high_total_many_errors,
    indicator_hits,
    low_execution_high_total,
    narrative_hits,
    sentences_of,
)


def fact(**changes: object) -> IndicatorFact:
    values: dict[str, object] = dict(evaluation_id=1, position=0, name="培训人数", kind="quantitative", direction="positive",
                                     target=Decimal(100), mid_year=None, actual=Decimal(100), weight=1000, score=1000,
                                     completion_rate=10000, met=True)
    values.update(changes)
    return IndicatorFact(**values)  # type: ignore[arg-type]


def codes(f: IndicatorFact) -> set[AnomalyCode]:
    return {h.code for h in indicator_hits(f)}


def test_every_kind_has_a_chinese_title_and_explanation() -> None:
    kinds = anomaly_kinds()
    assert set(kinds) == set(AnomalyCode)
    assert all(k.title and "。" in k.why for k in kinds.values())


def test_a_plain_met_indicator_is_no_anomaly() -> None:
    assert codes(fact()) == set()


def test_target_exceeded_by_30_percent_is_set_too_low() -> None:
    assert codes(fact(actual=Decimal(130), completion_rate=13000)) == {AnomalyCode.TARGET_TOO_LOW}
    assert codes(fact(actual=Decimal(129), completion_rate=12900)) == set()
    assert codes(fact(direction="reverse", completion_rate=13000)) == set()


def test_docked_though_met_and_full_though_missed() -> None:
    assert codes(fact(score=800)) == {AnomalyCode.DOCKED_THOUGH_MET}
    assert codes(fact(met=False, completion_rate=8000, actual=Decimal(80))) == {AnomalyCode.FULL_THOUGH_MISSED}
    assert codes(fact(met=False, completion_rate=8000, actual=Decimal(80), score=800)) == set()


def test_a_reverse_indicator_missed() -> None:
    found = indicator_hits(fact(direction="reverse", met=False, score=500, target=Decimal(5), actual=Decimal(8)))
    assert [h.code for h in found] == [AnomalyCode.REVERSE_MISSED]
    assert "目标 5，实际 8" in found[0].detail


def test_mid_year_jumps() -> None:
    assert codes(fact(mid_year=Decimal(20))) == {AnomalyCode.MID_YEAR_JUMP}
    assert codes(fact(mid_year=Decimal(30))) == set()
    assert codes(fact(mid_year=Decimal(120))) == {AnomalyCode.MID_YEAR_JUMP}  # a cumulative value went down


def test_evaluation_level_rules() -> None:
    assert all_exactly_100([10000, 10000, 10000])
    assert not all_exactly_100([10000])
    assert not all_exactly_100([10000, 9999])
    assert not all_exactly_100([10000, None])
    assert high_total_many_errors(9200, 3) and not high_total_many_errors(8900, 5) and not high_total_many_errors(9500, 2)
    assert low_execution_high_total(5000, 9000) and not low_execution_high_total(None, 9000)
    assert not low_execution_high_total(8500, 9500)
    bands = [("优", 9000), ("良", 8000), ("中", 6000), ("差", 0)]
    assert [grade_for(t, bands) for t in (9000, 8999, 6000, 0)] == ["优", "良", "中", "差"]


def test_sentences_drop_short_ones_and_keep_the_text() -> None:
    text = "无。全年共组织开展招商引资推介活动十二场，签约项目八个。详见附件。"
    assert sentences_of(text) == ["全年共组织开展招商引资推介活动十二场，签约项目八个。"]


SHARED = "通过开展绩效自评，进一步强化了预算单位的绩效意识，提高了财政资金的使用效益。"


def test_near_duplicate_sentences_across_units_and_from_last_year() -> None:
    this_year = [
        Narrative(1, 10, 2024, (SHARED, "本单位全年完成职业技能培训一千二百人次，就业率明显提升。")),
        Narrative(2, 20, 2024, (SHARED.replace("进一步", "有效"), "学校新建塑胶跑道一条，改造教室六间，教学条件改善。")),
        Narrative(3, 30, 2024, ("幼儿园全年保育保教工作平稳有序，家长满意度调查结果良好。",)),
    ]
    last_year = [Narrative(9, 30, 2023, ("幼儿园全年保育保教工作平稳有序，家长满意度调查结果良好。",))]
    hits = narrative_hits(this_year, last_year)
    same = {(h.evaluation_id, h.other_evaluation_id) for h in hits if h.code is AnomalyCode.SAME_NARRATIVE}
    copied = {(h.evaluation_id, h.other_evaluation_id) for h in hits if h.code is AnomalyCode.COPIED_FROM_LAST_YEAR}
    assert same == {(1, 2), (2, 1)}
    assert copied == {(3, 9)}


def test_year_over_year_kept_dropped_added_and_lowered() -> None:
    def ind(key: str, target: str, direction: str = "positive") -> YearIndicator:
        return YearIndicator(key, key, direction, Decimal(target), None, 0)

    change = compare_years([ind("a", "100"), ind("b", "10"), ind("c", "5", "reverse")],
                           [ind("a", "80"), ind("c", "6", "reverse"), ind("d", "1")])
    assert [a.key for a, _ in change.kept] == ["a", "c"]
    assert [i.key for i in change.dropped] == ["b"] and [i.key for i in change.added] == ["d"]
    assert [a.key for a, _ in change.lowered] == ["a", "c"]


def test_problems_worded_alike_are_grouped_whoever_wrote_them() -> None:
    from jixiao.web.desk.analytics import similar_groups

    texts = [
        (1, "部分项目预算执行进度偏慢，资金支付集中在第四季度。"),
        (2, "部分项目预算执行进度偏慢，资金支付集中于第四季度。"),  # one character apart (Jaccard 0.76)
        (3, "部分项目预算执行进度偏慢,资金支付集中在第四季度!"),  # the punctuation apart
        (3, "专业人员不足，绩效管理能力有待提高。"),
        (4, "专业人员不足，绩效管理能力有待提高。"),
        (5, "政策宣传力度不够，服务对象满意度调查覆盖面不广。"),
    ]
    groups = similar_groups(texts)
    assert groups[0] == ("部分项目预算执行进度偏慢，资金支付集中在第四季度。", 3)
    assert ("专业人员不足，绩效管理能力有待提高。", 2) in groups
    assert ("政策宣传力度不够，服务对象满意度调查覆盖面不广。", 1) in groups
    assert similar_groups(texts, limit=1) == [(texts[0][1], 1)]  # bounded: later new wordings are left out
