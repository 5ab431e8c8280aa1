"""The bureau's summary report of a year (a background job): gather the figures, write .docx / .xlsx / .pdf.

Every figure comes from the relational rows written at save time (`desk.rows`) and the evaluations'
summary columns, by aggregate queries; only the units' own words (存在的主要问题) are read from the
current versions' JSON, one key each. The figures are about evaluations submitted or approved (a
draft is not a result yet); the state table counts every live evaluation.

Two sections come from the desk's other half: the spot-check gaps (re-evaluated items' own totals
against the re-evaluator's, `SpotCheckScore`) and the anomalies (`analytics_anomalies.Finder`, the same
rules as the anomalies page), each kind with the number of evaluations it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Count as CountOf
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from jixiao.core.checks import REGISTRY
from jixiao.core.workflow import STAGE_LABELS, STATE_LABELS, Stage, State
from jixiao.report.summary import (
    AnomalyLine,
    BureauSummary,
    CodeLine,
    Count,
    DepartmentLine,
    GapLine,
    NamedProblem,
    render_summary,
)
from jixiao.web.desk import analytics as pure
from jixiao.web.desk.jobs import JobFailed, Progress, write_result
from jixiao.web.desk.models import FindingRow, Job
from jixiao.web.evaluations.models import Evaluation, EvaluationVersion
from jixiao.web.orgs.models import Organisation, OrgKind

COVERED_STATES = (State.PENDING.value, State.APPROVED.value)
GRADES = ("优", "良", "中", "差")
# Execution-rate bands in hundredths of a percent: (label, lower bound inclusive).
EXECUTION_BANDS = (("低于60%", None), ("60%–80%", 6000), ("80%–90%", 8000), ("90%–100%", 9000), ("100%及以上", 10000))
TOP_CODES = 15
ANOMALY_LIMIT = 1000
LISTED_PROBLEMS = 60
PROBLEM_GROUPS = 20
# What units say is wrong, by theme: a problem mentioning any of the words counts for the theme.
PROBLEM_THEMES: dict[str, tuple[str, ...]] = {
    "预算执行进度偏慢": ("执行进度", "执行率", "支出进度", "进度缓慢", "进度偏慢"),
    "绩效目标与指标设置": ("目标", "指标"),
    "资金管理与使用": ("资金", "经费", "支出"),
    "项目推进与管理": ("项目",),
    "制度与机制": ("制度", "机制", "监督", "考核"),
    "人员与能力": ("人员", "专业", "培训", "能力"),
    "宣传与满意度": ("宣传", "满意"),
}


def _scope_label(department: Organisation | None) -> str:
    return department.name if department is not None else "全部主管部门"


def _evaluations(year: int, department: Organisation | None) -> QuerySet[Evaluation]:
    live = Evaluation.objects.filter(year=year, deleted_at__isnull=True, current_version__gt=0)
    return live.filter(department=department) if department is not None else live


def _units(department: Organisation | None) -> QuerySet[Organisation]:
    units = Organisation.objects.filter(kind=OrgKind.UNIT)
    return units.filter(department=department) if department is not None else units


def _state_label(state: str, stage: str) -> str:
    label = STATE_LABELS.get(State(state), state)
    return f"{label}（{STAGE_LABELS[Stage(stage)]}）" if state == State.PENDING.value and stage else label


def _band_rules() -> list[tuple[str, Q]]:
    """Each execution band as a condition on the figures' rate (no rate: no band)."""
    rate = "figures__execution_rate_hundredths"
    lowers = [lower for _, lower in EXECUTION_BANDS[1:]]
    rules = []
    for i, (name, lower) in enumerate(EXECUTION_BANDS):
        rule = Q(**{f"{rate}__isnull": False}) if lower is None else Q(**{f"{rate}__gte": lower})
        upper = lowers[i] if i < len(lowers) else None
        rules.append((name, rule & Q(**{f"{rate}__lt": upper}) if upper is not None else rule))
    return rules


def _department_sums(covered: QuerySet[Evaluation]) -> list[dict[str, Any]]:
    """Per department, summed by the database: evaluations, approved, budget, executed, total, 优, with errors."""
    rows = covered.values("department_id").annotate(
        covered=CountOf("id"), approved=CountOf("id", filter=Q(state=State.APPROVED.value)),
        budget=Sum("figures__budget_adjusted"), executed=Sum("figures__budget_executed"), total=Sum("total_hundredths"),
        excellent=CountOf("id", filter=Q(grade="优")), with_errors=CountOf("id", filter=Q(error_count__gt=0)),
    ).order_by()
    return [dict(r, budget=r["budget"] or Decimal(0), executed=r["executed"] or Decimal(0), total=r["total"] or 0)
            for r in rows]


