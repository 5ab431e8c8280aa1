"""A unit moved to another department takes its records with it, in the same transaction, logged.

Records copy their unit's department (`department_id`) so that a department's lists, reviews and
dashboards are one indexed filter. A copy is only right while the tree stays put: when a unit's
parent changes, every record of the unit — evaluations (open and closed: the new department
supervises the unit's whole history, the old one no longer does), targets and monitoring, the
rectification items and the desk's rows — is re-homed here, inside the transaction that saves the
move, and each evaluation's audit log says so. `COPIES` lists every copy; a test fails when a model
gains a `department` field that is in neither `COPIES` nor `NOT_COPIES`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

# model label → the path from one of its rows to its unit
COPIES: dict[str, str] = {
    "evaluations.Evaluation": "unit",
    "planning.StageRecord": "unit",
    "planning.Rectification": "unit",
    "desk.EvaluationFigures": "evaluation__unit",
    "desk.IndicatorRow": "evaluation__unit",
    "desk.FindingRow": "evaluation__unit",
    "desk.AnomalyRow": "evaluation__unit",
    "desk.NarrativeBand": "unit",
}
# model label → why its `department` is not a copy of a unit's
NOT_COPIES: dict[str, str] = {
    "orgs.Organisation": "the tree itself (a unit's parent)",
    "desk.Job": "the scope a job was started in, chosen by its owner",
    "desk.SpotCheck": "the scope a sample was drawn in (its frame is recorded as drawn)",
}


def rehome(unit: Any, old_department_id: int | None, actor: Any = None) -> int:
    """Give every record of `unit` its current department; returns how many evaluations moved.

    Run inside the transaction that saved the move (Organisation.save does)."""
    new_department_id = unit.department_id
    for label, path in COPIES.items():
        model = apps.get_model(label)
        model.objects.filter(**{path: unit}).exclude(department_id=new_department_id).update(
            department_id=new_department_id)
    evaluation_model = apps.get_model("evaluations.Evaluation")
    audit_model = apps.get_model("evaluations.AuditEntry")
    organisation = type(unit)
    names = dict(organisation.objects.filter(pk__in=[i for i in (old_department_id, new_department_id) if i])
                 .values_list("pk", "name"))
    detail = {"from": names.get(old_department_id, ""), "to": names.get(new_department_id, ""),
              "text": f"{unit.name} 由“{names.get(old_department_id, '无')}”划转至“{names.get(new_department_id, '无')}”"}
    ids = list(evaluation_model.objects.filter(unit=unit).values_list("pk", flat=True))
    audit_model.objects.bulk_create(
        audit_model(evaluation_id=pk, actor=actor if getattr(actor, "pk", None) else None, action="move", detail=detail)
        for pk in ids
    )
    return len(ids)
