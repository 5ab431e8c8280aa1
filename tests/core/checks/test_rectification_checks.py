"""Rectification list checks (R…): what each state requires, dates in order, overdue at the list's date."""

from datetime import date

from jixiao.core.checks.rectification import run_rectification_checks
from jixiao.core.rectification import ItemState, RectificationList, overdue_items
from stage_builders import rectification, with_item

SEPT = date(2025, 9, 30)


def found(items: RectificationList, as_of: date = SEPT) -> list[tuple[str, str | None]]:
    return [(f.code, f.field) for f in run_rectification_checks(items, as_of)]


def test_the_template_is_clean_at_its_own_date() -> None:
    items = rectification()
    assert items.as_of == SEPT and found(items) == []


def test_items_inherit_the_lists_year_unit_and_notice_date() -> None:
    items = rectification(unit="共同单位")
    data = items.model_dump()
    for item in data["items"]:
        item.pop("unit")
    again = RectificationList.model_validate(data)
    assert {i.unit for i in again.items} == {"共同单位"}
    assert {i.year for i in again.items} == {2024} and {i.noticed_on for i in again.items} == {date(2025, 5, 10)}


def test_a_closed_item_needs_feedback_and_review() -> None:
    no_feedback = with_item(rectification(), "ZG-2024-001", feedback=None)
    assert found(no_feedback) == [("R006", "items[0].feedback")]
    no_review = with_item(rectification(), "ZG-2024-001", review_note="  ")
    findings = run_rectification_checks(no_review, SEPT)
    assert [f.code for f in findings] == ["R007"] and "ZG-2024-001" in findings[0].message and "复核" in findings[0].message


def test_each_state_needs_what_leads_to_it() -> None:
    assert found(with_item(rectification(), "ZG-2024-002", plan=None)) == [("R005", "items[1].plan")]
    assert found(with_item(rectification(), "ZG-2024-002", state=ItemState.FEEDBACK)) == [("R006", "items[1].feedback")]
    # a noticed item needs nothing yet
    assert found(with_item(rectification(), "ZG-2024-003", plan=None, feedback=None)) == []


def test_dates_in_order() -> None:
    early = with_item(rectification(), "ZG-2024-003", deadline=date(2025, 5, 1))
    findings = run_rectification_checks(early, SEPT)
    assert [f.code for f in findings] == ["R004", "R009"]  # and, still open, long overdue
    assert "2025-05-01" in findings[0].message and "2025-05-10" in findings[0].message
    assert findings[0].related == ("items[2].noticed_on",)
    assert found(with_item(rectification(), "ZG-2024-001", closed_on=date(2025, 5, 1))) == [("R008", "items[0].closed_on")]
    assert found(with_item(rectification(), "ZG-2024-002", closed_on=date(2025, 9, 1))) == [("R010", "items[1].closed_on")]


def test_open_items_past_their_deadline_are_overdue_at_the_date_given() -> None:
    items = rectification()
    later = date(2025, 11, 15)
    findings = run_rectification_checks(items, later)
    assert [(f.code, f.field) for f in findings] == [("R009", "items[1].deadline")]
    assert "已逾期15天" in findings[0].message and "已报整改方案" in findings[0].message
    # the closed item's deadline (2025-08-31) passed too, but a closed item is never overdue
    assert [i.code for i in overdue_items(items.items, date(2026, 1, 5))] == ["ZG-2024-002", "ZG-2024-003"]


def test_an_item_without_problem_or_source_and_duplicate_codes() -> None:
    assert found(with_item(rectification(), "ZG-2024-003", problem="", source=None)) == [
        ("R001", "items[2].problem"), ("R002", "items[2].source"),
    ]
    data = rectification().model_dump()
    data["items"][2]["code"] = "ZG-2024-001"
    assert found(RectificationList.model_validate(data)) == [("R003", "items[2].code")]


def test_chinese_labels_for_source_and_state() -> None:
    items = with_item(rectification(), "ZG-2024-003", source="抽查复核", state="已下发整改通知")
    assert items.items[2].source == "spot_check" and items.items[2].state is ItemState.NOTICED
