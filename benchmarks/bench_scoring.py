"""Scoring throughput on seed-sized input, one core (goal: ≥ 2,000 evaluations per second).

Measures the engine alone (score + every check) and the whole path from YAML text
(parse, validate, score, check), then shows memory stays flat over many evaluations.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import measure, peak_rss_mib, report
from jixiao.core.evaluate import evaluate
from jixiao.core.scoring import score
from jixiao.io.evaluation_file import parse_evaluation
from jixiao.io.rules_file import load_rules

SEED = Path(__file__).parents[1] / "examples" / "xinshi-commerce-2024.yaml"


def main() -> None:
    text = SEED.read_text("utf-8")
    rules = load_rules()
    evaluation = parse_evaluation(text, str(SEED))
    report("score only (seed)", measure(lambda: score(evaluation, rules)))
    report("score + all checks (seed)", measure(lambda: evaluate(evaluation, rules)), "goal ≥ 2000/s")
    report("YAML text → validate → score → check (seed)", measure(lambda: evaluate(parse_evaluation(text, "seed"), rules)))
    before = peak_rss_mib()
    for _ in range(20000):
        evaluate(evaluation, rules)
    print(f"peak RSS {peak_rss_mib():.1f} MiB (before 20,000 more evaluations: {before:.1f} MiB)")


if __name__ == "__main__":
    main()
