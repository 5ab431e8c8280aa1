"""The submission gate: which open findings stop 送审, and which the preparer must confirm.

Pure: the rule set's `submission` table decides by severity. Reviewers are never blocked (they may
approve what the rules let through), but they see every open finding and confirm before approving.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.core.findings import Finding, Severity, sort_findings
from jixiao.core.rules import RuleSet


@dataclass(frozen=True, slots=True)
class Gate:
    blocking: list[Finding]  # these must be fixed before submission
    to_confirm: list[Finding]  # these need a confirming tick and a reason
    open: list[Finding]  # every error and warning, what a reviewer confirms on approval

    @property
    def may_submit(self) -> bool:
        return not self.blocking


def gate(findings: list[Finding], rules: RuleSet) -> Gate:
    ordered = sort_findings(findings)
    return Gate(
        blocking=[f for f in ordered if f.severity in rules.submission.block],
        to_confirm=[f for f in ordered if f.severity in rules.submission.confirm],
        open=[f for f in ordered if f.severity in (Severity.ERROR, Severity.WARNING)],
    )


def describe(findings: list[Finding], limit: int = 5) -> str:
    """A short Chinese list of findings for a message ("B006 所述预算调整率…；I003 …")."""
    shown = "；".join(f"{f.code} {f.message}" for f in findings[:limit])
    more = f"；等共 {len(findings)} 项" if len(findings) > limit else ""
    return shown + more
