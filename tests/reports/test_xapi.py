"""The xAPI statement builder (pure) and the simulated LRS's rules (it must refuse what the
xAPI 2.0 data model refuses, or the journey tests prove nothing)."""

import copy
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from reports import xapi
from tests.reports.lrs_sim import Invalid, validate

SITE = "https://academy.example"
WHEN = datetime(2026, 12, 6, 20, 7, 0, 123456, tzinfo=timezone(timedelta(hours=8)))
EXAM = xapi.Activity("/exams/7/", "assessment", "Level 1 exam", "一级考试")
LEVEL = xapi.Activity("/exams/standards/3/#level-1", "standard", "CBEC · Junior", "跨境 · 初级")


def event(**changes) -> xapi.Event:
    values = {
        "verb": "passed",
        "statement_id": uuid.UUID("0b6c8a57-5f6e-4d3c-9d8e-1f2a3b4c5d6e"),
        "site_url": SITE + "/",
        "learner": "3f0c2b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f",
        "activity": EXAM,
        "timestamp": WHEN,
        "registration": xapi.registration_for(SITE, "attempt", 7),
        "groupings": (LEVEL,),
        "percent": Decimal("87.50"),
        "success": True,
        "completion": True,
    }
    return xapi.Event(**{**values, **changes})


def test_a_passed_exam_statement_follows_the_xapi_2_rules():
    built = xapi.statement(event())

    validate(built)
    assert built["version"] == "2.0.0"
    assert built["id"] == "0b6c8a57-5f6e-4d3c-9d8e-1f2a3b4c5d6e"
    assert built["actor"] == {
        "objectType": "Agent",
        "account": {
            "homePage": "https://academy.example/",
            "name": "3f0c2b9e-8d7a-4c6b-9e5f-1a2b3c4d5e6f",
        },
    }
    assert built["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert built["verb"]["display"]["en-US"] == "passed"
    assert built["object"]["id"] == "https://academy.example/exams/7/"
    assert built["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/assessment"
    assert built["object"]["definition"]["name"] == {"en-US": "Level 1 exam", "zh-CN": "一级考试"}
    assert built["result"] == {
        "score": {"scaled": 0.875, "raw": 87.5, "min": 0, "max": 100},
        "success": True,
        "completion": True,
    }
    assert built["context"]["registration"] == str(xapi.registration_for(SITE, "attempt", 7))
    grouping = built["context"]["contextActivities"]["grouping"][0]
    assert grouping["id"] == "https://academy.example/exams/standards/3/#level-1"
    # In UTC, to the millisecond.
    assert built["timestamp"] == "2026-12-06T12:07:00.123Z"


def test_certificate_verbs_are_absolute_iris_on_the_site():
    issued = xapi.statement(event(verb="issued", percent=None, success=None, completion=None))
    validate(issued)
    assert issued["verb"]["id"] == "https://academy.example/reports/xapi/verbs/issued/"
    assert "result" not in issued
    revoked = xapi.statement(event(verb="revoked", percent=None, response="misconduct"))
    assert revoked["verb"]["id"] == "https://academy.example/reports/xapi/verbs/revoked/"
    assert revoked["result"]["response"] == "misconduct"


def test_the_registration_is_stable_and_distinct_per_enrolment_and_attempt():
    a = xapi.registration_for(SITE, "attempt", 7)
    assert a == xapi.registration_for(SITE + "/", "attempt", 7)
    assert a != xapi.registration_for(SITE, "enrollment", 7)
    assert a != xapi.registration_for(SITE, "attempt", 8)


def test_a_naive_timestamp_is_refused():
    with pytest.raises(ValueError):
        xapi.statement(event(timestamp=datetime(2026, 12, 6, 12, 0)))


def test_a_zero_score_and_a_full_score_stay_within_the_scale():
    assert xapi.statement(event(percent=Decimal(0)))["result"]["score"]["scaled"] == 0.0
    full = xapi.statement(event(percent=Decimal(100)))
    assert full["result"]["score"]["scaled"] == 1.0
    validate(full)


def test_utc_instants_keep_their_time():
    built = xapi.statement(event(timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)))
    assert built["timestamp"] == "2026-01-02T03:04:05.000Z"


# --- The simulated LRS refuses what xAPI 2.0 refuses ------------------------------------------


def _broken(change):
    statement = xapi.statement(event())
    change(statement)
    return statement


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: s.pop("actor"), id="no actor"),
        pytest.param(lambda s: s.pop("verb"), id="no verb"),
        pytest.param(lambda s: s.pop("object"), id="no object"),
        pytest.param(lambda s: s.update(id="statement-7"), id="id not a UUID"),
        pytest.param(lambda s: s["verb"].update(id="/xapi/verbs/passed"), id="relative verb IRI"),
        pytest.param(lambda s: s["object"].update(id="exams/7"), id="relative activity id"),
        pytest.param(lambda s: s.update(timestamp="2026-12-06 12:07"), id="timestamp format"),
        pytest.param(lambda s: s.update(timestamp="2026-12-06T12:07:00"), id="no time zone"),
        pytest.param(lambda s: s["result"]["score"].update(scaled=1.5), id="scaled above 1"),
        pytest.param(lambda s: s["result"]["score"].update(raw=101), id="raw above max"),
        pytest.param(lambda s: s["result"]["score"].update(min=100), id="min not below max"),
        pytest.param(lambda s: s["result"].update(success="yes"), id="success not boolean"),
        pytest.param(
            lambda s: s["object"]["definition"]["name"].update({"english!": "x"}),
            id="language tag",
        ),
        pytest.param(lambda s: s.update(grade="A"), id="unknown top-level property"),
        pytest.param(lambda s: s["actor"].update(email="a@b.c"), id="unknown actor property"),
        pytest.param(
            lambda s: s["actor"].update(mbox="mailto:a@example.org"), id="two identifiers"
        ),
        pytest.param(lambda s: s["actor"]["account"].pop("name"), id="account without name"),
        pytest.param(lambda s: s["context"].update(registration="7"), id="registration UUID"),
        pytest.param(lambda s: s.update(version="1.0.3"), id="version"),
    ],
)
def test_the_simulated_lrs_refuses_a_statement_breaking_a_rule(change):
    with pytest.raises(Invalid):
        validate(_broken(change))


def test_the_simulated_lrs_accepts_the_unchanged_statement():
    statement = xapi.statement(event())
    validate(copy.deepcopy(statement))
