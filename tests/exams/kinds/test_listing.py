"""The product listing kind: its automatic criteria, its checks, its widget, and how its
automatic points and the people's rubric marks make one mark."""

import copy
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from exams import grading, services
from exams.kinds import REGISTRY
from exams.kinds import listing as listing_module
from exams.models import Attempt, AttemptQuestion, MarketplaceRules
from exams.services import marketplaces as marketplace_services
from lms.demo.exam_content import LISTING_QUESTIONS
from lms.demo_exams import DEMO_LISTING_ANSWER
from tests.exams.conftest import exam_of_kinds
from tests.exams.test_kinds_registry import json_st, questions
from tests.exams.test_marking import enrol, login

D = Decimal
LISTING = REGISTRY["listing"]
AMAZON = LISTING_QUESTIONS[0]  # Amazon: title 200, 1 to 5 bullets of 255, 249 bytes, 2000
PROPERTIES = settings(max_examples=60, deadline=None)


def results(question: dict, response: dict) -> dict[str, dict]:
    """The automatic criteria of a response, by name."""
    found = listing_module.evaluate(question["content"], question["key"], response)
    return {r["name"]: {**r, "met": r["fraction"] == 1} for r in found}


def good() -> dict:
    return copy.deepcopy(DEMO_LISTING_ANSWER)


def with_rules(question: dict, **rules) -> dict:
    changed = copy.deepcopy(question)
    changed["content"]["rules"].update(rules)
    return changed


# --- the automatic criteria ------------------------------------------------------------------


def test_a_listing_within_every_rule_meets_every_criterion():
    found = results(AMAZON, good())
    assert set(found) == {
        "title",
        "keywords",
        "forbidden",
        "bullets",
        "search_terms",
        "description",
    }
    assert all(r["met"] for r in found.values()), found
    grade = grading.grade("listing", content=AMAZON["content"], key=AMAZON["key"],
                          response=good(), max_points=D(20))  # fmt: skip
    # 11 automatic points of 20; the rubric's 9 come from people, so it is neither right nor wrong.
    assert grade == grading.Grade(D("11.00"), D(20), None)


def test_the_title_must_fit_the_marketplaces_limit_to_the_character():
    listing = good()
    listing["title"] = "SONORA Bluetooth Speaker " + "x" * (200 - 25)
    assert len(listing["title"]) == 200 and results(AMAZON, listing)["title"]["met"]
    listing["title"] += "y"
    assert not results(AMAZON, listing)["title"]["met"]
    assert "201 of 200 characters" in results(AMAZON, listing)["title"]["detail"]


def test_chinese_characters_count_one_each_in_a_title():
    listing = good()
    listing["title"] = "SONORA 蓝牙音箱 " + "防" * 188
    assert len(listing["title"]) == 200 and results(AMAZON, listing)["title"]["met"]


@pytest.mark.parametrize("character", ["!", "！", "$", "¦"])
def test_a_character_the_marketplace_bans_fails_the_title(character):
    listing = good()
    listing["title"] = f"SONORA Bluetooth Speaker{character} IPX7"
    found = results(AMAZON, listing)["title"]
    assert not found["met"] and "characters not allowed" in found["detail"]


def test_the_title_limit_comes_from_the_questions_snapshot_of_the_rules():
    # Same listing (a 113-character title), rules written as eBay's 80.
    assert not results(with_rules(AMAZON, title_max_chars=80), good())["title"]["met"]
    assert results(with_rules(AMAZON, title_max_chars=113), good())["title"]["met"]


def test_a_chinese_variant_counts_as_the_keyword():
    listing = good()
    listing["title"] = "SONORA 便携蓝牙音箱 20W"
    listing["description"] = "户外防水音箱，24小时续航。"
    assert results(AMAZON, listing)["keywords"]["met"]


def test_keywords_match_whatever_the_case_and_the_full_width_forms():
    listing = good()
    listing["title"] = "ＳＯＮＯＲＡ BLUETOOTH   SPEAKER"
    listing["description"] = "IPX7 rated, 24H battery."
    assert results(AMAZON, listing)["keywords"]["met"]


def test_a_title_keyword_elsewhere_does_not_count_and_partial_keywords_earn_a_share():
    listing = good()
    listing["title"] = "Portable speaker, 20W"  # neither "bluetooth speaker" nor "SONORA"
    listing["description"] = "SONORA bluetooth speaker, waterproof, 24-hour battery."
    found = results(AMAZON, listing)["keywords"]
    assert found["fraction"] == 0.5 and not found["met"]
    assert found["detail"] == "2 of 4 required keywords"
    criteria = {c["label"]: c for c in LISTING.criteria(AMAZON["content"], AMAZON["key"], listing)}
    assert criteria["Required keywords present"]["points"] == D("1.50")


