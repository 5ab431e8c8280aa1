"""Deadline reminders: once a day, each person with something due soon or overdue gets one message
(in the app, and by e-mail where mail is configured). Run by `manage.py remind_deadlines` (cron)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.urls import reverse

from jixiao.core.todo import BUCKET_LABELS, Bucket
from jixiao.web.planning.models import Notification
from jixiao.web.planning.services import notify
from jixiao.web.planning.todo import todo_for

PREFIX = "到期提醒："


def remind(today: dt.date, due_soon_days: int) -> int:
    """Send today's reminders; a person already reminded today is skipped. Returns how many were sent."""
    sent = 0
    reminded = set(Notification.objects.filter(text__startswith=PREFIX, created_at__date=today).values_list("user_id", flat=True))
    for user in User.objects.filter(is_active=True, memberships__isnull=False).distinct().order_by("id"):
        if user.pk in reminded:
            continue
        late = [e for e in todo_for(user, today, due_soon_days) if {Bucket.OVERDUE, Bucket.DUE_SOON} & set(e.buckets)]
        if not late:
            continue
        overdue = sum(1 for e in late if Bucket.OVERDUE in e.buckets)
        listed = "；".join(
            f"{e.title}（{BUCKET_LABELS[Bucket.OVERDUE if Bucket.OVERDUE in e.buckets else Bucket.DUE_SOON]}，期限 {e.deadline}）"
            for e in late[:5]
        )
        summary = f"{PREFIX}{len(late)} 项待办临近或超过期限（其中已逾期 {overdue} 项）：{listed}"
        notify([user], summary, reverse("planning:todo"))
        sent += 1
    return sent
