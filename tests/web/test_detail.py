"""The evaluation page shows every figure as entered, zeros included."""

from __future__ import annotations

import re

from django.urls import reverse

from .conftest import World


def test_zero_actual_value_is_shown_not_hidden(world: World) -> None:
    evaluation = world.evaluation()
    page = world.client("prep_a1").get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    row = next(r for r in page.split("<tr>") if "社会消费品零售总额增长率" in r)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[4].strip() == "0%"  # the seed's actual 0% (a zero, not a blank cell)
