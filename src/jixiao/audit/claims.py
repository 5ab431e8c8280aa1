"""The claim readers moved to the core (`jixiao.core.claims`): the narrative checks run on structured data too."""

from __future__ import annotations

from jixiao.core.claims import Claim, Quantity, quantity, read_claims, within

__all__ = ["Claim", "Quantity", "quantity", "read_claims", "within"]
