"""`manage.py targets_from_evaluations`: existing evaluations' indicators become targets (entered at self-evaluation)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.web.planning.services import targets_from_evaluations


class Command(BaseCommand):
    help = "为已有自评补录绩效目标（标记为“自评时补录”），以便以后年度对照"

    def handle(self, *args: Any, **options: Any) -> None:
        created = targets_from_evaluations()
        self.stdout.write(f"已补录 {created} 份绩效目标")