def test_a_latin_word_matches_whole_words_only():
    listing = good()
    listing["description"] += " Bestow it on a friend; secure the strap."  # not best, not cure
    assert results(AMAZON, listing)["forbidden"]["met"]
    listing["description"] += " The best speaker."
    found = results(AMAZON, listing)["forbidden"]
    assert not found["met"] and found["detail"] == "Found: “best”"


@pytest.mark.parametrize(
    "claim",
    [
        "FREE SHIPPING today",  # Amazon's banned words, whatever the case
        "Free   Shipping",
        "Louder than JBL",  # the teacher's competitor brands
        "better than jbl",
        "100% waterproof",  # "100%" claims, also typed full width
        "１００％ waterproof",
        "cures headaches",  # medical claims
        "音质最好",  # Chinese absolute words
        "全网第一",
    ],
)
def test_a_forbidden_claim_anywhere_fails_the_forbidden_criterion(claim):
    listing = good()
    listing["bullets"][2] += " " + claim
    assert not results(AMAZON, listing)["forbidden"]["met"]


def test_an_empty_listing_earns_nothing_not_even_for_avoiding_forbidden_words():
    empty = {"title": "", "bullets": [], "search_terms": "", "description": ""}
    assert not any(r["met"] for r in results(AMAZON, empty).values())
    assert grading.grade("listing", content=AMAZON["content"], key=AMAZON["key"],
                         response=empty, max_points=D(20)).points == D("0.00")  # fmt: skip


def test_bullet_points_count_between_the_rules_minimum_and_maximum():
    listing = good()
    listing["bullets"] = []
    assert not results(AMAZON, listing)["bullets"]["met"]
    listing["bullets"] = ["One clear benefit."]
    assert results(AMAZON, listing)["bullets"]["met"]
    listing["bullets"] = ["A benefit."] * 6
    assert not results(AMAZON, listing)["bullets"]["met"]
    three = with_rules(AMAZON, bullets_min=3)
    listing["bullets"] = ["A benefit.", "", "Another."]  # an empty slot is no bullet point
    assert not results(three, listing)["bullets"]["met"]


def test_each_bullet_point_must_fit_its_character_limit():
    listing = good()
    listing["bullets"][0] = "b" * 255
    assert results(AMAZON, listing)["bullets"]["met"]
    listing["bullets"][0] = "b" * 256
    found = results(AMAZON, listing)["bullets"]
    assert not found["met"] and "the longest 256 of 255 characters" in found["detail"]


def test_search_terms_are_counted_in_utf8_bytes():
    listing = good()
    listing["search_terms"] = "a" * 249
    assert results(AMAZON, listing)["search_terms"]["met"]
    listing["search_terms"] = "a" * 250
    assert not results(AMAZON, listing)["search_terms"]["met"]
    listing["search_terms"] = "防" * 83  # 249 bytes: 3 each
    assert results(AMAZON, listing)["search_terms"]["met"]
    listing["search_terms"] = "防" * 84  # 84 characters, but 252 bytes
    found = results(AMAZON, listing)["search_terms"]
    assert not found["met"] and found["detail"] == "252 of 249 bytes"
    assert listing_module.count_bytes("é🎵") == 6


def test_the_description_limit_and_a_marketplace_without_one():
    listing = good()
    listing["description"] = "d" * 2001
    assert not results(AMAZON, listing)["description"]["met"]
    assert results(with_rules(AMAZON, description_max_chars=None), listing)["description"]["met"]


def test_a_criterion_worth_no_points_is_not_marked_at_all():
    shopee = LISTING_QUESTIONS[1]  # no bullet points, no search terms on Shopee
    assert set(results(shopee, {"title": "x"})) == {"title", "keywords", "forbidden", "description"}


# --- properties ------------------------------------------------------------------------------


def automatic_total(q: dict) -> Decimal:
    return sum(listing_module.points_of(q["key"]).values(), D(0))


def plausible(data: st.DataObject, q: dict) -> dict:
    """A listing built from the key's words, forbidden words, Chinese and random text."""
    words = [v for k in q["key"]["keywords"] for v in k["variants"]]
    words += q["key"]["forbidden"] + ["防水", "best", "！", "speaker"]
    text = st.lists(st.sampled_from(words) | st.text(max_size=12), max_size=8).map(" ".join)
    most = q["content"]["rules"]["bullets_max"]
    return {
        "title": data.draw(text),
        "bullets": data.draw(st.lists(st.none() | text, max_size=most)),
        "search_terms": data.draw(text),
        "description": data.draw(text),
    }


