"""Who sees which statistics: the one place the page, the exports and the API ask.

- A regulator (or administrator of a government body) sees everything under the standards
  the body owns: the exam sittings and certificates of those standards, their
  verifications, and the enrolments and completions at the schools the body accredited.
- A school's teachers and administrators see their school's slice, unsuppressed.
- An enterprise's administrators and verifiers see the certificates it co-assessed and the
  verifications that concern it (made by it, or of a certificate it co-assessed).
- A platform administrator sees everything.

No statistic names a person. Outside the school concerned, a cell about fewer than 5 people
is shown as "< 5" (reports.services does it, for every view, export and API).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from exams.access import standard_body_ids
from exams.models import Accreditation
from organizations.access import Role, is_platform_admin, organization_ids
from organizations.models import Organization

from .definitions import SOURCES

SCHOOL_ROLES = (Role.TEACHER, Role.ADMIN)
ENTERPRISE_ROLES = (Role.ADMIN, Role.VERIFIER)


@dataclass
class Scope:
    """What one reader may count: a filter per source (absent: the source is not theirs)."""

    sources: dict = field(default_factory=dict)
    own_school_ids: frozenset = frozenset()
    # True when every row the reader sees is of their own schools (nothing to suppress).
    only_own_schools: bool = False
    body_ids: frozenset = frozenset()
    enterprise_ids: frozenset = frozenset()
    everything: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.sources

    def sees(self, source_key: str) -> bool:
        return source_key in self.sources

    def filter_for(self, source_key: str) -> Q | None:
        """The rows of the source the reader sees (None: all of them)."""
        return self.sources[source_key]

    def is_own(self, school_id) -> bool:
        return school_id is not None and school_id in self.own_school_ids


def _any(rules: list[Q]) -> Q:
    combined = rules[0]
    for rule in rules[1:]:
        combined |= rule
    return combined


def statistics_scope(user) -> Scope:
    if not user.is_authenticated:
        return Scope()
    if is_platform_admin(user):
        return Scope(sources=dict.fromkeys(SOURCES), everything=True)
    schools = frozenset(organization_ids(user, SCHOOL_ROLES, kind=Organization.Kind.SCHOOL))
    bodies = frozenset(standard_body_ids(user))
    enterprises = frozenset(
        organization_ids(user, ENTERPRISE_ROLES, kind=Organization.Kind.ENTERPRISE)
    )
    rules: dict[str, Q] = {}
    for source in SOURCES.values():
        found = []
        if schools:
            found.append(Q(**{f"{source.school_field}__in": schools}))
        if bodies:
            if source.owner_field:
                found.append(Q(**{f"{source.owner_field}__in": bodies}))
            else:
                accredited = Accreditation.objects.filter(
                    school_id=OuterRef(source.school_field), standard__owner_id__in=bodies
                )
                found.append(Q(Exists(accredited)))
        if enterprises:
            found.extend(Q(**{f"{name}__in": enterprises}) for name in source.enterprise_fields)
        if found:
            rules[source.key] = _any(found)
    return Scope(
        sources=rules,
        own_school_ids=schools,
        only_own_schools=bool(schools) and not bodies and not enterprises,
        body_ids=bodies,
        enterprise_ids=enterprises,
    )


def can_view_statistics(user) -> bool:
    return not statistics_scope(user).is_empty


def can_refresh_statistics(user) -> bool:
    """Regulators (and platform administrators) may ask for the rollups to be recomputed."""
    scope = statistics_scope(user)
    return scope.everything or bool(scope.body_ids)
