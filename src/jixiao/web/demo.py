"""Demo data for `make run`: a finance bureau, two departments, their units and users in every role,
the seed department's evaluation and, for every other unit, one generated from its kind's profile (a school
counts pupils and spends on teaching, a service centre counts firms), in every workflow state. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
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


# ---- each demo unit's own data ----------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    level1: str
    level2: str
    name: str
    comparator: str
    target: str
    unit: str
    weight: str
    reached: str  # the share of the target reached in a good year (actual = target × reached × factor)


@dataclass(frozen=True)
class Profile:
    """What a kind of unit spends and measures: a school counts pupils, a service centre counts firms."""

    funding_type: str
    functions: str
    organisation: str
    staffing: tuple[int, int, int]  # 行政编制, 事业编制, 实有人数
    budget: str  # 全年预算数, 万元
    basic_share: str  # 基本支出 / 全年预算
    projects: tuple[tuple[str, str, str, str], ...]  # 名称, 资金来源, 预算占项目支出的比例, 用途与效果
    targets: tuple[Target, ...]
    key_work: str
    overall_goal: str
    problems: tuple[str, ...]
    causes: tuple[str, ...]
    measures: tuple[str, ...]
    return_reason: str


T = Target
SCHOOL_OBJECTIVE = "全面贯彻党的教育方针，落实立德树人根本任务，保障学校正常运转，改善办学条件，提高教育教学质量。"
PROFILES: dict[str, Profile] = {
    "招商服务中心": Profile(
        "财政全额拨款事业单位",
        "负责辖区招商引资项目的征集、推介、洽谈和落地服务，跟踪在谈项目进度，为入驻企业提供政策咨询和代办服务。",
        "高新区（新市区）招商服务中心为区商务局下属财政全额拨款事业单位，内设综合科、项目推介科和企业服务科。",
        (0, 12, 11), "486.30", "0.62",
        (("招商推介活动经费", "own_level", "0.7", "组织重点产业链招商推介会6场，赴疆外开展小分队招商，签约项目按计划落地。"),
         ("企业服务专项", "own_level", "0.3", "为新入驻企业提供代办服务，推动签约项目开工投产。")),
        (T("产出", "数量指标", "举办招商推介活动场次", ">=", "6", "场", "15", "1.17"),
         T("产出", "数量指标", "新签约招商项目数量", ">=", "40", "个", "15", "1.05"),
         T("产出", "质量指标", "签约项目开工率", ">=", "60", "%", "10", "1.08"),
         T("产出", "时效指标", "在谈项目跟踪反馈及时率", ">=", "95", "%", "10", "1.02"),
         T("效益", "经济效益指标", "招商项目区外到位资金", ">=", "120", "亿元", "15", "1.04"),
         T("效益", "可持续影响指标", "重点产业链招商项目占比", ">=", "50", "%", "15", "1.06"),
         T("满意度", "服务对象满意度指标", "入驻企业满意度", ">=", "90", "%", "10", "1.04")),
        "围绕重点产业链开展精准招商，做好签约项目落地服务。",
        "全年举办招商推介活动不少于6场，新签约项目不少于40个，完成区外到位资金120亿元。",
        ("部分签约项目开工进度慢于计划。", "招商信息平台数据更新不够及时。"),
        ("个别项目受用地、审批等前期手续影响。", "信息平台维护人员不足。"),
        ("建立签约项目开工推进台账，按月调度。", "明确专人负责信息平台维护，每周更新。"),
        "指标“新签约招商项目数量”完成值与签约台账不一致，请核实后补充签约清单。",
    ),
    "商务服务中心": Profile(
        "财政全额拨款事业单位",
        "负责辖区商贸流通、夜市街区、社区商业网点的服务保障，承担市场运行监测和重要商品供应保障的具体工作。",
        "高新区（新市区）商务服务中心为区商务局下属财政全额拨款事业单位，内设综合科和市场服务科。",
        (0, 10, 9), "612.75", "0.55",
        (("夜市街区运营补助", "own_level", "0.6", "支持夜市街区运营，带动夜间消费，增加就业岗位。"),
         ("市场运行监测经费", "higher_level", "0.4", "完成重点商贸企业和重要商品价格的月度监测，按时上报。")),
        (T("产出", "数量指标", "开办夜市街区数量", ">=", "4", "个", "15", "1"),
         T("产出", "数量指标", "监测重点商贸企业数量", ">=", "35", "家", "10", "1.03"),
         T("产出", "质量指标", "市场监测数据按时上报率", ">=", "98", "%", "15", "1.01"),
         T("产出", "时效指标", "重要商品供应保障响应时间", "<=", "24", "小时", "10", "0.75"),
         T("效益", "经济效益指标", "夜市街区带动就业人数", ">=", "600", "人", "15", "1.05"),
         T("效益", "社会效益指标", "社区商业网点便民覆盖率", ">=", "85", "%", "15", "1.03"),
         T("满意度", "服务对象满意度指标", "经营户及群众满意度", ">=", "90", "%", "10", "1.03")),
        "做好夜市街区运营服务和市场运行监测，保障重要商品供应。",
        "开办夜市街区4个，监测重点商贸企业35家，社区商业网点便民覆盖率达到85%。",
        ("夜市街区冬季经营时间短，带动效果有限。",),
        ("受气候影响，冬季客流明显减少。",),
        ("探索室内夜市和冬季特色消费场景。",),
        "指标“开办夜市街区数量”的佐证资料缺少街区备案材料，请补充。",
    ),
    "中学": Profile(
        "财政全额拨款事业单位",
        "实施初中阶段义务教育，开展德育、智育、体育、美育和劳动教育，承担教师培训和教育教学研究工作。",
        "学校为区教育局所属财政全额拨款事业单位，设教学班38个，内设办公室、教务处、德育处、总务处。",
        (0, 142, 138), "2865.40", "0.81",
        (("义务教育公用经费", "higher_level", "0.55", "保障学校日常运转，按生均标准足额安排，改善教学条件。"),
         ("校舍维修改造项目", "own_level", "0.30", "完成教学楼屋面防水和卫生间改造，消除校舍安全隐患。"),
         ("教师培训专项", "own_level", "0.15", "组织教师参加区级以上培训，提升课堂教学能力。")),
        (T("产出", "数量指标", "在校学生人数", ">=", "1850", "人", "15", "1.01"),
         T("产出", "数量指标", "教师培训人次", ">=", "320", "人次", "10", "1.06"),
         T("产出", "质量指标", "学生体质健康测试合格率", ">=", "92", "%", "15", "1.02"),
         T("产出", "时效指标", "校舍维修项目按期完工率", "=", "100", "%", "10", "1"),
         T("效益", "社会效益指标", "初中学业水平考试合格率", ">=", "90", "%", "15", "1.03"),
         T("效益", "可持续影响指标", "义务教育巩固率", ">=", "99", "%", "15", "1.005"),
         T("满意度", "服务对象满意度指标", "学生及家长满意度", ">=", "90", "%", "10", "1.04")),
        SCHOOL_OBJECTIVE,
        "保障1850名在校学生的教育教学，完成教师培训320人次，学生体质健康测试合格率达到92%以上。",
        ("校舍维修项目开工晚，部分工程延至寒假实施。", "教师培训与日常教学时间冲突。"),
        ("项目招标程序用时较长。", "部分学科教师配备不足。"),
        ("提前做好下年度维修项目的前期准备。", "统筹安排培训时间，利用假期集中培训。"),
        "指标“教师培训人次”完成值缺少培训签到表等佐证资料，请补充。",
    ),
    "小学": Profile(
        "财政全额拨款事业单位",
        "实施小学阶段义务教育，落实课后服务和营养午餐工作，开展教学研究和校园安全管理。",
        "学校为区教育局所属财政全额拨款事业单位，设教学班52个，内设办公室、教导处、德育处、后勤处。",
        (0, 168, 165), "3420.18", "0.78",
        (("义务教育公用经费", "higher_level", "0.5", "按生均标准保障学校运转，购置教学设备和图书。"),
         ("课后服务及营养午餐补助", "own_level", "0.35", "为全体学生提供课后服务，营养午餐全年供餐。"),
         ("校园安全防范设施", "own_level", "0.15", "更新校园监控和一键报警设施，完成安全隐患整改。")),
        (T("产出", "数量指标", "在校学生人数", ">=", "2400", "人", "15", "1.01"),
         T("产出", "数量指标", "营养午餐供餐天数", ">=", "190", "天", "10", "1"),
         T("产出", "质量指标", "课后服务覆盖率", ">=", "95", "%", "15", "1.03"),
         T("产出", "时效指标", "校园安全隐患整改及时率", "=", "100", "%", "10", "1"),
         T("效益", "社会效益指标", "学生体质健康测试合格率", ">=", "93", "%", "15", "1.02"),
         T("效益", "可持续影响指标", "义务教育巩固率", ">=", "99", "%", "15", "1.005"),
         T("满意度", "服务对象满意度指标", "家长满意度", ">=", "90", "%", "10", "1.05")),
        SCHOOL_OBJECTIVE,
        "保障2400名在校学生的教育教学，课后服务覆盖率达到95%，营养午餐全年供餐190天。",
        ("课后服务课程类型偏少。",),
        ("校内专业师资有限，引入校外资源的机制不健全。",),
        ("与少年宫、体育场馆合作，丰富课后服务课程。",),
        "指标“课后服务覆盖率”的口径与教育局统计不一致，请核实。",
    ),
    "幼儿园": Profile(
        "财政差额拨款事业单位",
        "实施学前教育，为3至6周岁幼儿提供保育和教育服务，开展家园共育和保教人员培训。",
        "幼儿园为区教育局所属事业单位，设教学班14个，内设园务办公室、保教部和后勤保障部。",
        (0, 46, 44), "786.52", "0.72",
        (("普惠性幼儿园生均补助", "higher_level", "0.6", "落实普惠性学位生均补助，减轻家庭学前教育负担。"),
         ("保教设施设备购置", "own_level", "0.4", "更新户外活动器械和午睡床具，改善保教条件。")),
        (T("产出", "数量指标", "在园幼儿人数", ">=", "420", "人", "15", "1.02"),
         T("产出", "数量指标", "保教人员培训人次", ">=", "60", "人次", "10", "1.1"),
         T("产出", "质量指标", "幼儿健康体检覆盖率", "=", "100", "%", "15", "1"),
         T("产出", "时效指标", "食品安全自查频次", ">=", "12", "次", "10", "1"),
         T("效益", "社会效益指标", "普惠性学位占比", ">=", "85", "%", "15", "1.04"),
         T("效益", "可持续影响指标", "保教人员持证上岗率", ">=", "95", "%", "15", "1.02"),
         T("满意度", "服务对象满意度指标", "家长满意度", ">=", "92", "%", "10", "1.03")),
        "落实学前教育普惠政策，规范保育教育，保障幼儿安全健康。",
        "在园幼儿420人，普惠性学位占比达到85%，幼儿健康体检全覆盖。",
        ("保教人员流动较大。", "户外活动场地不足。"),
        ("差额拨款单位待遇偏低，留人难。", "园舍面积受限。"),
        ("争取落实保教人员待遇保障政策。", "合理安排分班分时户外活动。"),
        "指标“在园幼儿人数”完成值与学籍系统不一致，请核实后重新填报。",
    ),
}


CENT = Decimal("0.01")
COUNT_UNITS = ("场", "个", "人", "家", "天", "次", "人次", "所")


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _actual(t: Target, factor: Decimal) -> Decimal:
    """The value a unit with this year's `factor` reached (a reverse target gets worse as factor falls)."""
    target, reached = Decimal(t.target), Decimal(t.reached)
    if t.comparator == "=":
        return target  # an exact target (100% on time) is met or the unit would say why
    value = target * reached / factor if t.comparator in ("<=", "<") else target * reached * factor
    if t.unit in COUNT_UNITS:
        return value.quantize(Decimal(1))
    value = value.quantize(Decimal("0.1"))
    return min(value, Decimal(100)) if t.unit == "%" else value


