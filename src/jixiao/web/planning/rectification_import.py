"""A 整改清单 uploaded by a reviewer: each new row becomes a rectification notice to its unit.

A finance bureau or a department often keeps the problems it found in a spreadsheet (or receives
them from an audit) and issues them all at once. The file is the one `jixiao init --kind
rectification` writes and the web app's download gives (YAML/JSON, or the 整改清单 .xlsx/.docx).
What it may bring is what a notice has: unit, year, source, problem, requirement, deadline and the
indicator concerned. The plan, feedback and closing are the unit's and the reviewer's steps in the
web app, so a new row that says it is already further along is refused rather than silently
stripped. A row whose code is an item already issued (a downloaded list sent back) is skipped, not
issued twice; so is a row stating, for the same unit and year, a problem already issued word for word (the
same hand-made list uploaded again). Every problem names the file and the cell or line; one problem refuses the whole file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from jixiao.core.checks.rectification import run_rectification_checks
from jixiao.core.findings import Severity
from jixiao.core.rectification import ITEM_STATE_LABELS, ItemState, RectificationItem, RectificationList
from jixiao.io.errors import InputError, Problem
from jixiao.io.kinds import FILE_NAMES
from jixiao.io.stage_file import StageDocument
from jixiao.web.orgs.models import Organisation
from jixiao.web.planning.uploads import Where

# The code the web app gives an item (models.Rectification.code): ZG-<year>-<id>.
ISSUED_CODE = re.compile(r"^ZG-(\d{4})-(\d+)$")


@dataclass(frozen=True, slots=True)
class Notice:
    """One row of the file as the notice it becomes."""

    unit: Organisation
    item: RectificationItem


def issued_pk(code: str) -> tuple[int, int] | None:
    """(year, id) of a code the web app gave, None for any other code (a hand-made list's 1, 2, 3 …)."""
    match = ISSUED_CODE.match(code.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def _row_of(field: str | None) -> int | None:
    match = re.match(r"items\[(\d+)\]", field or "")
    return int(match.group(1)) if match else None


def _fields(field: str | None) -> list[str]:
    """A finding's field, then its row: a field the file left out (no source) has no place of its own."""
    row = _row_of(field)
    return [f for f in (field, None if row is None else f"items[{row}]") if f]


def notices_from(document: StageDocument, source: str, table: bool, units: list[Organisation],
                 issued: set[tuple[int, int]], today: dt.date,
                 problems_issued: dict[tuple[int, int, str], str] | None = None) -> tuple[list[Notice], list[str]]:
    """The notices a list issues, and the codes of its rows already issued (skipped).

    `units`: the units the user may send notices to; `issued`: (year, id) of the items the user sees;
    `problems_issued`: the code of each item the user sees by (unit id, year, problem).
    InputError(source) lists every row that cannot be issued; nothing is issued then."""
    listed = document.model
    if not isinstance(listed, RectificationList):
        raise InputError(source, [Problem(
            f"这是{FILE_NAMES[listed.stage]}，不是问题整改清单；导入整改事项请上传 stage: rectification 的 YAML/JSON，"
            "或本系统导出的整改清单 .xlsx/.docx")])
    where = Where(document.locations, table)
    by_name: dict[str, list[Organisation]] = {}
    for unit in units:
        by_name.setdefault(unit.name.strip(), []).append(unit)
    already = {i for i, item in enumerate(listed.items) if issued_pk(item.code) in issued}
    # The list's own rules (R…) on the rows to issue; a row already issued is the web app's, not the file's
    problems = [
        where.problem(f"{f.code} {f.message}", *_fields(f.field))
        for f in run_rectification_checks(listed, today)
        if f.severity is Severity.ERROR and _row_of(f.field) not in already
    ]
    notices: list[Notice] = []
    skipped = [listed.items[i].code for i in sorted(already)]
    for i, item in enumerate(listed.items):
        at = f"items[{i}]"
        if i in already:
            continue
        if item.state is not ItemState.NOTICED or item.plan or item.feedback or item.review_note:
            problems.append(where.problem(
                f"整改事项{item.code}已是“{ITEM_STATE_LABELS[item.state]}”或已写有整改方案、反馈或复核意见；导入只下发新的整改通知，"
                "整改方案、结果反馈和复核销号由整改单位和复核人在系统中逐项办理。请删去这些内容或把状态改为“已下发整改通知”",
                f"{at}.state", at))
            continue
        found = by_name.get(item.unit.strip(), [])
        if len(found) != 1:
            why = "有多个同名单位，请在网页上逐项下发" if found else "不在您可下发整改通知的范围内（请核对单位全称）"
            problems.append(where.problem(f"整改单位“{item.unit}”{why}", f"{at}.unit", at))
            continue
        same = (problems_issued or {}).get((found[0].pk, item.year, (item.problem or "").strip()))
        if same is not None:  # the same list uploaded again: its rows carry no ZG- code, their problems are issued
            skipped.append(same)
            continue
        if item.deadline < today:
            problems.append(where.problem(
                f"整改事项{item.code}的整改期限 {item.deadline.isoformat()} 已过，新下发的整改通知期限应不早于今天（{today.isoformat()}）",
                f"{at}.deadline", at))
            continue
        notices.append(Notice(found[0], item))
    if problems:
        raise InputError(source, problems)
    return notices, skipped
