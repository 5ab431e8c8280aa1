"""What the permission matrix needs: every URL pattern of the project by name, the real objects its
parametrised URLs are built on (evaluations, the year's records, desk jobs and spot-checks in each
state), and one request whose database changes are rolled back so that the next starts from the same
world."""

from __future__ import annotations

from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_tasks_db.models import DBTaskResult

from jixiao.core.workflow import Action
from jixiao.web.desk import jobs
from jixiao.web.desk.models import BatchDocument, Job, JobStatus, MatchState, SpotCheck
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import AuditEntry, Comment, Evaluation, EvaluationVersion, YearSetting
from jixiao.web.orgs.models import Membership
from jixiao.web.planning.models import MonitoringRound, Notification, RecordKind, Rectification, StageRecord

from .conftest import CONFIRM, World, form_post

# The demo's roles (web/demo.py), a preparer of another department's unit for scope, and nobody logged in.
ROLES = ("preparer", "unit_head", "department", "finance", "admin", "outsider", "anonymous")
USER_OF = {"preparer": "prep_a1", "unit_head": "head_a1", "department": "dept_a", "finance": "finance",
           "admin": "admin", "outsider": "prep_b1"}


def pattern_names() -> set[str]:
    """Every URL pattern of the project: its namespaced name, or namespace and route when it has none."""
    return set(_walk(get_resolver().url_patterns, "", ""))


def _walk(patterns: list[Any], namespace: str, route: str) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name or route + str(pattern.pattern)
            yield f"{namespace}:{name}" if namespace else name


def _through(world: World, evaluation: Evaluation, steps: tuple[tuple[str, Action], ...]) -> Evaluation:
    for name, action in steps:
        evaluation = services.transition(world.users[name], evaluation, action, **CONFIRM)
    return evaluation


SUBMIT = (("prep_a1", Action.SUBMIT),)
TO_DEPARTMENT = (*SUBMIT, ("head_a1", Action.APPROVE))
TO_FINANCE = (*TO_DEPARTMENT, ("dept_a", Action.APPROVE))
TO_APPROVED = (*TO_FINANCE, ("finance", Action.APPROVE))


def _evaluation(world: World, year: int) -> Evaluation:
    """unit_a1's ready evaluation for another year (one evaluation per unit and year)."""
    return world.evaluation(ready=True, year=year)


def _declare(world: World, year: int) -> StageRecord:
    response = world.client("prep_a1").post("/plan/targets/new/", {"unit": world.unit_a1.pk, "year": year})
    assert response.status_code == 302, response
    return StageRecord.objects.get(kind=RecordKind.TARGETS, unit=world.unit_a1, year=year)


def _planning(world: World, objects: dict[str, Any]) -> None:
    objects["t.draft"] = _declare(world, 2030)
    pending = objects["t.pending"] = _declare(world, 2031)
    assert world.client("prep_a1").post(f"/plan/r/{pending.pk}/action/submit/").status_code == 302
    locked = objects["t.locked"] = _declare(world, 2032)
    assert world.client("prep_a1").post(f"/plan/r/{locked.pk}/action/submit/").status_code == 302
    for reviewer in ("head_a1", "dept_a", "finance"):
        assert world.client(reviewer).post(f"/plan/r/{locked.pk}/action/approve/").status_code == 302
    code = StageRecord.objects.get(pk=locked.pk).data["indicators"][0]["code"]
    adjusted = world.client("prep_a1").post(f"/plan/r/{locked.pk}/adjust/", {"code": code, "target": "60", "reason": "上级调减"})
    assert adjusted.status_code == 302
    issued = world.client("finance").post("/plan/rounds/new/", {
        "scope": world.finance.pk, "year": 2032, "name": "年中监控", "cut_off": "2032-06-30", "deadline": "2032-07-15"})
    assert issued.status_code == 302
    objects["m.draft"] = StageRecord.objects.get(kind=RecordKind.MONITORING, targets=locked)
    objects["round"] = MonitoringRound.objects.get()
    # a second round's report, submitted: waiting at the unit's head
    assert world.client("finance").post("/plan/rounds/new/", {
        "scope": world.finance.pk, "year": 2032, "name": "三季度监控", "cut_off": "2032-09-30", "deadline": "2032-10-15"}).status_code == 302
    pending_report = objects["m.pending"] = StageRecord.objects.get(kind=RecordKind.MONITORING, targets=locked, round__name="三季度监控")
    assert world.client("prep_a1").post(f"/plan/r/{pending_report.pk}/action/submit/").status_code == 302
    created = world.client("dept_a").post("/plan/rect/new/", {
        "unit": world.unit_a1.pk, "year": 2024, "source": "self_evaluation", "problem": "未设置满意度指标",
        "deadline": "2033-09-30"})
    assert created.status_code == 302
    objects["rect"] = Rectification.objects.get()
    # a second item whose feedback waits for the reviewers
    assert world.client("dept_a").post("/plan/rect/new/", {
        "unit": world.unit_a1.pk, "year": 2024, "source": "bureau_review", "problem": "采购计划编制不实",
        "deadline": "2033-09-30"}).status_code == 302
    reported = objects["rect.feedback"] = Rectification.objects.get(problem="采购计划编制不实")
    for action in ("plan", "feedback"):
        assert world.client("prep_a1").post(f"/plan/rect/{reported.pk}/", {"action": action, "text": "矩阵"}).status_code == 302
    objects["code"] = code


