"""Anomalies found at save time: the pure rules applied to the rows being written, stored for the page to read.

Per evaluation (inside the save's transaction, from `rows.record`):
- `AnomalyRow`s: each indicator's anomalies (D003–D005, D007, D010) and D002 (all exactly 100%), by the
  pure rules of `analytics` with the default thresholds — the same functions the page used to apply;
- `NarrativeBand`s: each narrative sentence's MinHash (128 permutations, seed 1, character 3-shingles),
  cut into the 14 bands of 9 values that datasketch's LSH uses at Jaccard 0.7, each band hashed to a
  64-bit key. Two sentences are near-duplicates when any band's key agrees (what `MinHashLSH.query` finds).
  The `shared` / `from_last_year` flags of the rows whose keys this save added or removed are updated
  here, so "which sentences does another unit have too" is a read of flagged rows, never a comparison.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.db.models import Exists, OuterRef

from jixiao.web.desk import analytics as pure
from jixiao.web.desk.analytics import THRESHOLDS, AnomalyCode

NUM_PERM = 128
KEYS_AT_ONCE = 900  # band keys per UPDATE … WHERE key IN (…): under SQLite's 999 parameters
INDICATOR_CODES = {AnomalyCode.TARGET_TOO_LOW, AnomalyCode.DOCKED_THOUGH_MET, AnomalyCode.FULL_THOUGH_MISSED,
                   AnomalyCode.REVERSE_MISSED, AnomalyCode.MID_YEAR_JUMP}


def fact_of(row: Any) -> pure.IndicatorFact:
    return pure.IndicatorFact(
        evaluation_id=row.evaluation_id, position=row.position, name=row.name, kind=row.kind, direction=row.direction,
        target=row.target, mid_year=row.mid_year, actual=row.actual, weight=row.weight_hundredths,
        score=row.score_hundredths, completion_rate=row.completion_rate_hundredths, met=row.met,
    )


def anomaly_rows_of(evaluation: Any, indicator_rows: Iterable[Any], model: Any) -> list[Any]:
    """The evaluation's indicator-level anomalies and D002, as unsaved `model` rows."""
    found = []
    rates = []
    for row in indicator_rows:
        if row.kind == "quantitative":
            rates.append(row.completion_rate_hundredths)
        for hit in pure.indicator_hits(fact_of(row), THRESHOLDS):
            if hit.code in INDICATOR_CODES:
                found.append(model(evaluation_id=evaluation.pk, year=evaluation.year, department_id=evaluation.department_id,
                                   code=hit.code.value, position=row.position, detail=hit.detail[:300]))
    if len(rates) >= 2 and pure.all_exactly_100(rates):
        found.append(model(evaluation_id=evaluation.pk, year=evaluation.year, department_id=evaluation.department_id,
                           code=AnomalyCode.ALL_EXACTLY_100.value, position=-1,
                           detail=f"{len(rates)} 个定量指标的完成率都是 100%"))
    return found


def rederive(evaluations: Iterable[Any], indicator_model: Any, anomaly_model: Any) -> None:
    """Re-derive the anomaly rows of these evaluations from their stored indicator rows (no re-scoring)."""
    for e in evaluations:
        rows = list(indicator_model.objects.filter(evaluation_id=e.pk).order_by("position"))
        anomaly_model.objects.filter(evaluation_id=e.pk).delete()
        anomaly_model.objects.bulk_create(anomaly_rows_of(e, rows, anomaly_model))


# ---- narrative fingerprints ----------------------------------------------------------------------

@cache
def _bands() -> tuple[tuple[int, int], ...]:
    from datasketch import MinHashLSH  # type: ignore[import-untyped]

    return tuple(MinHashLSH(threshold=THRESHOLDS.duplicate_similarity, num_perm=NUM_PERM).hashranges)