@PROPERTIES
@given(data=st.data())
def test_automatic_points_never_exceed_the_automatic_criteria(data):
    q = data.draw(questions("listing"))
    response = data.draw(json_st | st.just(plausible(data, q)))
    got = grading.grade("listing", content=q["content"], key=q["key"], response=response,
                        max_points=D(q["points"]))  # fmt: skip
    assert got.correct is None
    assert D(0) <= got.points <= automatic_total(q)
    assert got.points.as_tuple().exponent == -2


@PROPERTIES
@given(data=st.data())
def test_the_grade_is_the_sum_of_the_criteria_points(data):
    q = data.draw(questions("listing"))
    response = plausible(data, q)
    shown = LISTING.criteria(q["content"], q["key"], response)
    got = grading.grade("listing", content=q["content"], key=q["key"], response=response,
                        max_points=D(q["points"]))  # fmt: skip
    # Each criterion rounds to cents on its own: at most a cent apart per criterion.
    assert abs(got.points - sum((c["points"] for c in shown), D(0))) <= D("0.01") * len(shown)


@PROPERTIES
@given(data=st.data())
def test_the_kinds_own_full_listing_meets_every_criterion(data):
    q = data.draw(questions("listing"))
    response = grading.key_response("listing", q["content"], q["key"])
    assert all(c["met"] for c in LISTING.criteria(q["content"], q["key"], response))
    got = grading.grade("listing", content=q["content"], key=q["key"], response=response,
                        max_points=D(q["points"]))  # fmt: skip
    assert got.points == automatic_total(q)


@PROPERTIES
@given(data=st.data())
def test_cleaning_a_listing_keeps_its_grade(data):
    q = data.draw(questions("listing"))
    response = plausible(data, q)
    cleaned = grading.clean_response("listing", q["content"], response)
    assert set(cleaned) == {"title", "bullets", "search_terms", "description"}

    def grade(r):
        return grading.grade("listing", content=q["content"], key=q["key"], response=r,
                             max_points=D(q["points"]))  # fmt: skip

    assert grade(cleaned) == grade(response)


# --- cleaning and checking -------------------------------------------------------------------


def test_cleaning_trims_the_fields_and_drops_trailing_empty_bullets():
    cleaned = LISTING.clean_response(
        AMAZON["content"], {"title": "  Speaker ", "bullets": ["One", None, "", "  "], "x": 1}
    )
    assert cleaned == {
        "title": "Speaker",
        "bullets": ["One"],
        "search_terms": "",
        "description": "",
    }


@pytest.mark.parametrize(
    "response, message",
    [
        ({"bullets": ["a"] * 6}, "at most 5 bullet points"),
        ({"bullets": "one"}, "must be a list of texts"),
        ({"title": 12}, "must be text"),
        ({"description": "x" * 50_001}, "longer than"),
    ],
)
def test_cleaning_refuses_what_the_widget_cannot_send(response, message):
    with pytest.raises(ValueError, match=message):
        LISTING.clean_response(AMAZON["content"], response)


def problems(question: dict, **key_changes) -> list[str]:
    changed = copy.deepcopy(question)
    changed["key"].update(key_changes)
    return grading.validate_question(changed)


def test_the_criteria_and_rubric_must_add_up_to_the_questions_points():
    points = dict(AMAZON["key"]["points"], title="3")
    assert problems(AMAZON, points=points) == [
        "The question is worth 20 points but its criteria and rubric total 21."
    ]


def test_a_marketplace_without_bullets_or_search_terms_cannot_give_them_points():
    shopee = LISTING_QUESTIONS[1]
    points = dict(shopee["key"]["points"], bullets="1", search_terms="1", description="0")
    found = problems(shopee, points=points)
    assert "This marketplace has no bullet points: give them 0 points." in found
    assert "This marketplace has no search-terms field: give it 0 points." in found


def test_a_keyword_that_is_itself_forbidden_is_refused():
    keywords = [{"variants": ["100% cotton"], "in_title": False}]
    assert any("is itself a forbidden claim" in p for p in problems(AMAZON, keywords=keywords))


def test_title_keywords_that_cannot_fit_the_title_are_refused():
    keywords = [{"variants": ["w" * 50], "in_title": True}] * 5
    assert any("do not fit in 200 characters" in p for p in problems(AMAZON, keywords=keywords))


def test_the_rubric_is_required_and_the_rules_are_checked():
    assert "The rubric needs at least one criterion." in problems(AMAZON, rubric=[])
    broken = with_rules(AMAZON, bullets_min=6)
    assert "The rules ask for more bullet points than they allow." in grading.validate_question(
        broken
    )