def _desk(world: World, objects: dict[str, Any], folder: Any) -> None:
    result = folder / "1" / "summary.xlsx"
    result.parent.mkdir(parents=True, exist_ok=True)
    result.write_bytes(b"PK\x03\x04 not read by the matrix")
    objects["job"] = Job.objects.create(kind="summary", owner=world.users["finance"], year=2024, status=JobStatus.DONE,
                                        result_name="汇总.xlsx", result_path=str(result))
    jobs.start_job(world.users["finance"], "summary", None, {"format": "xlsx"}, year=2024)  # a task in the queue
    objects["job.failed"] = Job.objects.create(kind="summary", owner=world.users["finance"], year=2024,
                                               status=JobStatus.FAILED, error="矩阵测试")
    batch = objects["batch"] = Job.objects.create(kind="batch_audit", owner=world.users["dept_a"],
                                                  department=world.dept_a, year=2024, status=JobStatus.DONE)
    objects["batch.doc"] = BatchDocument.objects.create(job=batch, position=1, name="报告.pdf", stored="1.pdf",
                                                        match=MatchState.UNSURE, candidates=[world.unit_a1.pk])
    response = world.client("finance").post("/desk/spotchecks/new/", {"year": "2020", "size": "1", "seed": "7", "name": "矩阵"})
    assert response.status_code == 302, response
    spot_check = objects["spotcheck"] = SpotCheck.objects.get()
    objects["spotcheck.item"] = spot_check.items.get()


def build_world(world: World, folder: Any) -> dict[str, Any]:
    """The objects each parametrised URL is built on, by label; all of unit_a1 (department A)."""
    objects: dict[str, Any] = {}
    objects["e.draft"] = world.evaluation(ready=True)
    objects["e.unit"] = _through(world, _evaluation(world, 2021), SUBMIT)
    objects["e.department"] = _through(world, _evaluation(world, 2022), TO_DEPARTMENT)
    objects["e.finance"] = _through(world, _evaluation(world, 2023), TO_FINANCE)
    objects["e.approved"] = _through(world, _evaluation(world, 2020), TO_APPROVED)
    trash = objects["e.trash"] = _evaluation(world, 2019)
    services.soft_delete(world.users["prep_a1"], trash)
    services.add_comment(world.users["head_a1"], objects["e.draft"], "请核对")
    _planning(world, objects)
    _desk(world, objects, folder)
    objects["group"] = Group.objects.create(name="矩阵")
    objects["user"] = world.users["prep_a1"]
    objects["organisation"] = world.unit_a1
    objects["membership"] = Membership.objects.filter(user=world.users["prep_a1"]).first()
    objects["evaluation"] = objects["e.draft"]
    objects["evaluationversion"] = EvaluationVersion.objects.filter(evaluation=objects["e.draft"]).first()
    objects["comment"] = Comment.objects.first()
    objects["auditentry"] = AuditEntry.objects.first()
    objects["yearsetting"] = YearSetting.objects.create(year=2024, rules="national")
    objects["dbtaskresult"] = DBTaskResult.objects.first()
    objects["notification"] = Notification.objects.first()
    objects["content_type"] = ContentType.objects.get_for_model(Evaluation)
    return objects


def request(client: Client, method: str, path: str, body: dict[str, Any]) -> HttpResponseBase:
    """One request whose writes are rolled back (a savepoint), the client's session cookie kept."""
    cookies = SimpleCookie(client.cookies.output(header="", sep="\n"))
    with transaction.atomic():
        response = client.get(path) if method == "GET" else client.post(path, body)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def outcome(response: HttpResponseBase) -> str:
    """The status as the matrix writes it; a redirect to a login page is `login`."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(("/login/", "/admin/login/")):
            return "login"
    return str(response.status_code)


def edit_body(objects: dict[str, Any], label: str) -> dict[str, Any]:
    evaluation = Evaluation.objects.get(pk=objects[label].pk)
    version = evaluation.versions.get(number=evaluation.current_version)
    return form_post(version.data, version.number)


def planning_body(objects: dict[str, Any], label: str) -> dict[str, Any]:
    record = StageRecord.objects.get(pk=objects[label].pk)
    data = record.data
    post: dict[str, Any] = {"base_version": str(record.current_version), "overall_goal": data.get("overall_goal", ""),
                            "budget_total": str((data.get("budget") or {}).get("total") or ""),
                            "ind-count": str(len(data["indicators"]))}
    for n, ind in enumerate(data["indicators"]):
        for key, value in ind.items():
            if isinstance(value, str | int):
                post[f"ind-{n}-{key}"] = str(value)
    return post