def band_keys(sentence: str) -> list[int]:
    """The sentence's 14 LSH band keys (signed 64-bit, for a bigint column)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch(sorted(pure.shingles(sentence)))
    values = minhash.hashvalues
    return [int.from_bytes(hashlib.blake2b(values[start:end].tobytes(), digest_size=8).digest(), "big", signed=True)
            for start, end in _bands()]


def narrative_rows_of(evaluation: Any, narrative: Any, model: Any) -> list[Any]:
    """The band rows of the evaluation's narrative sentences (unsaved; flags unset)."""
    found = []
    for i, sentence in enumerate(pure.sentences_of(pure.narrative_text(narrative))):
        for band, key in enumerate(band_keys(sentence)):
            found.append(model(evaluation_id=evaluation.pk, year=evaluation.year, unit_id=evaluation.unit_id,
                               department_id=evaluation.department_id, sentence=i, band=band, key=key,
                               text=pure.clip(sentence) if band == 0 else ""))
    return found


def _same_band(model: Any, **where: Any) -> Any:
    return model.objects.filter(band=OuterRef("band"), key=OuterRef("key"), **where)


def refresh_flags(model: Any, year: int, unit_id: int, added: Iterable[int], removed: Iterable[int] = ()) -> None:
    """Bring `shared` and `from_last_year` up to date where a save may have changed them.

    A key the save added can only turn `shared` on (for its own rows and the other units' rows with it);
    a key it removed can only turn it off, and only where no other unit has it. Saving the same text
    again touches nothing but its own rows, however many units share a sentence. `shared` is a superset
    for the page (which checks the partner is live and in scope when it reads).
    """
    partner = Exists(_same_band(model, year=year).exclude(unit_id=OuterRef("unit_id")))
    added_keys = sorted(set(added))
    for start in range(0, len(added_keys), KEYS_AT_ONCE):
        keys = added_keys[start:start + KEYS_AT_ONCE]
        # the unit's own rows: shared if another unit has the key (a probe each, on narrative_key_idx)
        (model.objects.filter(unit_id=unit_id, year=year, key__in=keys, shared=False).filter(partner)
         .update(shared=True))
        # another unit's row with one of these keys now has this unit as its partner: only the unshared
        # ones are touched (narrative_unshared_idx), however many units already share the sentence
        model.objects.filter(year=year, key__in=keys, shared=False).exclude(unit_id=unit_id).update(shared=True)
    removed_keys = sorted(set(removed) - set(added))
    for start in range(0, len(removed_keys), KEYS_AT_ONCE):
        rows = model.objects.filter(year=year, key__in=removed_keys[start:start + KEYS_AT_ONCE], shared=True)
        rows.exclude(partner).update(shared=False)
    # this year's rows against last year's, and next year's against these: one UPDATE of the unit's rows
    earlier = Exists(model.objects.filter(band=OuterRef("band"), key=OuterRef("key"), unit_id=unit_id,
                                          year=OuterRef("year") - 1))
    model.objects.filter(unit_id=unit_id, year__in=(year, year + 1)).update(from_last_year=earlier)


def refresh_year(model: Any, year: int) -> None:
    """Every flag of a year at once (after a bulk load or a backfill)."""
    partner = Exists(_same_band(model, year=year).exclude(unit_id=OuterRef("unit_id")))
    earlier = Exists(_same_band(model, year=year - 1, unit_id=OuterRef("unit_id")))
    model.objects.filter(year=year).update(shared=partner, from_last_year=earlier)


def record(evaluation: Any, narrative: Any, indicator_rows: list[Any], models: tuple[Any, Any]) -> None:
    """Replace the evaluation's anomaly and narrative rows (inside the save's transaction)."""
    anomaly_model, band_model = models
    anomaly_model.objects.filter(evaluation_id=evaluation.pk).delete()
    anomaly_model.objects.bulk_create(anomaly_rows_of(evaluation, indicator_rows, anomaly_model))
    old = band_model.objects.filter(evaluation_id=evaluation.pk)
    previous = list(old.values_list("key", "year"))
    before, old_years = {key for key, _ in previous}, {year for _, year in previous}
    old.delete()
    new = narrative_rows_of(evaluation, narrative, band_model)
    band_model.objects.bulk_create(new, batch_size=1000)
    for year in old_years - {evaluation.year}:  # the evaluation moved year: its old year's partners too
        refresh_flags(band_model, year, evaluation.unit_id, (), before)
    refresh_flags(band_model, evaluation.year, evaluation.unit_id, {row.key for row in new}, before)