def spot_check_lines(year: int, department: Organisation | None) -> list[GapLine]:
    """Each re-evaluated spot-check item of the year: the unit's own total against the re-evaluator's.

    The totals are the sums of the item's scores (预算执行 and every indicator), as the spot-check page shows.
    """
    from jixiao.web.desk.models import SpotCheckItem

    items = SpotCheckItem.objects.filter(spot_check__year=year, reviewed_at__isnull=False)
    if department is not None:
        items = items.filter(evaluation__department=department)
    rows = (items.annotate(own=Sum("scores__self_score_hundredths"), review=Sum("scores__review_score_hundredths"))
            .values_list("evaluation__unit__name", "own", "review").order_by("id"))
    return [GapLine(unit, Decimal(own or 0) / 100, Decimal(review or 0) / 100) for unit, own, review in rows]


def anomaly_lines(year: int, department: Organisation | None, examples: int = 3) -> list[AnomalyLine]:
    """The desk's anomaly kinds with how many evaluations each concerns and a few units by name."""
    from jixiao.web.desk.analytics_anomalies import Finder, evaluations_by_id
    from jixiao.web.desk.analytics_db import DeskScope

    finder = Finder(DeskScope(True, frozenset()), year, department.pk if department is not None else None,
                    limit=ANOMALY_LIMIT)
    lines = []
    for section in finder.sections():
        ids = list(dict.fromkeys(hit.evaluation_id for hit in section.hits))
        if not ids:
            continue
        named = evaluations_by_id(ids[:examples])
        text = "、".join(named[i].unit.name for i in ids[:examples] if i in named)
        if section.more:
            text += f"（超过 {ANOMALY_LIMIT} 份，详见绩效管理台）"
        lines.append(AnomalyLine(section.kind.title, len(ids), text))
    return lines


# One alternation per theme, tried on all of an evaluation's problems at once (40,000 evaluations at
# province scale: word by word in Python was seconds); no word holds a newline, so none matches across two.
_THEME_PATTERNS = [(theme, re.compile("|".join(map(re.escape, words)))) for theme, words in PROBLEM_THEMES.items()]


def _themes(problems: list[str]) -> set[str]:
    text = "\n".join(problems)
    return {theme for theme, pattern in _THEME_PATTERNS if pattern.search(text)}


