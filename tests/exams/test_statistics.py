"""Tests for item analysis: facility and discrimination."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exams.statistics import ItemStats, item_statistics

D = Decimal
# (item fraction, total score): strong students got the item right.
ROWS = [(D(1), D(10)), (D(1), D(8)), (D(0), D(6)), (D(0), D(4))]


def test_facility_is_the_mean_item_fraction() -> None:
    assert item_statistics([(D("0.5"), D(1)), (D(1), D(2)), (D(0), D(3))]).facility == D("0.500")


def test_discrimination_is_the_point_biserial_correlation_with_the_total() -> None:
    # r = 4 / sqrt(1 * 20) = 0.8944...
    assert item_statistics(ROWS) == ItemStats(
        attempts=4, facility=D("0.500"), discrimination=D("0.894")
    )


def test_discrimination_can_use_the_rest_of_the_paper() -> None:
    # Rest scores 8, 6, 6, 4 once the 2-point item is taken out: r = 2 / sqrt(8) = 0.7071...
    assert item_statistics(ROWS, item_points=D(2)).discrimination == D("0.707")


def test_an_item_weak_students_get_right_discriminates_negatively() -> None:
    rows = [(D(0), D(10)), (D(0), D(8)), (D(1), D(6)), (D(1), D(4))]
    assert item_statistics(rows).discrimination == D("-0.894")


def test_an_item_that_tracks_the_total_exactly_discriminates_perfectly() -> None:
    rows = [(D("0.25"), D(1)), (D("0.5"), D(2)), (D("0.75"), D(3))]
    assert item_statistics(rows).discrimination == D("1.000")


@pytest.mark.parametrize(
    "rows",
    [
        [(D(1), D(5))],
        [(D(1), D(5)), (D(1), D(9))],
        [(D(0), D(5)), (D(1), D(5))],
    ],
)
def test_discrimination_is_undefined_without_two_rows_or_variance(rows: list) -> None:
    assert item_statistics(rows).discrimination is None


def test_no_attempts_give_no_figures() -> None:
    assert item_statistics([]) == ItemStats(attempts=0, facility=None, discrimination=None)


def test_it_refuses_an_item_fraction_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        item_statistics([(D("1.5"), D(3))])


fraction_st = st.decimals(min_value=0, max_value=1, places=2)
total_st = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=100)
@given(rows=st.lists(st.tuples(fraction_st, total_st), max_size=30))
def test_figures_stay_in_range_and_are_quantized(rows: list) -> None:
    stats = item_statistics(rows)
    assert stats.attempts == len(rows)
    if stats.facility is not None:
        assert D(0) <= stats.facility <= D(1)
        assert stats.facility.as_tuple().exponent == -3
    if stats.discrimination is not None:
        assert D(-1) <= stats.discrimination <= D(1)
        assert stats.discrimination.as_tuple().exponent == -3