# --- what the student sees -------------------------------------------------------------------


def test_the_widget_has_a_field_per_bullet_the_marketplace_allows_with_counters():
    item = {"position": "3", "text": "", "answered": False}
    LISTING.present(item, LISTING.public_content(AMAZON["content"]), good())
    html = render_to_string(LISTING.widget_template, {"q": item, "labels": {}})
    for path in ("title", "bullets.0", "bullets.4", "search_terms", "description"):
        assert f'data-answer="{path}"' in html
    assert 'data-answer="bullets.5"' not in html
    assert 'data-count="bytes" data-limit="249"' in html
    assert '<span class="count">73</span> / 249' in html  # the saved search terms, in bytes
    assert "exams/listing.js" in html and "<script>" not in html  # no inline script (CSP)
    shopee = {"position": "4", "text": "", "answered": False}
    LISTING.present(shopee, LISTING_QUESTIONS[1]["content"], {})
    html = render_to_string(LISTING.widget_template, {"q": shopee, "labels": {}})
    assert "bullets." not in html and "search_terms" not in html


def test_the_student_gets_the_marketplace_rules_and_nothing_of_the_key():
    public = grading.public_content("listing", AMAZON["content"])
    assert public == AMAZON["content"]  # the rules are published: nothing in them is secret
    text = str(public) + LISTING.describe(AMAZON["content"], good())
    for secret in ("JBL", "UE Boom", "Persuasiveness", "24 小时"):
        assert secret not in text


def test_the_answer_and_the_key_in_words():
    said = LISTING.describe(AMAZON["content"], good())
    assert said.startswith("Title: SONORA Portable Bluetooth Speaker")
    assert "• In the box:" in said and "Search terms: wireless outdoor" in said
    key = LISTING.describe_key(AMAZON["content"], AMAZON["key"])
    assert "bluetooth speaker / 蓝牙音箱 (in the title)" in key
    assert "nor: JBL, Bose, Anker, Sony, UE Boom: 2 points" in key
    assert "Search terms of at most 249 bytes: 1 points" in key


# --- with the database -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("question", LISTING_QUESTIONS, ids=lambda q: q["title"])
def test_the_demo_questions_keep_the_seeded_version_1_of_their_marketplace(question):
    seeded = MarketplaceRules.objects.get(code=question["content"]["rules"]["code"], version=1)
    assert question["content"]["rules"] == seeded.snapshot()


@pytest.mark.django_db
def test_new_rules_leave_an_existing_question_and_its_grade_alone(teacher):
    amazon = MarketplaceRules.objects.get(code="amazon", version=1)
    fields = {name: getattr(amazon, name) for name in marketplace_services.RULE_FIELDS}
    stricter = marketplace_services.marketplace_rules_save(
        code="amazon", fields={**fields, "title_max_chars": 75}, by=teacher
    )
    assert stricter.version == 2
    # The question still holds version 1: grading reads no table.
    assert results(AMAZON, good())["title"]["met"]
    editor = LISTING.editor(content=AMAZON["content"], key=AMAZON["key"])
    choices = dict(editor.form.fields["rules"].choices)
    assert choices["amazon:1"].endswith("(kept by this question)")
    assert choices["amazon:2"].endswith("(current)")
    posted = {**editor.as_post_data(), "kind-rules": "amazon:2"}
    content, _key = LISTING.editor(posted, content=AMAZON["content"], key=AMAZON["key"]).cleaned()
    assert content["rules"]["version"] == 2 and content["rules"]["title_max_chars"] == 75


LISTING_KEY = {
    "keywords": [{"variants": ["camera"], "in_title": True}],
    "forbidden": ["Canon"],
    "points": {
        "title": "1",
        "keywords": "1",
        "forbidden": "1",
        "bullets": "0",
        "search_terms": "1",
        "description": "0",
    },
    "rubric": [
        {"id": "r1", "criterion": {"en": "Persuasiveness", "zh-hans": "说服力"}, "points": "3"},
        {"id": "r2", "criterion": {"en": "Localisation", "zh-hans": "本地化"}, "points": "3"},
    ],
}


@pytest.fixture
def listing_exam(school, government):
    """A level-2 exam whose practical part is one listing worth 10: 4 automatic, 6 rubric."""
    data = {"content": copy.deepcopy(AMAZON["content"]), "key": copy.deepcopy(LISTING_KEY)}
    return exam_of_kinds(
        school=school,
        government=government,
        questions={"listing": ("practical", data)},
        feedback={"en": "Feedback."},
        review="after_grading",
    )


