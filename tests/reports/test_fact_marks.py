"""The marks the refresh writes on the facts so that all of a kind's figures are counted in
one scan (reports.definitions.count_facts_together): each fact's month, and for a row with
several facts (an enrolment under several standards or partners) exactly one fact marked
per row and combination of standard, level and partner."""

from collections import Counter
from itertools import combinations

from reports import rollups
from reports.definitions import FACT_DIMENSIONS, FIRST_DIMENSIONS, MULTI_FACT_KINDS, first_bit
from reports.models import Fact


def test_every_row_is_marked_once_per_combination_of_dimensions(province):
    refresh, _created = rollups.refresh_request()
    rollups.refresh_run(refresh.pk)
    facts = list(Fact.objects.filter(refresh_id=refresh.pk).values())
    assert facts
    for fact in facts:
        assert fact["month"] == fact["day"].year * 12 + fact["day"].month - 1
    multi = [fact for fact in facts if fact["kind"] in MULTI_FACT_KINDS]
    rows = Counter((fact["kind"], fact["row_id"]) for fact in multi)
    # The province has enrolments joined to several standards or partners.
    assert any(count > 1 for count in rows.values())
    for size in range(len(FIRST_DIMENSIONS) + 1):
        for dimensions in combinations(FIRST_DIMENSIONS, size):
            bit = first_bit(dimensions)
            columns = [FACT_DIMENSIONS[name] for name in dimensions]
            groups = Counter(
                (fact["kind"], fact["row_id"], *(fact[column] for column in columns))
                for fact in multi
            )
            marked = Counter(
                (fact["kind"], fact["row_id"], *(fact[column] for column in columns))
                for fact in multi
                if fact["firsts"] & bit
            )
            assert marked == Counter(dict.fromkeys(groups, 1)), dimensions
    # The other kinds have one fact per row: every fact counts.
    assert all(fact["firsts"] == 255 for fact in facts if fact["kind"] not in MULTI_FACT_KINDS)
