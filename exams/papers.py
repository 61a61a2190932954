"""Drawing papers from a blueprint, and telling whether the banks are deep enough."""

import random
from dataclasses import dataclass

from django.db.models import Count

from .models import Exam, QuestionVersion
from .models.bank import Question


@dataclass(frozen=True)
class RuleDepth:
    part: str
    competency: str
    difficulty: int
    wanted: int
    available: int

    @property
    def enough(self) -> bool:
        return self.available >= self.wanted

    @property
    def spare(self) -> int:
        return self.available - self.wanted


def _pool(exam: Exam):
    return Question.objects.active().filter(bank__in=exam.banks.all())


def pool_counts(bank_ids) -> dict[tuple[str, str, int], int]:
    """Active questions of these banks counted by (kind, competency, difficulty): one query."""
    rows = (
        Question.objects.active()
        .filter(bank_id__in=list(bank_ids))
        .values("kind", "competency", "difficulty")
        .annotate(n=Count("pk"))
    )
    return {(row["kind"], row["competency"], row["difficulty"]): row["n"] for row in rows}


def matching(counts: dict[tuple[str, str, int], int], rule) -> int:
    """How many questions of `counts` (see pool_counts) a blueprint rule, saved or not, accepts."""
    return sum(
        n
        for (kind, competency, difficulty), n in counts.items()
        if rule.accepts(kind=kind, competency=competency, difficulty=difficulty)
    )


def bank_depth(exam: Exam) -> list[RuleDepth]:
    """How many active questions each blueprint rule can draw from (two queries)."""
    counts = {
        (row["kind"], row["competency"], row["difficulty"]): row["n"]
        for row in _pool(exam).values("kind", "competency", "difficulty").annotate(n=Count("pk"))
    }
    depth = []
    for section in exam.sections.prefetch_related("rules"):
        for rule in section.rules.all():
            available = sum(
                n
                for (kind, competency, difficulty), n in counts.items()
                if rule.accepts(kind=kind, competency=competency, difficulty=difficulty)
            )
            depth.append(
                RuleDepth(section.part, rule.competency, rule.difficulty, rule.count, available)
            )
    return depth


@dataclass(frozen=True)
class DrawnQuestion:
    part: str
    version: QuestionVersion


def draw_paper(
    exam: Exam, *, rng: random.Random, seen: set[int] = frozenset()
) -> list[DrawnQuestion]:
    """Pick versions for every rule; prefer questions this student has not seen before.

    The draw looks only at each question's kind, competency and difficulty;
    the versions (with their content) are loaded for the questions drawn, not
    for the whole bank, because thousands of students start in the same minute.
    Raises LookupError when a rule cannot be filled at all.
    """
    pool: dict[tuple[str, str, int], list[int]] = {}
    rows = _pool(exam).values_list("pk", "kind", "competency", "difficulty")
    for question_id, kind, competency, difficulty in rows:
        pool.setdefault((kind, competency, difficulty), []).append(question_id)
    chosen: list[tuple[str, int]] = []
    taken: set[int] = set()
    for section in exam.sections.prefetch_related("rules"):
        for rule in section.rules.all():
            candidates = [
                question_id
                for (kind, competency, difficulty), ids in pool.items()
                if rule.accepts(kind=kind, competency=competency, difficulty=difficulty)
                for question_id in ids
                if question_id not in taken
            ]
            if len(candidates) < rule.count:
                raise LookupError(str(rule))
            fresh = [q for q in candidates if q not in seen]
            stale = [q for q in candidates if q in seen]
            rng.shuffle(fresh)
            rng.shuffle(stale)
            for question_id in (fresh + stale)[: rule.count]:
                taken.add(question_id)
                chosen.append((section.part, question_id))
    questions = Question.objects.select_related("current_version").in_bulk(taken)
    drawn = []
    for part, question_id in chosen:
        question = questions[question_id]
        version = question.current_version
        version.question = question  # known already: freezing the paper reads its kind
        drawn.append(DrawnQuestion(part, version))
    return drawn
