"""The report auditor: read a self-evaluation report, recompute every figure, point at every inconsistency.

`audit_document(path, rules)` is the one call: extract text, normalise it, read the
stated figures, build a core `Evaluation` (stated values plus where they were
stated), run the core's `evaluate()` and the document-level checks.
"""

from jixiao.audit.run import DocumentAudit, audit_document, audit_lines

__all__ = ["DocumentAudit", "audit_document", "audit_lines"]