def sit_listing(exam, student, listing: dict) -> AttemptQuestion:
    attempt = services.attempt_start(student=student, exam=exam)
    question = attempt.questions.get()
    services.answer_save(attempt=attempt, position=question.position, response=listing, seq=1)
    services.attempt_submit(attempt=attempt)
    question.refresh_from_db()
    return question


def mark(question, grader, role, r1, r2):
    return services.mark_record(
        attempt_question=AttemptQuestion.objects.get(pk=question.pk),
        grader=grader,
        role=role,
        rubric_marks={"r1": D(r1), "r2": D(r2)},
    )


CAMERA = {"title": "Compact 4K camera", "search_terms": "vlog camera travel", "description": "x"}


@pytest.mark.django_db
def test_the_automatic_points_and_the_dual_rubric_marks_make_one_mark(
    listing_exam, student, cohort, teacher, mentor, client
):
    enrol(student, cohort)
    question = sit_listing(listing_exam, student, CAMERA)
    # Submitted: the rules gave their 4 points, people still mark the rubric.
    assert question.needs_marking and question.auto_points == D("4.00")
    assert question.points is None and question.is_correct is None
    assert question.attempt.status == Attempt.Status.SUBMITTED

    page = login(client, teacher).get(reverse("exams:mark_answer", args=[question.pk])).text
    assert "Automatic criteria" in page and "Required keywords present" in page
    assert "4.00 points already given by the rules" in page
    assert "Title: Compact 4K camera" in page  # the listing, in words
    assert 'name="criterion_r1"' in page and "Persuasiveness" in page

    mark(question, teacher, "teacher", "3", "2")  # 5 of the rubric's 6
    mark(question, mentor, "mentor", "2.5", "2")  # 4.5: within 15 % of 6
    question.refresh_from_db()
    assert not question.needs_marking
    assert question.points == D("4.00") + D("4.75")
    attempt = Attempt.objects.get(pk=question.attempt_id)
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.practical_percent == D("87.50")


@pytest.mark.django_db
def test_dual_marks_are_compared_on_the_rubrics_share_only(
    listing_exam, student, cohort, teacher, mentor
):
    enrol(student, cohort)
    question = sit_listing(listing_exam, student, CAMERA)
    mark(question, teacher, "teacher", "3", "3")
    # 1.2 apart: within 15 % of the whole 10 points, but not of the 6 people mark.
    mark(question, mentor, "mentor", "2.4", "2.4")
    question.refresh_from_db()
    assert question.needs_adjudication and question.needs_marking and question.points is None


@pytest.mark.django_db
def test_an_unanswered_listing_needs_no_marker_and_scores_nothing(listing_exam, student):
    question = sit_listing(listing_exam, student, {})
    assert not question.needs_marking and question.points == D(0)
    assert Attempt.objects.get(pk=question.attempt_id).status == Attempt.Status.GRADED


@pytest.mark.django_db
def test_the_student_sees_each_criterion_after_release(
    listing_exam, student, cohort, teacher, mentor, client
):
    enrol(student, cohort)
    question = sit_listing(
        listing_exam, student, {**CAMERA, "title": "Better than Canon: the best camera!"}
    )
    result = reverse("exams:attempt_result", args=[question.attempt_id])
    login(client, student)
    assert "Required keywords present" not in client.get(result).text  # not marked yet
    mark(question, teacher, "teacher", "2", "2")
    mark(question, mentor, "mentor", "2", "2")
    page = client.get(result).text
    assert "Required keywords present" in page and "Search terms within the byte limit" in page
    assert "not met" in page and "Found: “best”, “Canon”" in page
    assert "characters not allowed: !" in page


@pytest.mark.django_db
def test_a_corrected_key_rescores_the_rules_and_keeps_the_peoples_marks(
    listing_exam, student, cohort, teacher, mentor, django_capture_on_commit_callbacks
):
    enrol(student, cohort)
    question = sit_listing(listing_exam, student, {**CAMERA, "title": "Compact 4K 相机"})
    assert question.auto_points == D("3.00")  # the keyword "camera" is not in the title
    mark(question, teacher, "teacher", "3", "2")
    mark(question, mentor, "mentor", "3", "2")
    question.refresh_from_db()
    assert question.points == D("8.00")
    version = question.version
    key = copy.deepcopy(version.key)
    key["keywords"][0]["variants"].append("相机")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_correct_key(version=version, key=key, by=teacher)
    question.refresh_from_db()
    assert (question.auto_points, question.points) == (D("4.00"), D("9.00"))
    assert sorted(m.points for m in question.marks.all()) == [D(5), D(5)]
