"""Classical item analysis for question banks: facility and discrimination; pure values only."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from django.utils.translation import gettext as _

MILLI = Decimal("0.001")


@dataclass(frozen=True)
class ItemStats:
    """How one question performed; None where a figure is undefined."""

    attempts: int
    facility: Decimal | None
    discrimination: Decimal | None


def _to_decimal(value: Fraction) -> Decimal:
    """A Fraction rounded half up to 0.001."""
    with localcontext() as context:
        context.prec = 40
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            MILLI, ROUND_HALF_UP
        )


def _correlation(xs: list[Fraction], ys: list[Fraction]) -> Decimal | None:
    """Pearson's r of two equally long series, None when either has no variance."""
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    # r² is exact as a Fraction; only the final square root needs Decimal precision.
    r_squared = sxy * sxy / (sxx * syy)
    with localcontext() as context:
        context.prec = 40
        r = (Decimal(r_squared.numerator) / Decimal(r_squared.denominator)).sqrt()
        r = min(r, Decimal(1)).quantize(MILLI, ROUND_HALF_UP)
    return -r if sxy < 0 else r


def item_statistics(
    rows: Sequence[tuple[Decimal, Decimal]], *, item_points: Decimal | None = None
) -> ItemStats:
    """Facility and discrimination of one item from (item fraction 0..1, total score) rows.

    Facility is the mean item fraction. Discrimination is Pearson's r between the item
    fraction and the total score (point-biserial for 0/1 items); pass item_points to
    correlate with the rest of the paper instead (total minus this item's points), the
    corrected item-total correlation, which does not flatter items on short papers.
    """
    fractions = [Fraction(fraction) for fraction, _total in rows]
    if any(not 0 <= f <= 1 for f in fractions):
        raise ValueError(_("An item fraction must be between 0 and 1."))
    if not rows:
        return ItemStats(0, None, None)
    facility = _to_decimal(sum(fractions) / len(fractions))
    totals = [Fraction(total) for _fraction, total in rows]
    if item_points is not None:
        totals = [t - f * Fraction(item_points) for f, t in zip(fractions, totals, strict=True)]
    discrimination = _correlation(fractions, totals) if len(rows) >= 2 else None
    return ItemStats(len(rows), facility, discrimination)
