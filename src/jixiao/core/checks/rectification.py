"""Checks on a rectification list (问题整改清单): each item's state matches what was filled in, dates in order.

A reviewer reading a list asks: is every item about a stated problem from a named source, does
each closed item carry the unit's feedback and the reviewer's opinion, do the deadlines follow
the notice, and which open items are overdue at the list's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.core.checks.registry import Hit
from jixiao.core.checks.stages import StageRegistry
from jixiao.core.findings import Finding, Severity
from jixiao.core.rectification import ITEM_STATE_LABELS, ItemState, RectificationItem, RectificationList, is_overdue


@dataclass(frozen=True, slots=True)
class RectificationContext:
    items: RectificationList
    as_of: dt.date  # the day overdue is judged at


RECTIFICATION_CHECKS: StageRegistry[RectificationContext] = StageRegistry("rectification")
check = RECTIFICATION_CHECKS.check

# What each state requires to have been filled in on the way there.
PLANNED_OR_LATER = (ItemState.PLANNED, ItemState.FEEDBACK, ItemState.CLOSED)
REPORTED = (ItemState.FEEDBACK, ItemState.CLOSED)


def run_rectification_checks(items: RectificationList, as_of: dt.date) -> list[Finding]:
    """Every check of the list; open items past their deadline at `as_of` are overdue."""
    return RECTIFICATION_CHECKS.run(RectificationContext(items, as_of))


def blank(text: str | None) -> bool:
    return not (text or "").strip()


def label(item: RectificationItem) -> str:
    return f"整改事项{item.code}"


def each(ctx: RectificationContext) -> Iterator[tuple[str, RectificationItem]]:
    for i, item in enumerate(ctx.items.items):
        yield f"items[{i}]", item


@check("R001", Severity.ERROR, "整改事项缺少存在的问题")
def has_problem(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if blank(item.problem):
            yield Hit(f"{label(item)}未写明存在的问题（problem）：整改对象不明", f"{path}.problem")


@check("R002", Severity.ERROR, "整改事项缺少问题来源")
def has_source(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if item.source is None:
            yield Hit(f"{label(item)}未写明问题来源（source：绩效自评、报告审查、抽查复核、财政评审或绩效监控）", f"{path}.source")


@check("R003", Severity.ERROR, "整改事项编号重复")
def codes_unique(ctx: RectificationContext) -> Iterator[Hit]:
    seen: set[str] = set()
    for path, item in each(ctx):
        if item.code in seen:
            yield Hit(f"整改事项编号“{item.code}”重复：每个事项的编号应唯一", f"{path}.code")
        seen.add(item.code)


@check("R004", Severity.ERROR, "整改期限早于整改通知下发日期")
def deadline_after_notice(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if item.noticed_on is not None and item.deadline < item.noticed_on:
            yield Hit(
                f"{label(item)}的整改期限{item.deadline.isoformat()}早于整改通知下发日期{item.noticed_on.isoformat()}",
                f"{path}.deadline", related=(f"{path}.noticed_on",),
            )


@check("R005", Severity.ERROR, "已报整改方案的事项未填写整改方案")
def planned_has_plan(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if item.state in PLANNED_OR_LATER and blank(item.plan):
            yield Hit(f"{label(item)}状态为“{ITEM_STATE_LABELS[item.state]}”，但未填写整改方案（plan）", f"{path}.plan")


@check("R006", Severity.ERROR, "已反馈或已销号的事项未填写整改结果反馈")
def reported_has_feedback(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if item.state in REPORTED and blank(item.feedback):
            yield Hit(
                f"{label(item)}状态为“{ITEM_STATE_LABELS[item.state]}”，但没有整改单位的整改结果反馈（feedback）",
                f"{path}.feedback",
            )


@check("R007", Severity.ERROR, "已销号的事项未填写复核意见")
def closed_was_reviewed(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if item.state is ItemState.CLOSED and blank(item.review_note):
            yield Hit(f"{label(item)}已销号，但没有复核意见（review_note）：销号须经复核", f"{path}.review_note")


@check("R008", Severity.ERROR, "销号日期早于整改通知下发日期")
def closed_after_notice(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if item.closed_on is not None and item.noticed_on is not None and item.closed_on < item.noticed_on:
            yield Hit(
                f"{label(item)}的销号日期{item.closed_on.isoformat()}早于整改通知下发日期{item.noticed_on.isoformat()}",
                f"{path}.closed_on", related=(f"{path}.noticed_on",),
            )


@check("R009", Severity.WARNING, "未销号的事项已超过整改期限")
def overdue(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if is_overdue(item.deadline, ctx.as_of, done=not item.is_open):
            days = (ctx.as_of - item.deadline).days
            yield Hit(
                f"{label(item)}（{item.unit}）整改期限{item.deadline.isoformat()}，截至{ctx.as_of.isoformat()}"
                f"已逾期{days}天，状态仍为“{ITEM_STATE_LABELS[item.state]}”",
                f"{path}.deadline",
            )


@check("R010", Severity.WARNING, "未销号的事项填写了销号日期")
def open_not_closed_on(ctx: RectificationContext) -> Iterator[Hit]:
    for path, item in each(ctx):
        if item.is_open and item.closed_on is not None:
            yield Hit(
                f"{label(item)}填写了销号日期{item.closed_on.isoformat()}，状态却是“{ITEM_STATE_LABELS[item.state]}”",
                f"{path}.closed_on", related=(f"{path}.state",),
            )
