"""Query counts of the main pages (list, edit, save), so an N+1 or an extra lookup shows as a failure.

The counts must not depend on how many evaluations exist: the list is paginated and each row's unit
comes in the same query (select_related), the edit page reads one evaluation and one version.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.timezone import localtime

from jixiao.web.evaluations.models import Evaluation

from .conftest import World, form_post

# session, user, memberships, then the page's own queries
LIST_QUERIES = 3 + 3  # count for the paginator, the "waiting for me" count, the page of rows
# a preparer reviews nothing (no "waiting" count) but may create evaluations (one query for their units)
PREPARER_LIST_QUERIES = LIST_QUERIES
EDIT_QUERIES = 3 + 2  # the evaluation (with its unit), the current version
# evaluation, base version; the duplicate check; savepoint, update, version, audit entry, release
# and the desk's rows of the new current version: delete indicator and finding rows, insert both, update figures;
# the link to approved targets (a self-evaluation started from them keeps their rows)
SAVE_QUERIES = 3 + 2 + 1 + 5 + 5 + 1


def _many(world: World, n: int, first_year: int = 2000) -> None:
    if not Evaluation.objects.filter(unit=world.unit_a1).exists():
        world.evaluation()
    Evaluation.objects.bulk_create([  # one unit's evaluations of many years (one per year and kind)
        Evaluation(unit=world.unit_a2, department=world.dept_a, year=first_year + i, title=f"单位{i}", current_version=1)
        for i in range(n)
    ])


def test_list_queries_do_not_grow_with_rows(world: World, django_assert_num_queries: Any) -> None:
    finance, preparer = world.client("finance"), world.client("prep_a1")
    _many(world, 3)
    with django_assert_num_queries(LIST_QUERIES):
        assert finance.get(reverse("evaluations:list")).status_code == 200
    _many(world, 120, first_year=1800)
    with django_assert_num_queries(LIST_QUERIES):
        assert finance.get(reverse("evaluations:list") + "?page=2").status_code == 200
    with django_assert_num_queries(PREPARER_LIST_QUERIES):
        assert preparer.get(reverse("evaluations:list")).status_code == 200


def _desk_anomaly_queries(evaluation: Evaluation) -> int:
    """The desk's anomaly and narrative rows of a save (`desk.anomaly_rows.record`) of the same narrative:
    delete and insert the anomaly rows; read and delete the band rows, insert them (in the backend's
    batches), turn `shared` on for their keys (two queries per 900 keys: its own rows, the others'), update the
    unit's `from_last_year`."""
    import math

    from django.db import connection

    from jixiao.web.desk.anomaly_rows import KEYS_AT_ONCE
    from jixiao.web.desk.models import NarrativeBand

    bands = NarrativeBand.objects.filter(evaluation=evaluation)
    fields = [f for f in NarrativeBand._meta.concrete_fields if not f.primary_key]
    batch = min(1000, connection.ops.bulk_batch_size(fields, list(bands)) or 1000)
    keys = bands.values("key").distinct().count()
    return 2 + 2 + math.ceil(bands.count() / batch) + 2 * math.ceil(keys / KEYS_AT_ONCE) + 1


def test_edit_page_and_save_query_counts(world: World, django_assert_num_queries: Any) -> None:
    evaluation = world.evaluation()
    client = world.client("prep_a1")
    url = reverse("evaluations:edit", args=[evaluation.pk])
    with django_assert_num_queries(EDIT_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(SAVE_QUERIES + _desk_anomaly_queries(evaluation)):
        assert client.post(url, form_post(world.seed_data, 1, **{"ind-2-actual": "35"})).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.current_version == 2


def test_list_rows_show_each_evaluation_escaped(world: World) -> None:
    evaluation = world.evaluation()
    Evaluation.objects.filter(pk=evaluation.pk).update(title="<b>甲&乙</b>", state="pending", stage="unit",
                                                       total_hundredths=8550)
    evaluation.refresh_from_db()
    page = world.client("finance").get(reverse("evaluations:list")).content.decode()
    row = page[page.index("<tbody>"):page.index("</tbody>")]
    assert f'<a href="/e/{evaluation.pk}/">&lt;b&gt;甲&amp;乙&lt;/b&gt;</a>' in row
    assert "<b>" not in row
    assert '<span class="badge state-pending">待审核</span> 单位审核' in row or "state-pending" in row
    assert "<td class=\"num\">85.5</td>" in row and "<td>商务局本级</td>" in row
    assert f"<td>{localtime(evaluation.updated_at):%Y-%m-%d %H:%M}</td>" in row
