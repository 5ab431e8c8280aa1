"""Small timing helpers shared by the benchmarks: latency percentiles and peak memory."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(func: Callable[[], object], seconds: float = 3.0, warmup: int = 20) -> dict[str, float]:
    """Call func repeatedly for about `seconds`; return throughput and latency percentiles (ms)."""
    for _ in range(warmup):
        func()
    samples: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        t0 = time.perf_counter()
        func()
        samples.append(time.perf_counter() - t0)
    elapsed = sum(samples)
    samples.sort()
    return {
        "n": len(samples),
        "per_second": len(samples) / elapsed,
        "p50_ms": statistics.median(samples) * 1000,
        "p95_ms": samples[int(len(samples) * 0.95) - 1] * 1000,
        "max_ms": samples[-1] * 1000,
    }


def report(name: str, stats: dict[str, float], goal: str = "") -> None:
    print(
        f"{name:<44} {stats['per_second']:>9.0f}/s  p50 {stats['p50_ms']:.2f} ms  p95 {stats['p95_ms']:.2f} ms"
        f"  max {stats['max_ms']:.2f} ms  (n={stats['n']:.0f}) {goal}",
        flush=True,
    )
