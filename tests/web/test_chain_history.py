"""Nothing is lost across the stages: one target followed through the pages — declared, approved,
adjusted (approved by the bureau), monitored, self-evaluated and approved, declared again next year —
keeps every value it had, in every record that holds it, in order."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from jixiao.web.evaluations import editing
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.planning import services
from jixiao.web.planning.models import RecordKind, StageRecord
from web.conftest import CONFIRM_POST, World, form_post
from web.test_past_values import past_cell
from web.test_planning import YEAR, approve_all, declare

CODE = "XM-001"  # 完成数量: ≥100个 declared, ≥60个 after the adjustment


def test_a_targets_history_survives_every_step(world: World) -> None:
    prep = world.client("prep_a1")
    targets = declare(world)
    approve_all(world, targets)
    assert world.client("finance").post("/plan/rounds/new/", {
        "scope": world.finance.pk, "year": YEAR, "name": "年中监控", "cut_off": f"{YEAR}-06-30", "deadline": f"{YEAR}-07-15",
    }).status_code == 302
    report = StageRecord.objects.get(kind=RecordKind.MONITORING, targets=targets)
    # the unit reports 20 to date; then the lagging target is adjusted, approved by the bureau
    post = {"base_version": str(report.current_version), "executed_to_date": "40", "ind-count": str(len(report.data["indicators"]))}
    for n, ind in enumerate(report.data["indicators"]):
        post[f"ind-{n}-code"] = ind["code"]
        post[f"ind-{n}-value_to_date"] = "20" if ind["code"] == CODE else str(ind.get("target") or "")
    assert prep.post(f"/plan/r/{report.pk}/edit/", post).status_code == 302
    assert prep.post(f"/plan/r/{targets.pk}/adjust/", {"code": CODE, "target": "60", "reason": "上级调减任务量"}).status_code == 302
    assert world.client("finance").post(f"/plan/r/{targets.pk}/adjust/0/approve/", {"note": "同意"}).status_code == 302
    report.refresh_from_db()
    assert prep.post(f"/plan/r/{report.pk}/action/submit/").status_code == 302
    for reviewer in ("head_a1", "dept_a", "finance"):
        assert world.client(reviewer).post(f"/plan/r/{report.pk}/action/approve/").status_code == 302
    # the self-evaluation from the targets: 58 done, below the adjusted target, with its reason
    assert prep.post(f"/plan/r/{targets.pk}/evaluate/").status_code == 302
    evaluation = Evaluation.objects.get(planning_link__targets=targets)
    data = evaluation.versions.get(number=1).data
    changes = {}
    for ind, row in zip(data["indicators"], editing.state_from_data(data).tables["ind"], strict=True):
        cells = {c.name.rsplit("-", 1)[1]: c.name for c in row.cells + row.details}
        if ind["kind"] == "qualitative":
            changes[cells["band"]] = "达成年度指标"
        else:
            changes[cells["actual"]] = "58" if ind["code"] == CODE else str(ind["target"])
        if ind["code"] == CODE:  # below the target: its reason
            changes[cells["deviation_reason"]] = "设备到货延迟"
    assert prep.post(f"/e/{evaluation.pk}/edit/", form_post(data, 1, **changes)).status_code == 302
    for user in ("prep_a1", "head_a1", "dept_a", "finance"):
        action = "submit" if user == "prep_a1" else "approve"
        version = str(Evaluation.objects.get(pk=evaluation.pk).current_version)
        world.client(user).post(reverse("evaluations:action", args=[evaluation.pk, action]), {**CONFIRM_POST, "version": version})
    assert Evaluation.objects.get(pk=evaluation.pk).state == "approved"

    # every value the target had, in order, under its one code
    steps = [(u.year, u.use, u.shown) for u in services.history(world.unit_a1, [CODE])[CODE]]
    assert steps == [(YEAR, "target", "≥100个"), (YEAR, "adjusted", "≥60个"), (YEAR, "monitoring", "20个"), (YEAR, "actual", "58个")]
    # the declaration keeps its first target and the adjustment beside it, each version as it was saved
    targets.refresh_from_db()
    declared = next(i for i in targets.data["indicators"] if i["code"] == CODE)
    assert Decimal(declared["target"]) == 100 and targets.data["adjustments"][0]["decision"] == "approved"
    assert all(Decimal(next(i for i in v.data["indicators"] if i["code"] == CODE)["target"]) == 100 for v in targets.versions.all())
    # the monitoring report: issued at ≥100, reported at 20, then following the approved ≥60
    report.refresh_from_db()
    monitored = [next(i for i in v.data["indicators"] if i["code"] == CODE) for v in report.versions.order_by("number")]
    assert Decimal(monitored[0]["target"]) == 100 and Decimal(monitored[-1]["target"]) == 60
    assert Decimal(monitored[-1]["value_to_date"]) == 20
    # the self-evaluation: the adjusted target, the mid-year value and the final one, each page showing the steps
    final = evaluation.versions.get(number=Evaluation.objects.get(pk=evaluation.pk).current_version).data["indicators"][0]
    assert (final["code"], Decimal(final["target"]), Decimal(final["mid_year"]), Decimal(final["actual"])) == (CODE, 60, 20, 58)
    assert "≥100个 → ≥60个" in prep.get(f"/plan/r/{targets.pk}/").content.decode()
    reader = world.client("finance").get(f"/e/{evaluation.pk}/").content.decode()  # approved: the reader's page
    panel = reader[reader.index('id="chain-panel"'):]
    assert f"/plan/r/{targets.pk}/" in panel and "≥100个 → ≥60个" in panel and "已批准" in panel and "上级调减任务量" in panel
    # next year: the same code, last year's actual carried, and the whole year beside the new target
    assert prep.post(f"/plan/r/{targets.pk}/next-year/").status_code == 302
    following = StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1, year=YEAR + 1)
    carried = next(i for i in following.data["indicators"] if i["code"] == CODE)
    assert Decimal(carried["last_year_actual"]) == 58 and Decimal(carried["target"]) == 60
    cell = past_cell(prep.get(f"/plan/r/{following.pk}/edit/").content.decode(), CODE)
    for line in (f"{YEAR} 目标 ≥100个", f"{YEAR} 调整后目标 ≥60个", f"{YEAR} 监控值 20个", f"{YEAR} 实际完成值 58个"):
        assert line in cell, (line, cell)
