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

from dataclasses import dataclass

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
    """What one reader may count, as rules per source (absent: the source is not theirs)."""

    source_keys: frozenset = frozenset()
    own_school_ids: frozenset = frozenset()
    body_ids: frozenset = frozenset()
    enterprise_ids: frozenset = frozenset()
    everything: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.source_keys

    @property
    def only_own_schools(self) -> bool:
        """Every row the reader sees is of their own schools (nothing to suppress)."""
        return bool(self.own_school_ids) and not (
            self.everything or self.body_ids or self.enterprise_ids
        )

    def sees(self, source_key: str) -> bool:
        return source_key in self.source_keys

    def is_own(self, school_id) -> bool:
        return school_id is not None and school_id in self.own_school_ids

    def filter_for(self, source_key: str, *, facts: bool = False) -> Q | None:
        """The rows of the source the reader sees, on the live tables or on the precomputed
        facts (None: all of them)."""
        if self.everything:
            return None
        source = SOURCES[source_key]
        school = "school_id" if facts else source.school_field
        rules = []
        if self.own_school_ids:
            rules.append(Q(**{f"{school}__in": self.own_school_ids}))
        if self.body_ids:
            owner = source.owner_field and ("owner_id" if facts else source.owner_field)
            if owner:
                rules.append(Q(**{f"{owner}__in": self.body_ids}))
            else:
                accredited = Accreditation.objects.filter(
                    school_id=OuterRef(school), standard__owner_id__in=self.body_ids
                )
                rules.append(Q(Exists(accredited)))
        if self.enterprise_ids:
            names = source.fact_enterprise_fields if facts else source.enterprise_fields
            rules.extend(Q(**{f"{name}__in": self.enterprise_ids}) for name in names)
        return _any(rules) if rules else Q(pk__in=[])


def _any(rules: list[Q]) -> Q:
    combined = rules[0]
    for rule in rules[1:]:
        combined |= rule
    return combined


def statistics_scope(user) -> Scope:
    if not user.is_authenticated:
        return Scope()
    if is_platform_admin(user):
        return Scope(source_keys=frozenset(SOURCES), everything=True)
    schools = frozenset(organization_ids(user, SCHOOL_ROLES, kind=Organization.Kind.SCHOOL))
    bodies = frozenset(standard_body_ids(user))
    enterprises = frozenset(
        organization_ids(user, ENTERPRISE_ROLES, kind=Organization.Kind.ENTERPRISE)
    )
    keys = {
        source.key
        for source in SOURCES.values()
        if schools or bodies or (enterprises and source.enterprise_fields)
    }
    return Scope(
        source_keys=frozenset(keys),
        own_school_ids=schools,
        body_ids=bodies,
        enterprise_ids=enterprises,
    )


def can_view_statistics(user) -> bool:
    return not statistics_scope(user).is_empty


def can_refresh_statistics(user) -> bool:
    """Regulators (and platform administrators) may ask for the rollups to be recomputed."""
    scope = statistics_scope(user)
    return scope.everything or bool(scope.body_ids)


# --- Learning records (xAPI statements) ---------------------------------------------------------


def learning_records_filter(user) -> Q | None:
    """The statements the user may export, or None when they may export none.

    Personal (if pseudonymous) records of each event, so narrower than the statistics: a
    regulator's body gets its standards' exams and certificates and the courses of the
    schools it accredited; a school's administrators (not its teachers) their school's;
    enterprises none. A platform administrator gets everything (Q()).
    """
    if not user.is_authenticated:
        return None
    if is_platform_admin(user):
        return Q()
    schools = organization_ids(user, (Role.ADMIN,), kind=Organization.Kind.SCHOOL)
    bodies = standard_body_ids(user)
    rules = []
    if schools:
        rules.append(Q(school_id__in=schools))
    if bodies:
        accredited = Accreditation.objects.filter(
            school_id=OuterRef("school_id"), standard__owner_id__in=bodies
        )
        rules.append(Q(owner_id__in=bodies))
        rules.append(Q(owner_id__isnull=True) & Q(Exists(accredited)))
    return _any(rules) if rules else None


def can_export_learning_records(user) -> bool:
    return learning_records_filter(user) is not None
