"""The self-evaluation keeps the approved targets: on every save, targets come from the declaration."""

from __future__ import annotations

from jixiao.core.model import Evaluation as EvaluationModel
from jixiao.web.evaluations.models import Evaluation


def keep_approved_targets(evaluation: Evaluation, model: EvaluationModel) -> EvaluationModel:
    """Targets typed over in the editor are replaced by the approved ones; final values are kept."""
    if not any(ind.code for ind in model.indicators):  # not started from targets: no query
        return model
    from jixiao.web.planning.models import EvaluationLink
    from jixiao.web.planning.services import locked_indicators

    link = EvaluationLink.objects.filter(evaluation=evaluation).select_related("targets", "monitoring").first()
    if link is None:
        return model
    return model.model_copy(update={"indicators": locked_indicators(link, model.indicators)})
