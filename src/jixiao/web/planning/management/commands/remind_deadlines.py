"""`manage.py remind_deadlines`: today's reminders of to-dos due soon or overdue (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from jixiao.web.evaluations import services as evaluation_services
from jixiao.web.planning.reminders import remind


class Command(BaseCommand):
    help = "向有即将到期或已逾期待办的用户发送提醒（站内消息；已配置邮件的同时发邮件），每人每天一次"

    def handle(self, *args: Any, **options: Any) -> None:
        days = evaluation_services.rules_for("national").monitoring.due_soon_days
        self.stdout.write(f"已提醒 {remind(timezone.localdate(), days)} 人")