def _mid_year(t: Target, actual: Decimal) -> Decimal:
    """At mid-year a running count is a little over half done; a level (a rate, pupils on roll) is near its end value."""
    cumulative = t.unit in COUNT_UNITS and not t.name.startswith("在") and t.comparator not in ("<=", "<")
    if cumulative:
        return (actual * Decimal("0.56")).quantize(Decimal(1))
    return actual


def _indicator(t: Target, factor: Decimal) -> dict[str, Any]:
    actual = _actual(t, factor)
    item: dict[str, Any] = {
        "level1": t.level1, "level2": t.level2, "name": t.name, "comparator": t.comparator, "target": t.target,
        "unit": t.unit, "mid_year": str(_mid_year(t, actual)),
        "actual": str(actual), "weight": t.weight, "evidence": f"{t.name}统计台账及相关佐证资料",
    }
    short = actual > Decimal(t.target) if t.comparator in ("<=", "<") else actual < Decimal(t.target)
    if short:
        item["deviation_reason"] = "受项目实施进度影响，部分工作顺延至次年。"
        item["improvement"] = "加强过程监控，按月调度完成进度。"
    return item


def profile_for(unit_name: str) -> Profile:
    for key, profile in PROFILES.items():
        if key in unit_name:
            return profile
    raise KeyError(unit_name)


