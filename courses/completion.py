"""Evidence of a passed assessment, supplied to courses by the apps that assess.

A course may require "a passed exam or quiz". courses sits below exams in the layering
(organizations <- courses <- exams <- certificates) and must work installed alone, so it
cannot ask exams who passed. Instead an assessing app registers an `EvidenceSource` here
from its AppConfig.ready() (exams does, in exams/course_evidence.py):

- `passed(enrollment_ids)` answers which of these enrolments' students passed an
  assessment of the enrolment's course, in a fixed number of queries;
- `assessments(course)` lists what counts, as (title, url or None), for authors and students.

When one of its results changes, the app calls `courses.services.enrollment_recheck()`, so a
pass that arrives after the last lesson completes the course then. With no source registered
the studio does not offer the criterion, and a course that requires it is never completed:
the absence of evidence is never read as evidence.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class EvidenceSource:
    key: str
    label: str  # lazily translated, e.g. "Exams"
    passed: Callable[[Iterable[int]], set[int]]
    assessments: Callable[[object], list[tuple[str, str | None]]]


SOURCES: dict[str, EvidenceSource] = {}


def register(source: EvidenceSource) -> None:
    SOURCES[source.key] = source


def can_require_assessment() -> bool:
    return bool(SOURCES)


def passed_enrollment_ids(enrollment_ids: Iterable[int]) -> set[int]:
    """Enrolments (of those given) whose student passed an assessment of their course."""
    ids = list(enrollment_ids)
    found: set[int] = set()
    for source in SOURCES.values():
        if not ids:
            break
        found |= source.passed(ids)
        ids = [pk for pk in ids if pk not in found]
    return found


def assessments(course) -> list[tuple[str, str | None]]:
    """What counts as the course's assessment, from every source."""
    return [item for source in SOURCES.values() for item in source.assessments(course)]
