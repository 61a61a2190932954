"""Renaming and merging a school's question tags: on every question, all or nothing,
audited, only by the school's teachers, in both languages."""

import pytest
from django.urls import reverse

from exams import services
from exams.models import Question, QuestionBank, QuestionTag
from exams.services.errors import ExamError
from organizations import audit
from organizations.models import AuditEntry
from tests.exams.conftest import single_choice

pytestmark = pytest.mark.django_db
URL = reverse("exams:question_tags")


@pytest.fixture
def bank(school):
    return QuestionBank.objects.create(organization=school, name="Listing bank")


def tagged(bank, names, n=0) -> Question:
    return services.question_create(bank=bank, data={**single_choice(n=n), "tags": names})


def names_of(question) -> list[str]:
    return sorted(tag.name for tag in question.tags.all())


def tag(name) -> QuestionTag:
    return QuestionTag.objects.get(name=name)


def test_a_rename_shows_on_every_question_and_is_audited(bank, teacher):
    first, second = tagged(bank, ["amazon"], 0), tagged(bank, ["amazon", "物流"], 1)

    services.question_tag_rename(tag=tag("amazon"), name=" Amazon  listings ", by=teacher)

    assert names_of(first) == ["Amazon listings"]
    assert names_of(second) == ["Amazon listings", "物流"]
    entry = AuditEntry.objects.get(action=audit.Action.QUESTION_TAG_RENAMED)
    assert entry.actor == teacher and entry.organization_id == bank.organization_id
    assert (entry.before, entry.after) == ({"name": "amazon"}, {"name": "Amazon listings"})


def test_a_rename_to_another_tags_name_is_refused_and_points_to_merging(bank, teacher):
    tagged(bank, ["amazon", "ebay"])
    with pytest.raises(ExamError, match="merge the two tags"):
        services.question_tag_rename(tag=tag("ebay"), name="AMAZON", by=teacher)
    with pytest.raises(ExamError):
        services.question_tag_rename(tag=tag("ebay"), name="a, b", by=teacher)
    # A change of case alone is a rename.
    services.question_tag_rename(tag=tag("amazon"), name="Amazon", by=teacher)
    assert set(QuestionTag.objects.values_list("name", flat=True)) == {"Amazon", "ebay"}


def test_a_merge_moves_every_question_to_the_target_and_deletes_the_source(bank, teacher):
    only_old = tagged(bank, ["amazon-listing", "物流"], 0)
    both = tagged(bank, ["amazon-listing", "listing"], 1)
    only_new = tagged(bank, ["listing"], 2)

    moved = services.question_tag_merge(
        source=tag("amazon-listing"), target=tag("listing"), by=teacher
    )

    assert moved == 2
    assert not QuestionTag.objects.filter(name="amazon-listing").exists()
    assert names_of(only_old) == ["listing", "物流"]
    assert names_of(both) == ["listing"]  # once, not twice
    assert names_of(only_new) == ["listing"]
    entry = AuditEntry.objects.get(action=audit.Action.QUESTION_TAG_MERGED)
    assert entry.actor == teacher and entry.object_label == "listing"
    assert entry.before["tag"] == "amazon-listing" and entry.before["questions"] == 2


def test_a_merge_that_fails_half_way_changes_nothing(bank, teacher, monkeypatch):
    question = tagged(bank, ["old", "物流"])
    tagged(bank, ["new"], 1)

    def broken(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.question_tag_merge(source=tag("old"), target=tag("new"), by=teacher)

    assert names_of(question) == ["old", "物流"]
    assert QuestionTag.objects.filter(name="old").exists()


def test_tags_of_different_schools_are_not_merged(bank, teacher, outsider):
    tagged(bank, ["amazon"])
    elsewhere = QuestionBank.objects.create(
        organization=outsider.memberships.get().organization, name="Other bank"
    )
    tagged(elsewhere, ["ebay"])
    with pytest.raises(ExamError):
        services.question_tag_merge(source=tag("amazon"), target=tag("ebay"), by=teacher)
    with pytest.raises(ExamError):
        services.question_tag_merge(source=tag("amazon"), target=tag("amazon"), by=teacher)


# --- the page -------------------------------------------------------------------------------


def test_a_teacher_renames_and_merges_on_the_page_reached_from_the_banks(client, bank, teacher):
    question = tagged(bank, ["amazon", "ebay"])
    client.force_login(teacher)
    assert URL in client.get(reverse("exams:bank_list")).text
    assert URL in client.get(reverse("exams:bank_detail", args=[bank.pk])).text

    page = client.get(URL)
    assert page.status_code == 200 and "amazon" in page.text

    renamed = client.post(URL, {"action": "rename", "tag": tag("amazon").pk, "name": "Amazon"})
    assert renamed.status_code == 302
    assert "The tag amazon is now Amazon." in client.get(URL).text

    merged = client.post(
        URL, {"action": "merge", "source": tag("ebay").pk, "target": tag("Amazon").pk}
    )
    assert merged.status_code == 302
    assert names_of(question) == ["Amazon"]
    assert "The tag ebay is merged into Amazon (1 question)." in client.get(URL).text


def test_the_page_shows_why_a_rename_or_merge_is_refused(client, bank, teacher):
    tagged(bank, ["amazon", "ebay"])
    client.force_login(teacher)

    taken = client.post(URL, {"action": "rename", "tag": tag("ebay").pk, "name": "amazon"})
    same = client.post(URL, {"action": "merge", "source": tag("ebay").pk, "target": tag("ebay").pk})

    assert taken.status_code == 400 and "merge the two tags instead" in taken.text
    assert same.status_code == 400 and "Choose another tag to merge into." in same.text
    assert set(QuestionTag.objects.values_list("name", flat=True)) == {"amazon", "ebay"}


def test_the_page_is_in_chinese(client, bank, teacher):
    tagged(bank, ["amazon"])
    client.force_login(teacher)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert (
        "题目标签" in page.text and "合并两个标签" in page.text and "Rename a tag" not in page.text
    )


def test_other_schools_tags_are_neither_listed_nor_accepted(client, bank, outsider):
    tagged(bank, ["amazon", "ebay"])
    client.force_login(outsider)

    assert "amazon" not in client.get(URL).text
    refused = client.post(URL, {"action": "rename", "tag": tag("amazon").pk, "name": "x"})
    merge = client.post(
        URL, {"action": "merge", "source": tag("amazon").pk, "target": tag("ebay").pk}
    )

    assert refused.status_code == 400 and merge.status_code == 400
    assert set(QuestionTag.objects.values_list("name", flat=True)) == {"amazon", "ebay"}
    assert not AuditEntry.objects.filter(action__startswith="question_tag.").exists()


@pytest.mark.parametrize("persona", ["student", "mentor"])
def test_students_and_mentors_cannot_reach_the_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "rename"}).status_code == 403


def test_the_page_needs_a_login(client, db):
    assert client.get(URL).status_code == 302