def unit_data(year: int, unit_name: str, department: str, factor: Decimal) -> dict[str, Any]:
    """A whole evaluation for a demo unit, from its kind's profile: its own indicators, budget and words.
    `factor` is how well the year went (1 = as planned): it scales what was reached and spent."""
    p = profile_for(unit_name)
    budget = Decimal(p.budget)
    execution = min(Decimal(1), Decimal("0.72") + Decimal("0.27") * factor)
    basic = (budget * Decimal(p.basic_share)).quantize(CENT)
    personnel = (basic * Decimal("0.86")).quantize(CENT)
    for_projects = budget - basic
    projects: list[dict[str, str]] = []
    spent, higher_budget, higher_spent = Decimal(0), Decimal(0), Decimal(0)
    remaining = for_projects
    for i, (name, source, share, use) in enumerate(p.projects):
        amount = remaining if i == len(p.projects) - 1 else (for_projects * Decimal(share)).quantize(CENT)
        remaining -= amount
        executed = (amount * execution).quantize(CENT)
        spent += executed
        if source == "higher_level":
            higher_budget, higher_spent = higher_budget + amount, higher_spent + executed
        projects.append({"name": name, "source": source, "count": "1", "initial": _money(amount), "budget": _money(amount),
                         "executed": _money(executed), "description": use})
    executed_total = basic + spent
    data: dict[str, Any] = {
        "kind": "department",
        "year": year,
        "filled_date": f"{year + 1}-02-{15 + int(factor * 4):02d}",
        "unit": {
            "name": unit_name, "supervising_department": department, "funding_type": p.funding_type,
            "functions": p.functions, "organisation": p.organisation,
            "staffing": {"authorized_administrative": p.staffing[0], "authorized_institutional": p.staffing[1],
                         "actual": p.staffing[2]},
        },
        "budget": {
            "initial": _money(budget), "adjustment": "0", "adjusted": _money(budget), "executed": _money(executed_total),
            "sources": {
                "higher_level": {"initial": _money(higher_budget), "adjusted": _money(higher_budget),
                                 "executed": _money(higher_spent)},
                "own_level": {"initial": _money(budget - higher_budget), "adjusted": _money(budget - higher_budget),
                              "executed": _money(executed_total - higher_spent)},
            },
        },
        "expenditure": {
            "total": _money(budget),
            "basic": {"budget": _money(basic), "personnel": _money(personnel), "public": _money(basic - personnel),
                      "executed": _money(basic), "use": "保障在职人员工资、社保和单位日常运转支出。"},
            "projects": projects,
            "project_use": "；".join(pr["description"].rstrip("。") for pr in projects) + "。",
        },
        "indicators": [_indicator(t, factor) for t in p.targets],
        "narrative": {
            "key_work": p.key_work, "overall_goal": p.overall_goal,
            "goal_achievement": "全年各项工作按计划推进，" + ("年度目标全部完成。" if factor >= 1 else "部分指标未达到年度目标，原因见偏差分析。"),
            "problems": list(p.problems), "causes": list(p.causes), "measures": list(p.measures),
        },
    }
    if execution < Decimal("0.9"):
        data["budget"]["execution_explanation"] = "部分项目资金因采购程序未完成，结转至下年度使用。"
    return data


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
    # The seed department keeps its real report's data; every other unit gets data of its own kind.
    units = [
        (commerce, seed.unit.name, "shangwu", None, []),
        (commerce, "高新区（新市区）招商服务中心", "zhaoshang", Decimal("0.9"), [Action.SUBMIT]),
        (commerce, "高新区（新市区）商务服务中心", "shangfu", Decimal("1.05"), [Action.SUBMIT, Action.APPROVE]),
        (education, "新市区第一中学", "yizhong", Decimal("0.85"), [Action.SUBMIT, Action.APPROVE, Action.APPROVE]),
        (education, "新市区实验小学", "shixiao", Decimal("1.0"), [Action.SUBMIT, Action.APPROVE, Action.APPROVE, Action.APPROVE]),
        (education, "新市区幼儿园", "youeryuan", Decimal("0.8"), [Action.SUBMIT, Action.APPROVE, Action.RETURN]),
    ]
    for department, name, slug, factor, actions in units:
        unit = Organisation.objects.create(name=name, kind=OrgKind.UNIT, parent=department)
        preparer = _user(f"{slug}-tianbao", f"{name} 填报人", unit, Role.PREPARER)
        head = _user(f"{slug}-danwei", f"{name} 单位审核人", unit, Role.UNIT_HEAD)
        data = seed_data if factor is None else unit_data(seed.year, name, department.name.removesuffix("（主管部门）"), factor)
        evaluation = services.create_evaluation(preparer, unit, services.load_model(data, SEED), note="演示数据")
        reviewers = {0: head, 1: user_model.objects.get(username=f"{department_slug(department)}-bumen"),
                     2: user_model.objects.get(username="caizheng")}
        approvals = 0
        for action in actions:
            actor = preparer if action is Action.SUBMIT else reviewers[approvals]
            reason, field = "", ""
            if action is Action.RETURN:
                reason = profile_for(name).return_reason
                field = _field_named(data, reason)
            elif action is Action.SUBMIT:
                reason = "警告已逐项核对。"
            evaluation = services.transition(actor, evaluation, action, reason=reason, field=field, confirmed=True)
            if action is Action.APPROVE:
                approvals += 1
    return accounts + _accounts()


def _field_named(data: dict[str, Any], reason: str) -> str:
    """The indicator a return reason names ("指标“在园幼儿人数”…" → "indicators[0]")."""
    for i, item in enumerate(data["indicators"]):
        if f"“{item['name']}”" in reason:
            return f"indicators[{i}]"
    return ""


def department_slug(department: Organisation) -> str:
    return "shangwu" if "商务" in department.name else "jiaoyu"


def _accounts() -> list[tuple[str, str, str]]:
    rows = []
    for m in Membership.objects.select_related("user", "organisation").order_by("organisation__kind", "organisation_id", "role"):
        rows.append((m.user.get_username(), m.get_role_display(), m.organisation.name))
    return rows


def demo_evaluation_count() -> int:
    return Evaluation.objects.count()
