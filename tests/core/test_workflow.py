"""The review workflow's state table: every allowed move and a refusal for the rest."""

import pytest

from jixiao.core.workflow import Action, Position, Stage, State, TransitionError, is_editable, next_position

DRAFT = Position(State.DRAFT)


def test_full_chain_to_approved() -> None:
    at = next_position(DRAFT, Action.SUBMIT)
    assert at == Position(State.PENDING, Stage.UNIT)
    at = next_position(at, Action.APPROVE)
    assert at == Position(State.PENDING, Stage.DEPARTMENT)
    at = next_position(at, Action.APPROVE)
    assert at == Position(State.PENDING, Stage.FINANCE)
    assert next_position(at, Action.APPROVE) == Position(State.APPROVED)


@pytest.mark.parametrize("stage", list(Stage))
def test_any_stage_can_return(stage: Stage) -> None:
    assert next_position(Position(State.PENDING, stage), Action.RETURN) == Position(State.RETURNED)


def test_withdraw_only_before_any_approval() -> None:
    assert next_position(Position(State.PENDING, Stage.UNIT), Action.WITHDRAW) == Position(State.WITHDRAWN)
    with pytest.raises(TransitionError, match="不能撤回"):
        next_position(Position(State.PENDING, Stage.DEPARTMENT), Action.WITHDRAW)


@pytest.mark.parametrize("state", [State.RETURNED, State.WITHDRAWN, State.DRAFT])
def test_editable_states_can_be_resubmitted(state: State) -> None:
    assert is_editable(state)
    assert next_position(Position(state), Action.SUBMIT) == Position(State.PENDING, Stage.UNIT)


@pytest.mark.parametrize("action", list(Action))
def test_approved_is_final(action: Action) -> None:
    assert not is_editable(State.APPROVED)
    with pytest.raises(TransitionError, match="已审核"):
        next_position(Position(State.APPROVED), action)


def test_pending_cannot_be_submitted_again() -> None:
    with pytest.raises(TransitionError, match="待审核"):
        next_position(Position(State.PENDING, Stage.FINANCE), Action.SUBMIT)
