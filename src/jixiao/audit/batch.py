"""Audit many documents on every core, results in input order, with a bounded number in flight.

A seed-sized text report takes a few milliseconds; a batch of hundreds is worth
spreading over the machine's cores. Work is sent in chunks (one process per
report would cost more than the audit itself) and at most a few chunks per
worker are outstanding, so memory stays flat however long the batch is.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.audit.run import DocumentAudit, audit_document
from jixiao.core.rules import RuleSet

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK = 16
_rules: RuleSet | None = None
_explain = True


def default_jobs(count: int) -> int:
    """One process for small batches (starting workers costs more than it saves), all cores for large ones."""
    if count < 4 * CHUNK:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _init(rules: RuleSet, explain: bool) -> None:
    global _rules, _explain
    _rules, _explain = rules, explain


def _audit_chunk(paths: list[Path]) -> list[DocumentAudit]:
    assert _rules is not None
    return [audit_document(path, _rules, _explain).slim() for path in paths]


def audit_paths(paths: list[Path], rules: RuleSet, jobs: int = 1, explain: bool = True) -> Iterator[DocumentAudit]:
    """Yield each document's audit in the order given (without `explain`, what was read is not described)."""
    if jobs <= 1:
        for path in paths:
            yield audit_document(path, rules, explain)
        return
    # Here, not at the top: one report audited does not load multiprocessing (nor logging with it).
    from concurrent.futures import ProcessPoolExecutor

    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(rules, explain)) as pool:
        pending: deque[Future[list[DocumentAudit]]] = deque()
        next_chunk = 0
        while next_chunk < len(chunks) or pending:
            while next_chunk < len(chunks) and len(pending) < 2 * jobs:
                pending.append(pool.submit(_audit_chunk, chunks[next_chunk]))
                next_chunk += 1
            yield from pending.popleft().result()
