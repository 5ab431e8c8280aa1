"""Problems found in a self-evaluation or a spot-check become rectification items: the reviewer's page
of each opens the notice form filled in with the unit, the year and the source (and the spot-check's
opinion as the problem); a user who may not issue to the unit gets no such door."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

from django.test import Client
from django.utils import timezone

from jixiao.core.workflow import State
from jixiao.web.desk.models import SpotCheckItem
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.planning.models import Rectification
from web.conftest import World


def _door(page: str) -> str:
    start = page.index('id="rectify-link" href="') + len('id="rectify-link" href="')
    return page[start:page.index('"', start)].replace("&amp;", "&")


def _spot_checked(world: World, opinion: str) -> tuple[Client, SpotCheckItem, str]:
    """The finance bureau's client, a spot-check item holding `opinion`, and the item page's door."""
    world.evaluation()
    Evaluation.objects.update(state=State.APPROVED.value)
    finance = world.client("finance")
    finance.post("/desk/spotchecks/new/", {"year": "2024", "size": "1", "seed": "1"})
    item = SpotCheckItem.objects.get()
    item.note = opinion
    item.save(update_fields=["note"])
    return finance, item, _door(finance.get(f"/desk/spotchecks/item/{item.pk}/").content.decode())


def test_a_reviewer_issues_a_notice_from_a_self_evaluation(world: World) -> None:
    evaluation = world.evaluation()
    reviewer = world.client("dept_a")
    url = _door(reviewer.get(f"/e/{evaluation.pk}/").content.decode())
    query = parse_qs(urlparse(url).query)
    assert query == {"unit": [str(world.unit_a1.pk)], "year": [str(evaluation.year)], "source": ["self_evaluation"]}
    form = reviewer.get(url).content.decode()
    assert f'<option value="{world.unit_a1.pk}" selected>' in form and '<option value="self_evaluation" selected>' in form
    assert f'name="year" value="{evaluation.year}"' in form
    created = reviewer.post("/plan/rect/new/", {"unit": world.unit_a1.pk, "year": evaluation.year, "source": "self_evaluation",
                                                "problem": "满意度指标缺失", "deadline": (dt.date.today() + dt.timedelta(days=30)).isoformat()})
    assert created.status_code == 302
    item = Rectification.objects.get()
    assert (item.unit, item.year, item.source) == (world.unit_a1, evaluation.year, "self_evaluation")
    assert 'id="rectify-link"' not in world.client("prep_a1").get(f"/e/{evaluation.pk}/").content.decode()


def test_a_spot_checks_opinion_becomes_the_problem_of_a_notice(world: World) -> None:
    finance, _item, url = _spot_checked(world, "佐证材料不足，满意度调查未留存问卷")
    assert parse_qs(urlparse(url).query) == {
        "unit": [str(world.unit_a1.pk)], "year": ["2024"], "source": ["spot_check"], "problem": ["佐证材料不足，满意度调查未留存问卷"]}
    form = finance.get(url).content.decode()
    assert '<option value="spot_check" selected>' in form and "佐证材料不足，满意度调查未留存问卷</textarea>" in form


def test_a_source_outside_the_list_or_a_past_deadline_is_refused_and_the_list_still_downloads(world: World) -> None:
    # A hand-made POST once saved source "zzz"; the 整改清单 download of everyone in scope then failed (500)
    reviewer = world.client("dept_a")
    later = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    form = {"unit": world.unit_a1.pk, "year": 2024, "problem": "未设置满意度指标", "deadline": later}
    refused = reviewer.post("/plan/rect/new/", {**form, "source": "zzz"})
    assert refused.status_code == 400 and "问题来源应为绩效自评、报告审查" in refused.content.decode()
    past = reviewer.post("/plan/rect/new/", {**form, "source": "audit", "deadline": "2001-01-31"})
    assert past.status_code == 400 and "整改期限 2001-01-31 已过" in past.content.decode()
    assert not Rectification.objects.exists()
    assert reviewer.post("/plan/rect/new/", {**form, "source": "audit"}).status_code == 302
    download = reviewer.get("/plan/rect/download.yaml")
    assert download.status_code == 200 and "未设置满意度指标" in download.content.decode()


def test_a_long_opinion_is_cut_to_a_door_the_server_accepts(world: World) -> None:
    # gunicorn answers a request line over 4094 bytes with an English 414: a 500-character opinion did that
    finance, item, url = _spot_checked(world, "佐证材料不足" * 100)
    assert len(f"GET {url} HTTP/1.1") < 4094
    problem = parse_qs(urlparse(url).query)["problem"][0]
    assert problem.endswith("…") and item.note.startswith(problem[:-1]) and len(problem) > 300
    assert finance.get(url).status_code == 200
