"""Demo data for `make run`: a finance bureau, two departments, their units and users in every role,
the seed department's evaluation and generated ones in every workflow state. Idempotent."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

import jixiao
from jixiao.core.workflow import Action
from jixiao.io.evaluation_file import read_evaluation
from jixiao.web.evaluations import services
from jixiao.web.evaluations.models import Evaluation
from jixiao.web.orgs.models import Membership, Organisation, OrgKind, Role

PASSWORD = "jixiao-demo-2024"
FINANCE = "乌鲁木齐高新区（新市区）财政局"
SEED = "examples/xinshi-commerce-2024.yaml"


def seed_path() -> Path:
    for root in (Path.cwd(), Path(jixiao.__file__).resolve().parents[2]):
        if (root / SEED).exists():
            return root / SEED
    raise FileNotFoundError(f"找不到示例数据 {SEED}")


def _user(username: str, full_name: str, org: Organisation, role: Role) -> Any:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username, defaults={"first_name": full_name})
    if created:
        user.set_password(PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, organisation=org, role=role)
    return user


def _variant(data: dict[str, Any], unit_name: str, factor: Decimal) -> dict[str, Any]:
    """The seed's data re-labelled for another unit, with actual values scaled by `factor`."""
    out = copy.deepcopy(data)
    out["unit"] = {"name": unit_name, "supervising_department": data["unit"].get("supervising_department")}
    for indicator in out["indicators"]:
        if indicator.get("actual") is not None:
            indicator["actual"] = str((Decimal(str(indicator["actual"])) * factor).quantize(Decimal("0.01")))
            if factor < 1:  # submitted evaluations explain a shortfall (I004 stops submission otherwise)
                indicator.setdefault("deviation_reason", "受项目实施进度影响，部分工作顺延至次年。")
        indicator.pop("stated", None)
    out.pop("stated", None)
    out["budget"] = {k: v for k, v in out["budget"].items() if k != "stated"}  # a variant states no rates
    return out


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create the demo organisation, users and evaluations once; return (username, role, organisation)."""
    accounts: list[tuple[str, str, str]] = []
    user_model = get_user_model()
    if not user_model.objects.filter(username="admin").exists():
        user_model.objects.create_superuser("admin", "", PASSWORD, first_name="系统管理员")
    accounts.append(("admin", "管理员", "全部"))
    if Organisation.objects.filter(kind=OrgKind.FINANCE, name=FINANCE).exists():
        return accounts + _accounts()
    finance = Organisation.objects.create(name=FINANCE, kind=OrgKind.FINANCE)
    commerce = Organisation.objects.create(name="新市区商务局（主管部门）", kind=OrgKind.DEPARTMENT, parent=finance)
    education = Organisation.objects.create(name="新市区教育局（主管部门）", kind=OrgKind.DEPARTMENT, parent=finance)
    _user("caizheng", "财政审核人 王芳", finance, Role.FINANCE_REVIEWER)
    _user("shangwu-bumen", "主管部门审核人 李强", commerce, Role.DEPARTMENT_REVIEWER)
    _user("jiaoyu-bumen", "主管部门审核人 赵敏", education, Role.DEPARTMENT_REVIEWER)

    seed = read_evaluation(seed_path())
    seed_data = services.to_data(seed)
    units = [
        (commerce, seed.unit.name, "shangwu", None, []),
        (commerce, "高新区（新市区）招商服务中心", "zhaoshang", Decimal("0.9"), [Action.SUBMIT]),
        (commerce, "高新区（新市区）商务服务中心", "shangfu", Decimal("1.05"), [Action.SUBMIT, Action.APPROVE]),
        (education, "新市区第一中学", "yizhong", Decimal("0.7"), [Action.SUBMIT, Action.APPROVE, Action.APPROVE]),
        (education, "新市区实验小学", "shixiao", Decimal("1.0"), [Action.SUBMIT, Action.APPROVE, Action.APPROVE, Action.APPROVE]),
        (education, "新市区幼儿园", "youeryuan", Decimal("0.5"), [Action.SUBMIT, Action.APPROVE, Action.RETURN]),
    ]
    for department, name, slug, factor, actions in units:
        unit = Organisation.objects.create(name=name, kind=OrgKind.UNIT, parent=department)
        preparer = _user(f"{slug}-tianbao", f"{name} 填报人", unit, Role.PREPARER)
        head = _user(f"{slug}-danwei", f"{name} 单位审核人", unit, Role.UNIT_HEAD)
        data = seed_data if factor is None else _variant(seed_data, name, factor)
        evaluation = services.create_evaluation(preparer, unit, services.load_model(data, SEED), note="演示数据")
        reviewers = {0: head, 1: user_model.objects.get(username=f"{department_slug(department)}-bumen"),
                     2: user_model.objects.get(username="caizheng")}
        approvals = 0
        for action in actions:
            actor = preparer if action is Action.SUBMIT else reviewers[approvals]
            reason = {Action.RETURN: "指标“蔬菜包发放数量”完成值与佐证资料不符，请核实。",
                      Action.SUBMIT: "警告已逐项核对。"}.get(action, "")
            evaluation = services.transition(actor, evaluation, action, reason=reason, confirmed=True)
            if action is Action.APPROVE:
                approvals += 1
    return accounts + _accounts()


def department_slug(department: Organisation) -> str:
    return "shangwu" if "商务" in department.name else "jiaoyu"


def _accounts() -> list[tuple[str, str, str]]:
    rows = []
    for m in Membership.objects.select_related("user", "organisation").order_by("organisation__kind", "organisation_id", "role"):
        rows.append((m.user.get_username(), m.get_role_display(), m.organisation.name))
    return rows


def demo_evaluation_count() -> int:
    return Evaluation.objects.count()
