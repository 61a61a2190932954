"""What uses each version of a skill standard, counted by the apps built on exams.

exams cannot import the apps that depend on it (certificates), so such an app registers a
counter here from its AppConfig.ready(); the standards workspace shows every registered
count beside the accreditations and exams it counts itself.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

# standard ids -> {(standard id, level number): count}, in a fixed number of queries.
Counter = Callable[[Iterable[int]], dict[tuple[int, int], int]]


@dataclass(frozen=True)
class UsageCounter:
    key: str
    label: str  # lazily translated
    count: Counter


COUNTERS: dict[str, UsageCounter] = {}


def register(key: str, label, count: Counter) -> None:
    COUNTERS[key] = UsageCounter(key=key, label=label, count=count)


def counts(standard_ids: Iterable[int]) -> dict[str, dict[tuple[int, int], int]]:
    """Every registered counter's counts for these standard versions, by its key."""
    ids = list(standard_ids)
    return {key: counter.count(ids) if ids else {} for key, counter in COUNTERS.items()}
