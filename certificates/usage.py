"""Certificates counted per skill standard version and level, for the standards workspace."""

from collections.abc import Iterable

from django.db.models import Count

from .models import Certificate


def certificates_by_level(standard_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """Current certificates issued under each (standard version, level): one query."""
    rows = (
        Certificate.objects.filter(skill_level__standard_id__in=list(standard_ids), is_current=True)
        .values_list("skill_level__standard_id", "skill_level__level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(standard_id, level): n for standard_id, level, n in rows}
