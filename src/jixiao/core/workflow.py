"""The review workflow as a pure state table: who may move an evaluation from which state to which.

草稿 draft → (送审 submit) → 待审核 pending at the unit head, then the supervising department, then the
finance bureau; each reviewer approves (审核, on to the next stage, 已审核 after the last) or returns it
(退回 → 被退回 returned). The preparer may withdraw (撤回) while nobody has approved it yet.
Draft, returned and withdrawn evaluations are editable; pending and approved ones are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    PENDING = "pending"
    RETURNED = "returned"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


STATE_LABELS = {
    State.DRAFT: "草稿",
    State.PENDING: "待审核",
    State.RETURNED: "被退回",
    State.APPROVED: "已审核",
    State.WITHDRAWN: "已撤回",
}


class Stage(StrEnum):
    """Who reviews next while an evaluation is pending, in order."""

    UNIT = "unit"
    DEPARTMENT = "department"
    FINANCE = "finance"


STAGE_LABELS = {Stage.UNIT: "单位审核", Stage.DEPARTMENT: "主管部门审核", Stage.FINANCE: "财政审核"}
STAGES = (Stage.UNIT, Stage.DEPARTMENT, Stage.FINANCE)


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    RETURN = "return"


ACTION_LABELS = {Action.SUBMIT: "送审", Action.WITHDRAW: "撤回", Action.APPROVE: "审核通过", Action.RETURN: "退回"}

EDITABLE = frozenset({State.DRAFT, State.RETURNED, State.WITHDRAWN})


@dataclass(frozen=True, slots=True)
class Position:
    state: State
    stage: Stage | None = None


class TransitionError(Exception):
    """An action that the workflow does not allow from the current position (message in Chinese)."""


def next_position(current: Position, action: Action) -> Position:
    """Where `action` takes an evaluation at `current`; TransitionError when it is not allowed."""
    state, stage = current.state, current.stage
    if action is Action.SUBMIT and state in EDITABLE:
        return Position(State.PENDING, Stage.UNIT)
    if action is Action.WITHDRAW and state is State.PENDING and stage is Stage.UNIT:
        return Position(State.WITHDRAWN)
    if action is Action.APPROVE and state is State.PENDING and stage is not None:
        later = STAGES[STAGES.index(stage) + 1 :]
        return Position(State.PENDING, later[0]) if later else Position(State.APPROVED)
    if action is Action.RETURN and state is State.PENDING:
        return Position(State.RETURNED)
    where = STATE_LABELS[state] + (f"（{STAGE_LABELS[stage]}）" if stage else "")
    raise TransitionError(f"当前状态为“{where}”，不能{ACTION_LABELS[action]}")


def is_editable(state: State) -> bool:
    return state in EDITABLE
