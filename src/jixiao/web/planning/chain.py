"""The self-evaluation keeps the approved targets: on every save, targets come from the declaration,
and the edit page shows them locked, with where they came from, their adjustments and open problems."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from jixiao.core.chain import TARGET_FIELDS
from jixiao.core.model import Evaluation as EvaluationModel
from jixiao.core.targets import (
    DECISION_LABELS,
    Decision,
    TargetDeclaration,
    adjusted,
    apply_adjustments,
    target_history,
)
from jixiao.io.errors import InputError, Problem
from jixiao.web.evaluations.models import Evaluation

# The self-evaluation's cells that come from the approved targets (and the monitoring report).
LOCKED_CELLS = frozenset(TARGET_FIELDS) - {"code"} | {"weight", "mid_year"}
LOCKED_WHY = "来自批准的绩效目标，不能在自评中修改；如需改变请在绩效目标中申请调整"
FIXED_WHY = "此指标来自批准的绩效目标，不能在自评中删除或调整顺序"


def keep_approved_targets(evaluation: Evaluation, model: EvaluationModel) -> EvaluationModel:
    """Targets typed over in the editor are replaced by the approved ones; final values are kept.
    An indicator row deleted or added is refused: the indicators are the approved targets'."""
    from jixiao.web.planning.models import EvaluationLink
    from jixiao.web.planning.services import locked_indicators, model_of

    # Asked on every save, even of a draft without codes: deleting every target row must not slip through.
    link = EvaluationLink.objects.filter(evaluation=evaluation).select_related("targets", "monitoring").first()
    if link is None:
        return model
    declaration = model_of(link.targets)
    assert isinstance(declaration, TargetDeclaration)
    refused = rows_changed(apply_adjustments(declaration), model)
    if refused:
        raise InputError("自评", refused)
    return model.model_copy(update={"indicators": locked_indicators(link, model.indicators)})


def rows_changed(declaration: TargetDeclaration, model: EvaluationModel) -> list[Problem]:
    """A problem for each target row missing from the self-evaluation and each row not among the targets."""
    codes = {ind.code for ind in model.indicators if ind.code}
    declared = {ind.code for ind in declaration.indicators}
    problems = [
        Problem(f"指标“{t.code} {t.name}”来自批准的绩效目标，不能在自评中删除；如需取消请在绩效目标中申请调整")
        for t in declaration.indicators if t.code not in codes
    ]
    problems += [
        Problem(f"指标“{ind.name}”不在批准的绩效目标中，不能在自评中新增；如需增加请在绩效目标中申请调整")
        for ind in model.indicators if not ind.code or ind.code not in declared
    ]
    return problems


def _linked(evaluation: Evaluation) -> tuple[Any, TargetDeclaration] | None:
    """The evaluation's link to the targets it was started from, and those targets as stored now."""
    from jixiao.web.planning.models import EvaluationLink
    from jixiao.web.planning.services import model_of

    link = EvaluationLink.objects.filter(evaluation=evaluation).select_related("targets", "monitoring", "monitoring__round").first()
    if link is None:
        return None
    declaration = model_of(link.targets)
    assert isinstance(declaration, TargetDeclaration)
    return link, declaration


