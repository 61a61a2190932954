"""xAPI 2.0 statements (IEEE 9274.1.1) for the learning events: pure, values in, dict out.

`statement(event)` builds every kind from an `Event`: registered (enrolled in a course),
completed (a course), attempted (an exam submitted), passed / failed (an exam result, once
released to the student), issued and revoked (a certificate). `voiding(...)` withdraws an
earlier statement (xAPI's "voided" verb, its object a StatementRef), e.g. a released result
changed on regrading. The learner is an Agent identified by an `account` on
the site whose name is an opaque, stable id (reports.models.Learner): never an email or a
name, so an LRS aggregating across platforms learns nothing about who the person is.

Verbs are ADL's where ADL has one; certificates have no ADL verb, so they use the site's
own IRIs under `<site>/reports/xapi/`, each answering with its definition (VOCABULARY,
in the shape of an xAPI Profile concept).
Activities are the site's own pages (courses, exams, certificate verification), with names
in English and Chinese.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

VERSION = "2.0.0"
PLATFORM = "CBEC Academy"
ADL = "http://adlnet.gov/expapi"
# The site's own terms (paths on the site; reports.urls serves each one's definition).
OWN = "/reports/xapi"

# key: (IRI, display). Certificates' verbs are the site's IRIs (relative here, made
# absolute with the site's origin by `verb_iri`).
VERBS: dict[str, tuple[str, dict[str, str]]] = {
    "registered": (f"{ADL}/verbs/registered", {"en-US": "registered", "zh-CN": "已注册"}),
    "completed": (f"{ADL}/verbs/completed", {"en-US": "completed", "zh-CN": "已完成"}),
    "attempted": (f"{ADL}/verbs/attempted", {"en-US": "attempted", "zh-CN": "已参加"}),
    "passed": (f"{ADL}/verbs/passed", {"en-US": "passed", "zh-CN": "已通过"}),
    "failed": (f"{ADL}/verbs/failed", {"en-US": "failed", "zh-CN": "未通过"}),
    "issued": (f"{OWN}/verbs/issued/", {"en-US": "was issued", "zh-CN": "获颁"}),
    "revoked": (f"{OWN}/verbs/revoked/", {"en-US": "had revoked", "zh-CN": "被撤销"}),
    "voided": (f"{ADL}/verbs/voided", {"en-US": "voided", "zh-CN": "已作废"}),
}

# The actor of a voiding statement: the platform withdraws a record, not the learner.
PLATFORM_ACCOUNT = "platform"

ACTIVITY_TYPES = {
    "course": f"{ADL}/activities/course",
    "assessment": f"{ADL}/activities/assessment",
    "certificate": f"{OWN}/activity-types/certificate/",
    "standard": f"{OWN}/activity-types/skill-standard/",
}

# The site's own terms, as xAPI Profile concepts (type, prefLabel, definition).
VOCABULARY: dict[str, dict] = {
    VERBS["issued"][0]: {
        "type": "Verb",
        "prefLabel": {"en-US": "was issued", "zh-CN": "获颁"},
        "definition": {
            "en-US": "The actor was issued the certificate that is the object (also a reissue "
            "under a new serial); the certificate's verification page is its id.",
            "zh-CN": "行为者获颁作为对象的证书（包括以新编号补发）；证书的核验页面即其标识。",
        },
    },
    VERBS["revoked"][0]: {
        "type": "Verb",
        "prefLabel": {"en-US": "had revoked", "zh-CN": "被撤销"},
        "definition": {
            "en-US": "The actor's certificate that is the object was revoked; the result's "
            "response is the published reason.",
            "zh-CN": "行为者作为对象的证书被撤销；结果中的 response 为公布的撤销原因。",
        },
    },
    ACTIVITY_TYPES["certificate"]: {
        "type": "ActivityType",
        "prefLabel": {"en-US": "certificate", "zh-CN": "证书"},
        "definition": {
            "en-US": "A skill-level or course certificate issued by this platform, identified "
            "by its public verification page.",
            "zh-CN": "本平台颁发的职业技能等级证书或课程证书，以其公开核验页面为标识。",
        },
    },
    ACTIVITY_TYPES["standard"]: {
        "type": "ActivityType",
        "prefLabel": {"en-US": "skill standard level", "zh-CN": "技能标准等级"},
        "definition": {
            "en-US": "A level of a government skill standard, grouping the exams that assess it.",
            "zh-CN": "政府技能标准中的一个等级，统领考核该等级的各场考试。",
        },
    },
}


def vocabulary_entry(site_url: str, path: str) -> dict | None:
    """The definition served at one of the site's own IRIs (None: not a term)."""
    concept = VOCABULARY.get(path)
    if concept is None:
        return None
    return {"id": absolute(site_url.rstrip("/"), path), **concept}