def gather(year: int, department: Organisation | None, today: dt.date | None = None) -> BureauSummary:
    """Every figure of the summary report for a year and a scope (None: the whole bureau)."""
    evaluations = _evaluations(year, department)
    covered = evaluations.filter(state__in=COVERED_STATES)
    states = [Count(_state_label(r["state"], r["stage"]), r["n"])
              for r in evaluations.values("state", "stage").annotate(n=CountOf("id")).order_by("state", "stage")]

    per_dept = {row.pop("department_id"): row for row in _department_sums(covered)}
    budget = sum((d["budget"] for d in per_dept.values()), Decimal(0))
    executed = sum((d["executed"] for d in per_dept.values()), Decimal(0))
    with_errors = sum(d["with_errors"] for d in per_dept.values())
    by_grade = {r["grade"]: r for r in covered.exclude(grade="").values("grade")
                .annotate(n=CountOf("id"), money=Sum("figures__budget_adjusted")).order_by()}
    # aliases by position: a label's "%" would be taken for a query placeholder
    counted = covered.aggregate(**{f"band{i}": CountOf("id", filter=rule) for i, (_, rule) in enumerate(_band_rules())})
    bands = {name: counted[f"band{i}"] for i, (name, _) in enumerate(EXECUTION_BANDS)}

    unit_counts: dict[int | None, int] = dict(_units(department).values("department_id").annotate(n=CountOf("id"))
                       .values_list("department_id", "n"))
    evaluated: dict[int | None, int] = dict(evaluations.values("department_id").annotate(n=CountOf("unit_id", distinct=True))
                     .values_list("department_id", "n"))
    departments = []
    names = dict(Organisation.objects.filter(kind=OrgKind.DEPARTMENT).values_list("id", "name"))
    for dept_id in sorted(set(unit_counts) | set(evaluated) | set(per_dept), key=lambda i: names.get(i or 0, "")):
        d = per_dept.get(dept_id) or {"covered": 0, "approved": 0, "budget": Decimal(0), "executed": Decimal(0),
                                      "total": 0, "excellent": 0, "with_errors": 0}
        departments.append(DepartmentLine(
            name=names.get(dept_id or 0, "（无主管部门）"), units=unit_counts.get(dept_id, 0),
            evaluated=evaluated.get(dept_id, 0), covered=d["covered"], approved=d["approved"],
            budget=d["budget"], executed=d["executed"],
            average_total=(Decimal(d["total"]) / d["covered"] / 100).quantize(Decimal("0.01")) if d["covered"] else None,
            excellent=d["excellent"],
        ))

    codes = []
    findings = FindingRow.objects.filter(year=year, evaluation__in=covered)
    for r in (findings.values("code", "severity").annotate(evaluations=CountOf("evaluation_id", distinct=True),
                                                           occurrences=CountOf("id"))
              .order_by("-evaluations", "-occurrences", "code")[:TOP_CODES]):
        check = REGISTRY.get(r["code"])
        codes.append(CodeLine(r["code"], check.title if check else r["code"], r["severity"], r["evaluations"],
                              r["occurrences"]))

    problems: list[NamedProblem] = []
    theme_count: Counter[str] = Counter()
    problem_units = 0
    current = (EvaluationVersion.objects.filter(evaluation__in=covered, number=F("evaluation__current_version"))
               .order_by("evaluation__department__name", "evaluation__unit__name", "evaluation_id")
               .values_list("evaluation_id", "evaluation__unit__name", "evaluation__department__name",
                            "data__narrative__problems"))
    named_problems: list[tuple[int, str]] = []
    for evaluation_id, unit, dept_name, named in current.iterator(chunk_size=2000):
        items = [str(p).strip() for p in named or [] if str(p).strip()] if isinstance(named, list) else []
        if not items:
            continue
        named_problems += [(evaluation_id, item) for item in items]
        problem_units += 1
        theme_count.update(_themes(items))
        if len(problems) < LISTED_PROBLEMS:
            text = items[0] if len(items[0]) <= 160 else items[0][:159] + "…"
            problems.append(NamedProblem(unit, dept_name or "", text + (f"（另有 {len(items) - 1} 条）" if len(items) > 1 else "")))

    spot_checks = spot_check_lines(year, department)
    anomalies = anomaly_lines(year, department)
    groups = [Count(pure.clip(text, 80), n) for text, n in pure.similar_groups(named_problems) if n >= 2][:PROBLEM_GROUPS]

    return BureauSummary(
        year=year, scope=_scope_label(department), generated=today or timezone.localdate(),
        units_total=sum(unit_counts.values()), units_evaluated=evaluations.values("unit_id").distinct().count(),
        evaluations=evaluations.count(), covered=sum(d["covered"] for d in per_dept.values()), states=states,
        budget=budget, executed=executed,
        grades=[Count(g, by_grade[g]["n"], by_grade[g]["money"] or Decimal(0)) if g in by_grade else Count(g, 0, Decimal(0))
                for g in GRADES],
        execution_bands=[Count(name, bands[name]) for name, _ in EXECUTION_BANDS],
        departments=departments, codes=codes, with_errors=with_errors,
        problems=problems, problem_units=problem_units,
        problem_themes=sorted((Count(t, n) for t, n in theme_count.items()), key=lambda c: (-c.count, c.label)),
        spot_checks=spot_checks, anomalies=anomalies, problem_groups=groups,
    )


def run(job: Job, progress: Progress) -> None:
    """Gather, then write the report in the format asked for (params["format"]: docx, xlsx or pdf)."""
    fmt = str(job.params.get("format", "docx"))
    if fmt not in ("docx", "xlsx", "pdf"):
        raise JobFailed(f"不支持的格式：{fmt}")
    if job.year is None:
        raise JobFailed("需要选择年度。")
    progress.step(0, 2, "正在汇总数据")
    summary = gather(job.year, job.department)
    if not summary.evaluations:
        raise JobFailed(f"{summary.scope} {job.year} 年度没有自评，无法生成汇总报告。")
    progress.step(1, 2, f"正在生成 .{fmt}")
    write_result(job, f"{job.year}年度绩效自评汇总报告（{summary.scope}）.{fmt}",
                 lambda path: render_summary(summary, path, fmt))
    progress.step(2, 2, "已生成")
