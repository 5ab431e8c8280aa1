"""Checks a workflow action must pass on the locked evaluation row, beyond role and state.

`services.transition` locks the row (SELECT ... FOR UPDATE) and then asks these, so what they see
cannot change before the action is written:
- the action was taken on the version that is current now (a page opened before someone saved,
  submitted or approved is refused, never applied to figures its user has not seen);
- separation of duties: whoever saved the submitted version cannot approve it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from jixiao.core.workflow import ACTION_LABELS, Action
from jixiao.web.evaluations.models import Evaluation, EvaluationVersion


class StaleVersion(Exception):
    """The evaluation moved on since the page the action came from was shown (HTTP 409)."""

    def __init__(self, evaluation: Evaluation, action: Action, seen: int | None) -> None:
        self.evaluation = evaluation
        self.seen = seen
        label = ACTION_LABELS[action]
        if seen is None:
            text = f"未能{label}：请求中没有注明您看到的版本。请刷新页面，核对后再操作。"
        elif seen != evaluation.current_version:
            text = (f"未能{label}：您看到的是第 {seen} 版，而自评已更新为第 {evaluation.current_version} 版。"
                    "请刷新页面，核对最新内容后再操作。")
        else:
            text = f"未能{label}：自评的状态已被他人改变（现为{evaluation.state_label}）。请刷新页面后再操作。"
        super().__init__(text)


def require_current(locked: Evaluation, action: Action, seen: int | None, seen_state: str | None = None) -> None:
    """Refuse unless `seen` (the version on the user's page) is still the current version."""
    if seen is None or seen != locked.current_version or (seen_state is not None and seen_state != locked.state):
        raise StaleVersion(locked, action, seen)


SEPARATION = "不相容职务分离：送审的这一版由您本人保存，不能由您审核通过；请由其他审核人审核。"


def saver_of_current(locked: Evaluation) -> int | None:
    return (EvaluationVersion.objects.filter(evaluation=locked, number=locked.current_version)
            .values_list("created_by_id", flat=True).first())


def require_separation(user: User | AnonymousUser, locked: Evaluation, action: Action) -> None:
    if action is Action.APPROVE and user.is_authenticated and saver_of_current(locked) == user.pk:
        raise PermissionDenied(SEPARATION)