# A fixed namespace: registrations are derived from the site and the enrolment or attempt,
# so the statements of one enrolment (or attempt) share a registration across rebuilds.
REGISTRATION_NAMESPACE = uuid.UUID("6f1d3a52-0c1e-4f55-9a7e-2b8c5d4e1a90")


@dataclass(frozen=True)
class Activity:
    """An activity: its id is a path on the site (or an absolute IRI), its type a key of
    ACTIVITY_TYPES, its name in English and Chinese."""

    path: str
    type: str
    name_en: str
    name_zh: str


@dataclass(frozen=True)
class Event:
    """What one statement says, as plain values."""

    verb: str
    statement_id: uuid.UUID
    site_url: str
    learner: str
    activity: Activity
    timestamp: datetime
    registration: uuid.UUID | None = None
    parents: tuple[Activity, ...] = ()
    groupings: tuple[Activity, ...] = ()
    # Exam results: a percentage 0-100 and pass/fail.
    percent: Decimal | None = None
    success: bool | None = None
    completion: bool | None = None
    response: str = ""


def registration_for(site_url: str, kind: str, pk: int) -> uuid.UUID:
    """The registration of an enrolment ("enrollment") or an attempt ("attempt")."""
    return uuid.uuid5(REGISTRATION_NAMESPACE, f"{site_url.rstrip('/')}/{kind}/{pk}")


def absolute(site_url: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return site_url.rstrip("/") + path


def timestamp_text(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, e.g. 2026-12-06T20:07:00.123Z."""
    if moment.tzinfo is None:
        raise ValueError("An xAPI timestamp needs a time zone.")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _activity(site_url: str, activity: Activity) -> dict:
    return {
        "objectType": "Activity",
        "id": absolute(site_url, activity.path),
        "definition": {
            "type": absolute(site_url, ACTIVITY_TYPES[activity.type]),
            "name": {"en-US": activity.name_en, "zh-CN": activity.name_zh or activity.name_en},
        },
    }


def _result(event: Event) -> dict | None:
    result: dict = {}
    if event.percent is not None:
        raw = Decimal(event.percent).quantize(Decimal("0.01"))
        result["score"] = {
            "scaled": float(raw / 100),
            "raw": float(raw),
            "min": 0,
            "max": 100,
        }
    if event.success is not None:
        result["success"] = event.success
    if event.completion is not None:
        result["completion"] = event.completion
    if event.response:
        result["response"] = event.response
    return result or None


def statement(event: Event) -> dict:
    """The xAPI 2.0 statement of one event."""
    site = event.site_url.rstrip("/")
    verb_iri, display = VERBS[event.verb]
    context: dict = {"platform": PLATFORM}
    if event.registration is not None:
        context["registration"] = str(event.registration)
    context_activities = {}
    if event.parents:
        context_activities["parent"] = [_activity(site, a) for a in event.parents]
    if event.groupings:
        context_activities["grouping"] = [_activity(site, a) for a in event.groupings]
    if context_activities:
        context["contextActivities"] = context_activities
    built = {
        "id": str(event.statement_id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": site + "/", "name": event.learner},
        },
        "verb": {"id": absolute(site, verb_iri), "display": dict(display)},
        "object": _activity(site, event.activity),
        "context": context,
        "timestamp": timestamp_text(event.timestamp),
        "version": VERSION,
    }
    result = _result(event)
    if result is not None:
        built["result"] = result
    return built


def voiding(*, statement_id: uuid.UUID, site_url: str, voided_id, timestamp: datetime) -> dict:
    """The xAPI 2.0 statement withdrawing the statement `voided_id`: the verb ADL's voided,
    the object a StatementRef, the actor the platform's own account; no context (its
    platform and revision belong to Activity objects only)."""
    site = site_url.rstrip("/")
    verb_iri, display = VERBS["voided"]
    return {
        "id": str(statement_id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": site + "/", "name": PLATFORM_ACCOUNT},
        },
        "verb": {"id": verb_iri, "display": dict(display)},
        "object": {"objectType": "StatementRef", "id": str(voided_id)},
        "timestamp": timestamp_text(timestamp),
        "version": VERSION,
    }


def verb_iri(site_url: str, verb: str) -> str:
    return absolute(site_url.rstrip("/"), VERBS[verb][0])