def lock_targets_in_editor(evaluation: Evaluation, form: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Lock the target cells of indicators that come from the approved declaration; the panel above
    the form names the declaration and shows each target's adjustments and the unit's open items."""
    if not any(isinstance(item, dict) and item.get("code") for item in data.get("indicators") or []):
        return {}
    linked = _linked(evaluation)
    if linked is None:
        return {}
    link, declaration = linked
    in_force = {ind.code for ind in apply_adjustments(declaration).indicators}
    for row, item in zip(form.tables["ind"], data.get("indicators") or [], strict=False):
        if isinstance(item, dict) and item.get("code") in in_force:
            row.fixed = FIXED_WHY
            for cell in row.cells + row.details:
                if cell.spec.path in LOCKED_CELLS:
                    cell.locked = LOCKED_WHY
    return {"chain_panel": chain_panel(evaluation, link, declaration, reading=False), "targets_fixed": True}


def chain_on_detail(evaluation: Evaluation, user: Any) -> dict[str, Any]:
    """The reader's page of a self-evaluation from targets shows the same panel: where its targets came
    from and how each adjusted one changed (the reviewer approves against the approved targets). A
    reviewer who may send the unit a rectification notice gets the form's address, filled in with the
    unit, the year and 绩效自评 as the source (problems found in a self-evaluation become items)."""
    from jixiao.web.planning.services import rectification_form_url

    extra: dict[str, Any] = {}
    url = rectification_form_url(user, evaluation.unit, evaluation.year, "self_evaluation")
    if url:
        extra["rectify_url"] = url
    linked = _linked(evaluation)
    if linked is not None:
        link, declaration = linked
        extra["chain_panel"] = chain_panel(evaluation, link, declaration, reading=True)
    return extra


def chain_panel(evaluation: Evaluation, link: Any, declaration: TargetDeclaration, reading: bool) -> SafeString:
    """The panel naming the declaration (and monitoring report), each target adjustment with its steps and
    decision, and the unit's open rectification items."""
    from jixiao.web.planning.services import open_rectifications, shown

    rows = []
    for adjustment in declaration.adjustments:
        declared = declaration.indicator(adjustment.code)
        if declared is None:
            continue
        asked = adjusted(declared, adjustment)
        steps = target_history(declaration, adjustment.code) if adjustment.decision is Decision.APPROVED else [(declared, None), (asked, None)]
        rows.append({
            "adj": adjustment, "name": declared.name, "label": DECISION_LABELS[adjustment.decision],
            "steps": " → ".join(shown(t.comparator, t.target, t.target_text, t.unit) for t, _ in steps),
        })
    return SafeString(render_to_string("planning/_evaluation_chain.html", {
        "link": link, "adjustments": rows, "open_items": open_rectifications(evaluation.unit), "reading": reading,
    }))


def record_actuals(evaluation: Evaluation) -> None:
    """A self-evaluation's final approval: each indicator's actual value goes on its use record, under
    the code it had in the targets and the library entry it came from (or whose name it bears), so
    next year's declaration shows last year's target and actual side by side. An indicator with
    neither a code nor a library entry has no identity to carry and is left to the name match."""
    from jixiao.web.evaluations.services import version_model
    from jixiao.web.planning import library
    from jixiao.web.planning.models import EvaluationLink, IndicatorUse, UseStage
    from jixiao.web.planning.services import model_of, shown

    model = version_model(evaluation.versions.get(number=evaluation.current_version))
    link = EvaluationLink.objects.filter(evaluation=evaluation).select_related("targets").first()
    declared: dict[str, str] = {}
    if link is not None:
        declaration = model_of(link.targets)
        assert isinstance(declaration, TargetDeclaration)
        declared = {ind.code: ind.library_code or "" for ind in apply_adjustments(declaration).indicators}
    by_name = library.code_by_name()
    rows = []
    for ind in model.indicators:
        library_code = (declared.get(ind.code, "") if ind.code else "") or by_name.get(ind.name.strip(), "")
        code = ind.code or library_code
        text = shown(None, ind.actual, ind.actual_text or (ind.band.value if ind.band else None), ind.unit)
        if code and text != "—":
            rows.append((code, ind.name, library_code, text))
    # Approved again after a reopening: a value already recorded is not recorded twice.
    latest = {u.code: u.shown for u in IndicatorUse.objects.filter(
        unit_id=evaluation.unit_id, year=evaluation.year, use=UseStage.ACTUAL, code__in=[r[0] for r in rows]).order_by("at", "id")}
    IndicatorUse.objects.bulk_create(
        IndicatorUse(code=code, unit_id=evaluation.unit_id, year=evaluation.year, use=UseStage.ACTUAL, name=name,
                     library_code=library_code, shown=text, record=link.targets if link is not None else None)
        for code, name, library_code, text in rows if latest.get(code) != text
    )
