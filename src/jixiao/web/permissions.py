"""The one place that decides who may do what to which unit's evaluations.

A user's memberships are scoped teams: (organisation, role). The organisation is the scope — a unit,
a department (all its units) or the finance bureau (everything) — and the role brings capabilities.
Views fetch evaluations only through `visible_evaluations`, so a guessed id outside the scope is a
404, never data; `allowed` then answers each action on an evaluation the user can see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q, QuerySet

from jixiao.core.workflow import Stage, State, is_editable
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role


class Scoped(Protocol):
    """What the permission function needs of a record: whose it is and where it is in its workflow.

    Evaluations and the records of the other stages (targets, monitoring, rectification) all have it.
    """

    @property
    def unit_id(self) -> int: ...
    @property
    def department_id(self) -> int | None: ...
    @property
    def state(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def deleted_at(self) -> dt.datetime | None: ...


ScopedModel = TypeVar("ScopedModel", bound=models.Model)


class Capability(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # create, save, import, submit, withdraw, delete drafts
    COMMENT = "comment"
    REVIEW_UNIT = "review_unit"
    REVIEW_DEPARTMENT = "review_department"
    REVIEW_FINANCE = "review_finance"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PREPARER: frozenset({Capability.VIEW, Capability.EDIT, Capability.COMMENT}),
    Role.UNIT_HEAD: frozenset({Capability.VIEW, Capability.COMMENT, Capability.REVIEW_UNIT}),
    Role.DEPARTMENT_REVIEWER: frozenset({Capability.VIEW, Capability.COMMENT, Capability.REVIEW_DEPARTMENT}),
    Role.FINANCE_REVIEWER: frozenset({Capability.VIEW, Capability.COMMENT, Capability.REVIEW_FINANCE}),
}

STAGE_CAPABILITY = {
    Stage.UNIT: Capability.REVIEW_UNIT,
    Stage.DEPARTMENT: Capability.REVIEW_DEPARTMENT,
    Stage.FINANCE: Capability.REVIEW_FINANCE,
}


class Act(StrEnum):
    """What a user may ask to do with one evaluation."""

    VIEW = "view"
    DOWNLOAD = "download"
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    DELETE = "delete"
    COMMENT = "comment"
    REVIEW = "review"  # approve or return at the current stage


@dataclass(frozen=True, slots=True)
class Grant:
    organisation_id: int
    kind: str
    capabilities: frozenset[Capability]

    def covers(self, evaluation: Scoped) -> bool:
        if self.kind == OrgKind.FINANCE:
            return True
        if self.kind == OrgKind.DEPARTMENT:
            return evaluation.department_id == self.organisation_id
        return evaluation.unit_id == self.organisation_id


def grants_of(user: User | AnonymousUser) -> list[Grant]:
    if not user.is_authenticated:
        return []
    cached: list[Grant] | None = getattr(user, "_jixiao_grants", None)
    if cached is None:
        cached = [
            Grant(m.organisation_id, m.organisation.kind, ROLE_CAPABILITIES[m.role])
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ]
        user._jixiao_grants = cached  # type: ignore[attr-defined]  # per-request cache on the user object
    return cached


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def visible_evaluations(user: User | AnonymousUser, deleted: bool = False) -> QuerySet[Evaluation]:
    """Every evaluation the user may see (not soft-deleted unless `deleted`), as one filtered query."""
    return visible(user, Evaluation.objects.filter(deleted_at__isnull=not deleted))


def visible(user: User | AnonymousUser, base: QuerySet[ScopedModel]) -> QuerySet[ScopedModel]:
    """The records of `base` (any model with unit and department) in the user's scope, one query."""
    if is_admin(user):
        return base
    scope = Q(pk__in=[])
    for grant in grants_of(user):
        if Capability.VIEW not in grant.capabilities:
            continue
        if grant.kind == OrgKind.FINANCE:
            return base
        if grant.kind == OrgKind.DEPARTMENT:
            scope |= Q(department_id=grant.organisation_id)
        else:
            scope |= Q(unit_id=grant.organisation_id)
    return base.filter(scope)


def capabilities_for(user: User | AnonymousUser, evaluation: Scoped) -> frozenset[Capability]:
    caps: set[Capability] = set()
    for grant in grants_of(user):
        if grant.covers(evaluation):
            caps |= grant.capabilities
    if is_admin(user):
        caps.add(Capability.VIEW)
    return frozenset(caps)


def allowed(user: User | AnonymousUser, act: Act, evaluation: Scoped) -> bool:
    """May `user` do `act` to `evaluation` (or another stage's record) now, given its workflow state?"""
    caps = capabilities_for(user, evaluation)
    if Capability.VIEW not in caps or evaluation.deleted_at is not None:
        return False
    state = State(evaluation.state)
    if act in (Act.VIEW, Act.DOWNLOAD):
        return True
    if act is Act.COMMENT:
        return Capability.COMMENT in caps
    if act is Act.EDIT:
        return Capability.EDIT in caps and is_editable(state)
    if act is Act.SUBMIT:
        return Capability.EDIT in caps and is_editable(state)
    if act is Act.WITHDRAW:
        return Capability.EDIT in caps and state is State.PENDING and evaluation.stage == Stage.UNIT
    if act is Act.DELETE:
        return Capability.EDIT in caps and state in (State.DRAFT, State.WITHDRAWN)
    if act is Act.REVIEW:
        return state is State.PENDING and bool(evaluation.stage) and STAGE_CAPABILITY[Stage(evaluation.stage)] in caps
    return False


def units_to_prepare(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Units for which the user may create evaluations."""
    ids = [g.organisation_id for g in grants_of(user) if Capability.EDIT in g.capabilities and g.kind == OrgKind.UNIT]
    return Organisation.objects.filter(pk__in=ids, kind=OrgKind.UNIT)


def reviews_anything(user: User | AnonymousUser) -> bool:
    """Whether the user reviews at some stage (so a "待我审核" list means something to them)."""
    return any(cap in g.capabilities for g in grants_of(user) for cap in STAGE_CAPABILITY.values())


def waiting_for(user: User | AnonymousUser) -> QuerySet[Evaluation]:
    """Pending evaluations at a stage this user reviews, within the user's scope."""
    stages = [stage for stage, cap in STAGE_CAPABILITY.items() if any(cap in g.capabilities for g in grants_of(user))]
    if not stages:
        return Evaluation.objects.none()
    scope = Q(pk__in=[])
    for grant in grants_of(user):
        for stage, cap in STAGE_CAPABILITY.items():
            if cap not in grant.capabilities:
                continue
            where = Q(stage=stage.value)
            if grant.kind == OrgKind.DEPARTMENT:
                where &= Q(department_id=grant.organisation_id)
            elif grant.kind == OrgKind.UNIT:
                where &= Q(unit_id=grant.organisation_id)
            scope |= where
    return Evaluation.objects.filter(deleted_at__isnull=True, state=State.PENDING.value).filter(scope)
