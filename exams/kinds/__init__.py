"""Question kinds: one module per kind behind one registry.

Each module holds everything about its kind (a ``Kind`` subclass, see ``base.Kind``): its
label, whether people mark it, its checks, its grader, what a student gets (and how its
options shuffle), the key a teacher sees, its answer widget
(``templates/exams/kinds/<name>.html``) and its authoring form (``forms.KindEditor``).

Adding a kind: a module here, one line in REGISTRY, its widget template, a demo question
in lms/demo/exam_content.py and its tests; the registry test
(tests/exams/test_kinds_registry.py) fails until every part is there. The attempt page's
script (static/exams/attempt.js) reads a new kind's widget from its controls marked
``data-answer="path"`` (e.g. "title", "bullets.0", "steps.s1"): no script change.
"""

from . import (
    calculation,
    cloze,
    essay,
    fill_blanks,
    listing,
    matching,
    multiple_choice,
    numeric,
    ordering,
    practical,
    single_choice,
    true_false,
)
from .base import KeyView, Kind, unknown_kind

REGISTRY: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        single_choice.kind,
        multiple_choice.kind,
        true_false.kind,
        fill_blanks.kind,
        numeric.kind,
        calculation.kind,
        matching.kind,
        ordering.kind,
        cloze.kind,
        essay.kind,
        practical.kind,
        listing.kind,
    )
}


def get(name: object) -> Kind:
    """The kind of that name, or ValueError with a translated message."""
    try:
        return REGISTRY[name]  # type: ignore[index]
    except (KeyError, TypeError):
        raise unknown_kind(name) from None


__all__ = ["REGISTRY", "KeyView", "Kind", "get"]
