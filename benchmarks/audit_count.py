"""Instructions an audit costs per document, the same at any load (valgrind counts them, the clock does not).

    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        .venv/bin/python benchmarks/audit_count.py [--explain] N FILE...

audits every FILE N times, round after round, in one process (read → findings → JSON document, as the CLI's
batch does; with `--explain`, what was read described too). Per document = (count at N − count at 0) / (N × files). Run with PYTHONHASHSEED=0: then the count
is the same from run to run. A single FILE repeated is what a batch of copies costs (the readers keep the
last document or two they read); several files each once a round are each read afresh.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jixiao.audit import audit_document
from jixiao.audit.output import document_json
from jixiao.io.rules_file import load_rules


def main() -> None:
    args = sys.argv[1:]
    explain = args[:1] == ["--explain"]
    rounds = int(args[explain])
    files = [Path(p) for p in args[explain + 1 :]]
    rules = load_rules(None)
    for _ in range(rounds):
        for path in files:
            json.dumps(document_json(audit_document(path, rules, explain)), ensure_ascii=False)


if __name__ == "__main__":
    main()
