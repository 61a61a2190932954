"""The statistics recomputed in plain Python over the raw rows, to check reports.services.

Each row of a source becomes a "fact": its id, its person, its date and the list of
dimension assignments it joins to (an enrolment joins one assignment per exam of its course
and partner of the course). A fact matches filters when one of its assignments does, and
counts once under each value of the split dimension among its matching assignments.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from itertools import product

from django.utils import timezone

from certificates.models import Certificate, Verification, VerificationDailyCount
from courses.models import Course, Enrollment
from exams.models import Accreditation, Attempt, Exam, SkillLevel
from organizations.models import ApiKey, Membership, Organization


def local_day(moment):
    return timezone.localtime(moment).date()


class World:
    def __init__(self):
        self.region = {
            o["id"]: (o["region"] or None) for o in Organization.objects.values("id", "region")
        }
        self.kind = dict(Organization.objects.values_list("id", "kind"))
        self.levels = {
            row["id"]: (row["standard__code"], row["level"], row["standard__owner_id"])
            for row in SkillLevel.objects.values(
                "id", "standard__code", "level", "standard__owner_id"
            )
        }
        self.exams = {
            e["id"]: e
            for e in Exam.objects.values("id", "organization_id", "skill_level_id", "course_id")
        }
        self.course_school = dict(Course.objects.values_list("id", "school_id"))
        self.partners = defaultdict(set)
        for course_id, org_id in Course.partners.through.objects.values_list(
            "course_id", "organization_id"
        ):
            self.partners[course_id].add(org_id)
        self.course_levels = defaultdict(set)
        for exam in self.exams.values():
            if exam["course_id"] and exam["skill_level_id"]:
                code, level, _owner = self.levels[exam["skill_level_id"]]
                self.course_levels[exam["course_id"]].add((code, level))
        self.accredited_by = defaultdict(set)  # school -> owners
        partner_of = {}
        for a in Accreditation.objects.values(
            "school_id",
            "standard__code",
            "standard__owner_id",
            "level",
            "enterprise_partner_id",
            "valid_from",
            "id",
        ).order_by("valid_from", "id"):
            self.accredited_by[a["school_id"]].add(a["standard__owner_id"])
            if a["enterprise_partner_id"]:
                partner_of[(a["school_id"], a["standard__code"], a["level"])] = a[
                    "enterprise_partner_id"
                ]
        self.partner_of = partner_of
        self.cohort_of = {
            (e["student_id"], e["course_id"]): e["cohort_id"]
            for e in Enrollment.objects.values("student_id", "course_id", "cohort_id")
            if e["cohort_id"]
        }
        self.enterprise_of_key = dict(
            ApiKey.objects.filter(organization__kind="enterprise").values_list(
                "prefix", "organization_id"
            )
        )
        self.enterprise_of_user = {}
        for m in Membership.objects.filter(
            is_active=True, organization__kind="enterprise"
        ).order_by("-pk"):
            self.enterprise_of_user[m.user_id] = m.organization_id

    # --- facts per source ---

    def learning(self, date_field):
        facts = []
        for e in Enrollment.objects.values():
            school = self.course_school[e["course_id"]]
            pairs = self.course_levels[e["course_id"]] or {(None, None)}
            partners = self.partners[e["course_id"]] or {None}
            assignments = [
                {"standard": code, "level": level, "partner": partner}
                for (code, level), partner in product(pairs, partners)
            ]
            moment = e[date_field]
            facts.append(
                {
                    "id": e["id"],
                    "person": e["student_id"],
                    "day": local_day(moment) if moment else None,
                    "row": e,
                    "school": school,
                    "region": self.region[school],
                    "cohort": e["cohort_id"],
                    "assignments": assignments,
                    "owner": None,
                    "enterprises": set(),
                }
            )
        return facts

    def exams_facts(self):
        facts = []
        attempts = list(Attempt.objects.values())
        for a in attempts:
            if a["submitted_at"] is None:
                continue
            exam = self.exams[a["exam_id"]]
            school = exam["organization_id"]
            code = level = owner = None
            if exam["skill_level_id"]:
                code, level, owner = self.levels[exam["skill_level_id"]]
            if code is None:
                first = a["number"] == 1
            else:
                first = not any(
                    b["student_id"] == a["student_id"]
                    and b["submitted_at"] is not None
                    and self.exams[b["exam_id"]]["skill_level_id"]
                    and self.levels[self.exams[b["exam_id"]]["skill_level_id"]][:2] == (code, level)
                    and (b["submitted_at"], b["id"]) < (a["submitted_at"], a["id"])
                    for b in attempts
                )
            facts.append(
                {
                    "id": a["id"],
                    "person": a["student_id"],
                    "day": local_day(a["submitted_at"]),
                    "row": {**a, "first": first},
                    "school": school,
                    "region": self.region[school],
                    "cohort": self.cohort_of.get((a["student_id"], exam["course_id"])),
                    "assignments": [
                        {
                            "standard": code,
                            "level": level,
                            "partner": self.partner_of.get((school, code, level)),
                        }
                    ],
                    "owner": owner,
                    "enterprises": set(),
                }
            )
        return facts

    def _certificate_fact(self, c):
        code = level = None
        if c["skill_level_id"]:
            code, level, _owner = self.levels[c["skill_level_id"]]
        cohort = None
        if c["enrollment_id"]:
            cohort = Enrollment.objects.get(pk=c["enrollment_id"]).cohort_id
        elif c["attempt_id"]:
            exam = self.exams[Attempt.objects.get(pk=c["attempt_id"]).exam_id]
            cohort = self.cohort_of.get((c["holder_id"], exam["course_id"]))
        return {
            "person": c["holder_id"],
            "school": c["school_id"],
            "region": self.region[c["school_id"]],
            "cohort": cohort,
            "assignments": [{"standard": code, "level": level, "partner": c["enterprise_id"]}],
            "owner": c["government_id"],
            "enterprises": {c["enterprise_id"]} - {None},
        }

    def certificates(self):
        return [
            {**self._certificate_fact(c), "id": c["id"], "day": c["issued_on"], "row": c}
            for c in Certificate.objects.values()
            if c["is_current"]
        ]

    def verifications(self):
        certificates = {c["id"]: c for c in Certificate.objects.values()}
        facts = []
        for v in Verification.objects.values():
            if v["certificate_id"] is None:
                continue
            enterprise = (
                self.enterprise_of_key.get(v["api_key_prefix"]) if v["api_key_prefix"] else None
            )
            if enterprise is None and v["verifier_id"]:
                enterprise = self.enterprise_of_user.get(v["verifier_id"])
            if enterprise is None:
                continue
            fact = self._certificate_fact(certificates[v["certificate_id"]])
            fact["enterprises"] = fact["enterprises"] | {enterprise}
            facts.append(
                {
                    **fact,
                    "id": ("v", v["id"]),
                    "day": local_day(v["created_at"]),
                    "row": v,
                    "weight": 1,
                }
            )
        for d in VerificationDailyCount.objects.values():
            if d["certificate_id"] is None or d["enterprise_id"] is None:
                continue
            if self.kind[d["enterprise_id"]] != "enterprise":
                continue
            fact = self._certificate_fact(certificates[d["certificate_id"]])
            fact["enterprises"] = fact["enterprises"] | {d["enterprise_id"]}
            facts.append(
                {**fact, "id": ("d", d["id"]), "day": d["day"], "row": d, "weight": d["count"]}
            )
        return facts


def _percent(n, d):
    return (Decimal(n) * 100 / Decimal(d)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def expected(world, figure_key, *, start, end, filters, group=None, scope=None, today=None):
    """{key: (value, people)} for the figure; key None without a group; value a Decimal for
    rates (None without a denominator)."""
    today = today or timezone.localdate()
    if figure_key in ("enrolments",):
        facts = world.learning("enrolled_at")
    elif figure_key == "completions":
        facts = [
            f
            for f in world.learning("completed_at")
            if f["row"]["status"] == "completed" and f["day"]
        ]
    elif figure_key in ("sittings", "candidates"):
        facts = world.exams_facts()
    elif figure_key == "pass_rate":
        facts = [
            f
            for f in world.exams_facts()
            if f["row"]["status"] == "graded" and f["row"]["passed"] is not None
        ]
    elif figure_key == "pass_rate_first":
        facts = [
            f
            for f in world.exams_facts()
            if f["row"]["status"] == "graded"
            and f["row"]["passed"] is not None
            and f["row"]["first"]
        ]
    elif figure_key.startswith("certificates"):
        facts = world.certificates()
        status = lambda f: f["row"]["status"]  # noqa: E731
        expires = lambda f: f["row"]["expires_on"]  # noqa: E731
        if figure_key == "certificates_current":
            facts = [
                f
                for f in facts
                if status(f) == "valid" and (expires(f) is None or expires(f) >= today)
            ]
        elif figure_key == "certificates_expired":
            facts = [f for f in facts if status(f) == "valid" and expires(f) and expires(f) < today]
        elif figure_key == "certificates_revoked":
            facts = [f for f in facts if status(f) == "revoked"]
    elif figure_key == "verifications":
        facts = world.verifications()
    else:
        raise AssertionError(figure_key)
    facts = [f for f in facts if f["day"] is not None and start <= f["day"] <= end]
    if scope is not None:
        facts = [f for f in facts if scope(f, SOURCE_OF[figure_key])]
    buckets = defaultdict(lambda: {"ids": set(), "people": set(), "passed": set(), "weight": 0})
    for fact in facts:
        keys = set()
        for assignment in fact["assignments"]:
            values = {
                **assignment,
                "school": fact["school"],
                "region": fact["region"],
                "cohort": fact["cohort"],
            }
            if all(values[name] == value for name, value in filters.items()):
                keys.add(values[group] if group else None)
        for key in keys:
            bucket = buckets[key]
            bucket["ids"].add(fact["id"])
            bucket["people"].add(fact["person"])
            bucket["weight"] += fact.get("weight", 1)
            if fact["row"].get("passed"):
                bucket["passed"].add(fact["id"])
    result = {}
    for key, bucket in buckets.items():
        people = len(bucket["people"])
        if figure_key.startswith("pass_rate"):
            value = _percent(len(bucket["passed"]), len(bucket["ids"])) if bucket["ids"] else None
        elif figure_key == "candidates":
            value = people
        elif figure_key == "verifications":
            value = bucket["weight"]
        else:
            value = len(bucket["ids"])
        result[key] = (value, people)
    return result


SOURCE_OF = {
    "enrolments": "learning",
    "completions": "learning",
    "sittings": "exams",
    "candidates": "exams",
    "pass_rate_first": "exams",
    "pass_rate": "exams",
    "certificates_issued": "certificates",
    "certificates_current": "certificates",
    "certificates_expired": "certificates",
    "certificates_revoked": "certificates",
    "verifications": "verifications",
}


def regulator_scope(world, body_id):
    def scope(fact, source):
        if source == "learning":
            return body_id in world.accredited_by[fact["school"]]
        return fact["owner"] == body_id

    return scope


def school_scope(school_id):
    return lambda fact, source: fact["school"] == school_id


def enterprise_scope(enterprise_id):
    return lambda fact, source: enterprise_id in fact["enterprises"]
