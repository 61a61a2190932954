"""The standards workspace of a government body: drafts, versions, comparison, accredited
assessment centres; who may use it; what it costs in queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates import issuance
from exams import services
from exams.models import Accreditation, Competency, SkillLevel, SkillStandard
from tests import factories
from tests.exams.conftest import build_exam
from tests.factories import PASSWORD

COMPETENCIES = [
    {"code": "listing", "name_en": "Listing", "name_zh": "上架", "weight": Decimal(60)},
    {"code": "orders", "name_en": "Orders", "name_zh": "订单", "weight": Decimal(40)},
]


def level_fields(number: int, **changes) -> dict:
    fields = {
        "level": number,
        "name_en": f"Level {number} name",
        "name_zh": f"{number}级",
        "description_en": "",
        "description_zh": "",
        "theory_weight": Decimal(40),
        "theory_minimum": Decimal(60),
        "practical_weight": Decimal(60),
        "practical_minimum": Decimal(60),
        "total_minimum": Decimal(60),
        "marking_tolerance": Decimal(15),
        "validity_years": 3,
        "prerequisite_level": None,
        "prerequisite_course": None,
    }
    return {**fields, **changes}


def make_standard(owner, code="cbec-po", *, levels=(1, 2), publish=True) -> SkillStandard:
    """A standard written through the services: levels with two competencies each."""
    standard = services.standard_create(
        owner=owner, code=code, name_en="CBEC Platform Operation", name_zh="跨境电商平台运营"
    )
    previous = None
    for number in levels:
        previous = services.level_save(
            standard=standard,
            level=None,
            fields=level_fields(number, prerequisite_level=previous),
            competencies=COMPETENCIES,
        )
    if publish:
        services.standard_publish(standard=standard, by=None)
    return standard


def level_post(number: int, competencies=COMPETENCIES, **changes) -> dict:
    """The level page's POST: the level's fields and its competency formset."""
    data = {key: ("" if value is None else value) for key, value in level_fields(number).items()}
    data.update(changes)
    data.update(
        {
            "competencies-TOTAL_FORMS": str(len(competencies)),
            "competencies-INITIAL_FORMS": "0",
            "competencies-MIN_NUM_FORMS": "0",
            "competencies-MAX_NUM_FORMS": "50",
        }
    )
    for i, row in enumerate(competencies):
        for key, value in row.items():
            data[f"competencies-{i}-{key}"] = value
    return data


@pytest.fixture
def standard(government):
    return make_standard(government)


@pytest.fixture
def other_regulator(db):
    body = factories.organization(kind="government", code="other-bureau")
    return factories.person("other-regulator", body, "regulator")


@pytest.fixture
def school_admin(school):
    return factories.person("school-admin", school, "admin")


def url(name: str, *args) -> str:
    return reverse(f"exams:{name}", args=args)


# --- Landing and navigation -----------------------------------------------------------------


def test_a_regulator_lands_on_a_workspace_that_links_the_standards(client, regulator):
    response = client.post(
        reverse("login"), {"username": regulator.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("landing")
    assert response.status_code == 200
    assert url("standards_home") in response.text


def test_a_student_lands_on_a_workspace_with_my_learning_and_next_still_wins(
    client, student, regulator
):
    response = client.post(
        reverse("login"), {"username": student.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("landing")
    assert reverse("courses:my_learning") in response.text

    client.logout()
    response = client.post(
        reverse("login"),
        {"username": regulator.username, "password": PASSWORD, "next": "/verify/"},
    )
    assert response.url == "/verify/"


def test_the_standards_link_shows_for_regulators_only(client, regulator, teacher, school_admin):
    for person in (teacher, school_admin):
        client.force_login(person)
        assert url("standards_home") not in client.get("/courses/").text
    client.force_login(regulator)
    assert url("standards_home") in client.get("/courses/").text


# --- Who may do what ------------------------------------------------------------------------


def workspace_requests(standard: SkillStandard, accreditation: Accreditation):
    """Every page and write of the workspace, as (method, address, data)."""
    level = standard.levels.first()
    return [
        ("get", url("standards_home"), None),
        ("get", url("standard_new"), None),
        ("post", url("standard_new"), {"code": "x", "owner": standard.owner_id, "name_en": "X"}),
        ("get", url("standard_detail", standard.pk), None),
        ("get", url("standard_edit", standard.pk), None),
        ("get", url("level_edit", standard.pk, level.pk), None),
        ("post", url("level_delete", standard.pk, level.pk), {}),
        ("post", url("standard_publish", standard.pk), {}),
        ("post", url("standard_new_version", standard.pk), {}),
        ("get", url("standard_compare", standard.pk), None),
        ("get", url("accreditation_list", standard.pk), None),
        ("get", url("accreditation_new", standard.pk), None),
        ("post", url("accreditation_new", standard.pk), {"school": accreditation.school_id}),
        ("get", url("accreditation_detail", accreditation.pk), None),
        (
            "post",
            url("accreditation_detail", accreditation.pk),
            {"action": "withdraw", "reason": "No."},
        ),
    ]


def assert_nothing_changed(standard: SkillStandard, accreditation: Accreditation) -> None:
    assert SkillStandard.objects.count() == 1
    assert SkillLevel.objects.count() == 2
    assert Accreditation.objects.count() == 1
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.ACTIVE


@pytest.mark.parametrize("persona", ["student", "teacher", "mentor", "verifier", "school_admin"])
def test_people_without_a_standards_role_are_refused_everywhere(
    client, request, persona, standard, school
):
    accreditation = factories.accredit(school, standard.levels.first())
    client.force_login(request.getfixturevalue(persona))

    for method, address, data in workspace_requests(standard, accreditation):
        response = getattr(client, method)(address, data)
        assert response.status_code == 403, (method, address)
    assert_nothing_changed(standard, accreditation)


def test_anonymous_visitors_are_sent_to_log_in(client, standard, school):
    accreditation = factories.accredit(school, standard.levels.first())

    for method, address, data in workspace_requests(standard, accreditation):
        response = getattr(client, method)(address, data)
        assert response.status_code == 302, (method, address)
        assert response.url.startswith(reverse("login"))
    assert_nothing_changed(standard, accreditation)


def test_another_bodys_regulator_neither_sees_nor_changes_the_standard(
    client, other_regulator, standard, school
):
    accreditation = factories.accredit(school, standard.levels.first())
    client.force_login(other_regulator)

    home = client.get(url("standards_home"))
    assert home.status_code == 200
    assert standard.code not in home.text
    for method, address, data in workspace_requests(standard, accreditation)[3:]:
        response = getattr(client, method)(address, data)
        assert response.status_code == 404, (method, address)
    # Nor can they create a standard for the other body.
    response = client.post(
        url("standard_new"),
        {"code": "stolen", "owner": standard.owner_id, "name_en": "S", "name_zh": "S"},
    )
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    assert_nothing_changed(standard, accreditation)


def test_the_refusal_for_other_roles_is_a_translated_page_that_says_why(client, student):
    client.force_login(student)

    english = client.get(url("standards_home"))
    chinese = client.get(url("standards_home"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert english.status_code == chinese.status_code == 403
    assert "for regulators and administrators of a government body" in english.text
    assert "标准工作台仅供政府机构的监管人员和管理员使用" in chinese.text
    assert '<link rel="stylesheet"' in chinese.text  # the site's page, not a bare one


# --- Drafts ---------------------------------------------------------------------------------


def test_a_regulator_writes_a_draft_with_a_level_and_publishes_it(client, regulator, government):
    client.force_login(regulator)

    response = client.post(
        url("standard_new"),
        {
            "code": "cbec-lm",
            "owner": government.pk,
            "name_en": "CBEC Logistics Management",
            "name_zh": "跨境电商物流管理",
            "description_en": "Shipping.",
            "description_zh": "物流。",
        },
    )
    standard = SkillStandard.objects.get(code="cbec-lm")
    assert response.url == url("standard_detail", standard.pk)
    assert (standard.version, standard.status, standard.owner) == (1, "draft", government)

    response = client.post(url("level_new", standard.pk), level_post(1))
    assert response.status_code == 302, response.context["form"].errors
    level = standard.levels.get()
    assert level.theory_weight == Decimal(40)
    assert sorted(level.competencies.values_list("code", "weight")) == [
        ("listing", Decimal(60)),
        ("orders", Decimal(40)),
    ]

    page = client.get(url("standard_detail", standard.pk)).text
    assert "Publish version 1" in page
    client.post(url("standard_publish", standard.pk))
    standard.refresh_from_db()
    assert standard.status == SkillStandard.Status.PUBLISHED
    assert standard.published_by == regulator


def test_theory_and_practical_weights_must_add_up_to_100(client, regulator, government):
    standard = make_standard(government, levels=(), publish=False)
    client.force_login(regulator)

    response = client.post(url("level_new", standard.pk), level_post(1, theory_weight="50"))

    assert response.status_code == 200
    assert "must add up to 100" in response.text
    assert not standard.levels.exists()


def test_competency_weights_must_add_up_to_100_and_codes_be_unique(client, regulator, government):
    standard = make_standard(government, levels=(), publish=False)
    client.force_login(regulator)
    rows = [{**COMPETENCIES[0], "weight": "50"}, {**COMPETENCIES[1], "code": "listing"}]

    response = client.post(url("level_new", standard.pk), level_post(1, competencies=rows))

    assert response.status_code == 200
    assert "add up to 100 (they add up to 90)" in response.text
    assert "listing repeated" in response.text
    assert not standard.levels.exists()


def test_editing_a_level_replaces_its_competencies(client, regulator, government):
    standard = make_standard(government, levels=(1,), publish=False)
    level = standard.levels.get()
    client.force_login(regulator)
    rows = [{"code": "customs", "name_en": "Customs", "name_zh": "报关", "weight": "100"}]

    response = client.post(
        url("level_edit", standard.pk, level.pk),
        level_post(1, competencies=rows, total_minimum="70"),
    )

    assert response.status_code == 302
    level.refresh_from_db()
    assert level.total_minimum == Decimal(70)
    assert list(level.competencies.values_list("code", flat=True)) == ["customs"]


def test_a_level_may_only_require_a_lower_level(client, regulator, government):
    standard = make_standard(government, levels=(1, 2), publish=False)
    one, two = standard.levels.order_by("level")
    client.force_login(regulator)

    response = client.post(
        url("level_edit", standard.pk, one.pk), level_post(1, prerequisite_level=two.pk)
    )

    assert response.status_code == 200
    assert "lower level" in response.text
    one.refresh_from_db()
    assert one.prerequisite_level is None


def test_a_draft_with_problems_shows_them_instead_of_the_publish_button(
    client, regulator, government
):
    standard = make_standard(government, levels=(), publish=False)
    client.force_login(regulator)

    page = client.get(url("standard_detail", standard.pk)).text
    assert "Add at least one level before publishing." in page
    assert 'id="publish"' not in page

    client.post(url("standard_publish", standard.pk))
    standard.refresh_from_db()
    assert standard.status == SkillStandard.Status.DRAFT


def test_a_published_version_is_read_only(client, regulator, standard):
    level = standard.levels.get(level=1)
    client.force_login(regulator)

    page = client.get(url("standard_detail", standard.pk)).text
    assert url("standard_edit", standard.pk) not in page
    assert url("level_edit", standard.pk, level.pk) not in page
    assert client.get(url("standard_edit", standard.pk)).status_code == 302
    client.post(url("standard_edit", standard.pk), {"name_en": "Changed", "name_zh": "改"})
    client.post(url("level_edit", standard.pk, level.pk), level_post(1, total_minimum="99"))
    client.post(url("level_delete", standard.pk, level.pk))

    standard.refresh_from_db()
    level.refresh_from_db()
    assert standard.name_en == "CBEC Platform Operation"
    assert level.total_minimum == Decimal(60)
    with pytest.raises(services.ExamError):
        services.level_save(
            standard=standard, level=level, fields=level_fields(1), competencies=COMPETENCIES
        )


# --- Versions -------------------------------------------------------------------------------


def test_a_new_version_copies_levels_competencies_and_prerequisites(client, regulator, standard):
    client.force_login(regulator)

    response = client.post(url("standard_new_version", standard.pk))

    draft = SkillStandard.objects.get(code=standard.code, version=2)
    assert response.url == url("standard_detail", draft.pk)
    assert (draft.status, draft.previous) == ("draft", standard)
    one, two = draft.levels.order_by("level")
    assert two.prerequisite_level == one
    assert Competency.objects.filter(level__standard=draft).count() == 4
    # One open draft at a time.
    client.post(url("standard_new_version", standard.pk))
    assert SkillStandard.objects.filter(code=standard.code).count() == 2


def test_comparing_two_versions_shows_what_changed_per_field_level_and_competency(
    client, regulator, standard
):
    draft = services.standard_new_version(standard=standard, by=regulator)
    one = draft.levels.get(level=1)
    rows = [COMPETENCIES[0] | {"weight": Decimal(50)}, COMPETENCIES[1] | {"weight": Decimal(50)}]
    services.level_save(
        standard=draft, level=one, fields=level_fields(1, theory_weight=Decimal(30),
                                                        practical_weight=Decimal(70)),
        competencies=rows,
    )  # fmt: skip
    services.level_delete(level=draft.levels.get(level=2))
    client.force_login(regulator)

    response = client.get(url("standard_compare", draft.pk))

    diff = response.context["diff"]
    assert (diff.old, diff.new) == (standard, draft)
    level_one, level_two = diff.levels
    changed = {f.label: (f.old, f.new) for f in level_one.fields if f.changed}
    assert changed == {"theory weight (%)": ("40", "30"), "practical weight (%)": ("60", "70")}
    assert level_one.state == "changed" and level_two.state == "removed"
    weights = {
        c.code: [(f.old, f.new) for f in c.fields if f.changed] for c in level_one.competencies
    }
    assert weights == {"listing": [("60", "50")], "orders": [("40", "50")]}
    assert 'class="changed"' in response.text


# --- Accredited assessment centres ----------------------------------------------------------


def accredit_post(school, *levels, **fields) -> dict:
    return {
        "q": school.code,
        "school": school.pk,
        "levels": list(levels),
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "",
        "enterprise_partner": "",
        "note": "",
        **fields,
    }


def test_searching_finds_schools_by_name_or_code(client, regulator, standard, school):
    factories.organization(kind="school", code="harbour-college", name_en="Harbour College")
    client.force_login(regulator)

    by_name = client.get(url("accreditation_new", standard.pk), {"q": "harbour"})
    by_code = client.get(url("accreditation_new", standard.pk), {"q": "school"})

    assert [s.code for s in by_name.context["form"].found_schools] == ["harbour-college"]
    assert [s.code for s in by_code.context["form"].found_schools] == ["school"]


def test_a_regulator_accredits_a_school_for_two_levels_with_a_partner(
    client, regulator, standard, school, enterprise
):
    client.force_login(regulator)
    until = timezone.localdate() + timedelta(days=365)

    response = client.post(
        url("accreditation_new", standard.pk),
        accredit_post(
            school, 1, 2, enterprise_partner=enterprise.pk, valid_until=until.isoformat()
        ),
    )

    assert response.url == url("accreditation_list", standard.pk)
    rows = Accreditation.objects.order_by("level")
    assert [(a.school, a.level, a.enterprise_partner) for a in rows] == [
        (school, 1, enterprise),
        (school, 2, enterprise),
    ]
    assert all(a.granted_by == regulator and a.valid_until == until for a in rows)
    listing = client.get(url("accreditation_list", standard.pk)).text
    assert listing.count('class="accreditation status-active"') == 2


def test_overlapping_accreditations_and_bad_periods_are_refused(
    client, regulator, standard, school
):
    factories.accredit(school, standard.levels.get(level=1))
    client.force_login(regulator)

    overlapping = client.post(url("accreditation_new", standard.pk), accredit_post(school, 1, 2))
    backwards = client.post(
        url("accreditation_new", standard.pk),
        accredit_post(
            school, 2, valid_until=(timezone.localdate() - timedelta(days=1)).isoformat()
        ),
    )
    no_level = client.post(url("accreditation_new", standard.pk), accredit_post(school))

    assert "already accredited for level 1" in overlapping.text
    assert "must end after it starts" in backwards.text
    assert no_level.context["form"].errors["levels"]
    assert Accreditation.objects.count() == 1  # level 2 was not granted alone either


def test_only_schools_can_be_accredited(client, regulator, standard, enterprise):
    client.force_login(regulator)

    response = client.post(url("accreditation_new", standard.pk), accredit_post(enterprise, 1))

    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not Accreditation.objects.exists()


def test_a_draft_only_standard_cannot_be_accredited_yet(client, regulator, government, school):
    draft = make_standard(government, publish=False)
    client.force_login(regulator)

    response = client.post(url("accreditation_new", draft.pk), accredit_post(school, 1))

    assert response.url == url("accreditation_list", draft.pk)
    assert not Accreditation.objects.exists()


def test_suspend_reinstate_and_withdraw_keep_the_reasons(client, regulator, standard, school):
    accreditation = factories.accredit(school, standard.levels.get(level=1))
    client.force_login(regulator)
    address = url("accreditation_detail", accreditation.pk)

    no_reason = client.post(address, {"action": "suspend", "reason": ""})
    assert no_reason.status_code == 200 and "reason" in no_reason.text.lower()
    accreditation.refresh_from_db()
    assert accreditation.status == "active"

    client.post(address, {"action": "suspend", "reason": "Inspection found faults."})
    accreditation.refresh_from_db()
    assert accreditation.status == "suspended"
    client.post(address, {"action": "reinstate", "reason": "Faults fixed."})
    accreditation.refresh_from_db()
    assert accreditation.status == "active"
    client.post(address, {"action": "withdraw", "reason": "Closed."})
    accreditation.refresh_from_db()
    assert accreditation.status == "withdrawn"
    assert "Inspection found faults." in accreditation.note
    assert "Faults fixed." in accreditation.note and "Closed." in accreditation.note

    client.post(address, {"action": "reinstate", "reason": "Please."})
    accreditation.refresh_from_db()
    assert accreditation.status == "withdrawn"  # final


def test_the_admin_refuses_an_overlap_or_reinstating_a_withdrawal_as_a_form_error(
    client, regulator, standard, school
):
    accreditation = factories.accredit(school, standard.levels.get(level=1))
    regulator.is_staff = True
    regulator.save(update_fields=["is_staff"])
    client.force_login(regulator)
    today = timezone.localdate().isoformat()

    added = client.post(
        reverse("admin:exams_accreditation_add"),
        {"school": school.pk, "standard": standard.pk, "level": 1, "valid_from": today,
         "status": "active", "note": ""},
    )  # fmt: skip
    assert added.status_code == 200
    assert "already accredited for level 1" in added.text
    assert Accreditation.objects.count() == 1

    services.accreditation_set_status(accreditation=accreditation, status="withdrawn")
    changed = client.post(
        reverse("admin:exams_accreditation_change", args=[accreditation.pk]),
        {"status": "active", "valid_until": "", "enterprise_partner": "", "note": ""},
    )
    assert changed.status_code == 200
    assert "A withdrawn accreditation cannot change" in changed.text
    accreditation.refresh_from_db()
    assert accreditation.status == "withdrawn"


# --- What uses a version --------------------------------------------------------------------


def test_the_version_page_counts_accreditations_exams_and_certificates_without_names(
    client, regulator, student, school, government, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.certificates.test_issuance import pass_exam

    monkeypatch.setattr(issuance.render_certificate, "delay", lambda *args: None)
    exam = build_exam(school=school, government=government, practicals=0)
    pass_exam(student, exam, django_capture_on_commit_callbacks)
    standard = exam.skill_level.standard
    client.force_login(regulator)

    response = client.get(url("standard_detail", standard.pk))

    level_usage = dict(response.context["levels"])[exam.skill_level]
    assert level_usage["accreditations"] == 1
    assert level_usage["exams"] == 1
    assert dict(level_usage["counts"])["Certificates"] == 1
    assert exam.title_en in response.text
    assert "张伟" not in response.text and "Zhang Wei" not in response.text
    home = client.get(url("standards_home"))
    version = home.context["groups"][0]["versions"][0]
    assert (version.exam_count, dict(version.usage)["Certificates"]) == (1, 1)


# --- Query counts ---------------------------------------------------------------------------


def queries_for(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_the_home_page_costs_the_same_queries_for_10_or_100_standards(
    client, regulator, government, school
):
    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            standard = make_standard(government, code=f"std-{i}", levels=(1,))
            factories.accredit(school, standard.levels.get())

    client.force_login(regulator)
    add(10, 0)
    ten = queries_for(client, url("standards_home"))
    add(90, 10)
    hundred = queries_for(client, url("standards_home"))

    assert ten == hundred
    assert client.get(url("standards_home")).text.count('class="card standard-group"') == 100


def test_the_accreditation_list_costs_the_same_queries_for_10_or_100_rows(
    client, regulator, standard
):
    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            school = factories.organization(kind="school", code=f"school-{i:03}")
            factories.accredit(school, standard.levels.get(level=1))

    client.force_login(regulator)
    add(10, 0)
    ten = queries_for(client, url("accreditation_list", standard.pk))
    add(90, 10)
    hundred = queries_for(client, url("accreditation_list", standard.pk))

    assert ten == hundred
    text = client.get(url("accreditation_list", standard.pk)).text
    assert text.count('class="accreditation status-active"') == 100


def test_the_version_page_costs_the_same_queries_for_1_or_3_levels(client, regulator, government):
    small = make_standard(government, code="small", levels=(1,))
    large = make_standard(government, code="large", levels=(1, 2, 3))
    client.force_login(regulator)

    assert queries_for(client, url("standard_detail", small.pk)) == queries_for(
        client, url("standard_detail", large.pk)
    )


# --- Languages ------------------------------------------------------------------------------


def test_the_workspace_speaks_chinese(client, regulator, standard):
    client.force_login(regulator)

    home = client.get(url("standards_home"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    detail = client.get(url("standard_detail", standard.pk), HTTP_ACCEPT_LANGUAGE="zh-CN")
    centres = client.get(url("accreditation_list", standard.pk), HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert "<h1>技能标准</h1>" in home.text
    assert "跨境电商平台运营" in detail.text and "开始新版本" in detail.text
    assert "<h1>认证评价机构</h1>" in centres.text
