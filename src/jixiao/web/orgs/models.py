"""Organisations and who belongs to them in which role.

A membership is a scoped team entry: a user, an organisation (the scope: that organisation and
everything under it) and a role whose capabilities are listed in `jixiao.web.permissions`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction


class OrgKind(models.TextChoices):
    FINANCE = "finance", "财政局"
    DEPARTMENT = "department", "主管部门"
    UNIT = "unit", "预算单位"


class Organisation(models.Model):
    name = models.CharField("名称", max_length=200)
    code = models.CharField("编码", max_length=50, blank=True, default="")
    kind = models.CharField("类别", max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # For a unit: its supervising department (the parent), copied onto evaluations for scoping; a
    # move re-homes every copy in the same transaction (`jixiao.web.orgs.moves`).
    department = models.ForeignKey(
        "self", verbose_name="主管部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save; a unit given another department takes all its records along (logged, one transaction).

        `moved_by` (set by the admin before saving) is named in the evaluations' audit log."""
        self.department = self.parent if self.kind == OrgKind.UNIT else None
        with transaction.atomic():
            stored = None
            if self.pk is not None and self.kind == OrgKind.UNIT:
                stored = Organisation.objects.select_for_update().filter(pk=self.pk).values_list("department_id").first()
            super().save(*args, **kwargs)
            if stored is not None and stored[0] != self.department_id:
                from jixiao.web.orgs.moves import rehome

                rehome(self, stored[0], getattr(self, "moved_by", None))


class Role(models.TextChoices):
    PREPARER = "preparer", "填报人"
    UNIT_HEAD = "unit_head", "单位审核人"
    DEPARTMENT_REVIEWER = "department_reviewer", "主管部门审核人"
    FINANCE_REVIEWER = "finance_reviewer", "财政审核人"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="组织", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "成员角色"
        verbose_name_plural = "成员角色"
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class LoginFailure(models.Model):
    """A failed login, kept to throttle guessing (by user name and by address)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
