"""Shared helpers for the benchmarks: timing, percentiles and the results table."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(**env: str) -> None:
    """Configure Django for a benchmark process (settings from the environment)."""
    for name, value in env.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timings(fn: Callable[[], object], *, runs: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def alternate(a: Callable[[], object], b: Callable[[], object], *, runs: int):
    """Time two functions interleaved, so machine noise hits both alike."""
    a(), b()
    ta, tb = [], []
    for _ in range(runs):
        for fn, sink in ((a, ta), (b, tb)):
            started = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - started)
    return ta, tb


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Row:
    what: str
    measured: str
    target: str
    ok: bool

    def line(self) -> str:
        verdict = "meets" if self.ok else "MISSES"
        return f"| {self.what} | {self.measured} | {self.target} | {verdict} |"


def print_rows(rows: list[Row]) -> None:
    print("| what | measured | target | verdict |")
    print("|---|---|---|---|")
    for row in rows:
        print(row.line(), flush=True)
