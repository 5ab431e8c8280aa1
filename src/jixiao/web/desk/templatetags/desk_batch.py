"""`{% batch_audits evaluation %}`: the batch audits of an evaluation's unit and year, beside the evaluation."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web.desk.batch import audits_for

register = template.Library()


@register.inclusion_tag("desk/batch_for_evaluation.html", takes_context=True)
def batch_audits(context: dict[str, Any], evaluation: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"audits": audits_for(evaluation, user) if user is not None and user.is_authenticated else []}
