"""The school's question tags in a real browser: a teacher logs in, renames a tag and merges two
through the page's own forms (the merge asks for confirmation first), and the page and the
database both show it; the page passes axe, in English and after the site's language switch
to Chinese, where its labels are Chinese."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from exams import services
from exams.models import Question, QuestionBank, QuestionTag
from tests.browser.artefacts import axe_violations, screenshot
from tests.browser.test_exam_in_browser import log_in
from tests.exams.conftest import single_choice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST = "question-tags"
URL = reverse("exams:question_tags")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The staff second factor has its own browser test (test_accounts_in_browser); here the
    # teacher goes straight to work, as in the other teaching tests.
    settings.STAFF_MFA_REQUIRED = False


@pytest.fixture
def questions(school):
    bank = QuestionBank.objects.create(organization=school, name="Listing bank")
    tagged = [["amazon", "物流"], ["amazon-listing"], ["amazon-listing", "listing"], ["listing"]]
    return [
        services.question_create(bank=bank, data={**single_choice(n=n), "tags": names})
        for n, names in enumerate(tagged)
    ]


def names_of(question: Question) -> list[str]:
    return sorted(Question.objects.get(pk=question.pk).tags.values_list("name", flat=True))


def table(page) -> dict[str, str]:
    """The page's table of tags: name -> number of questions."""
    rows = page.locator("table.question-tags tbody tr")
    return {
        rows.nth(i).locator("td").nth(0).inner_text(): rows.nth(i).locator("td.num").inner_text()
        for i in range(rows.count())
    }


def accessible(page, where: str) -> None:
    found = axe_violations(page)
    assert found == [], (where, found)


def test_a_teacher_renames_and_merges_tags_on_the_page_in_english_and_chinese(
    browser_page, live_server, teacher, questions
):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, live_server, teacher.username, URL)
    posts = []  # what the page's forms send to the tags page
    page.on(
        "request",
        lambda request: (
            posts.append(request.post_data)
            if request.method == "POST" and request.url.endswith(URL)
            else None
        ),
    )
    expect(page.locator("h1")).to_have_text("Question tags")
    assert table(page) == {"amazon": "1", "amazon-listing": "2", "listing": "2", "物流": "1"}
    accessible(page, "the tags page")

    # Rename, through the rename form.
    rename = page.locator("section[aria-labelledby=rename-heading] form")
    rename.locator("#id_tag").select_option(label="amazon")
    rename.locator("#id_name").fill(" Amazon  marketplace ")
    rename.get_by_role("button", name="Rename").click()
    expect(page.locator(".messages")).to_contain_text("The tag amazon is now Amazon marketplace.")
    assert page.url == f"{live_server.url}{URL}"  # redirected back: the form is not re-sent
    assert table(page) == {
        "Amazon marketplace": "1",
        "amazon-listing": "2",
        "listing": "2",
        "物流": "1",
    }
    assert names_of(questions[0]) == ["Amazon marketplace", "物流"]
    assert not QuestionTag.objects.filter(name="amazon").exists()

    # Merge, through the merge form; the page asks first, and a "no" sends nothing.
    merge = page.locator("section[aria-labelledby=merge-heading] form")
    merge.locator("#id_source").select_option(label="amazon-listing")
    merge.locator("#id_target").select_option(label="listing")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    merge.get_by_role("button", name="Merge").click()
    assert asked == ["Merge these tags? The first one will be deleted."]

    page.once("dialog", lambda dialog: answer(dialog, True))
    merge.get_by_role("button", name="Merge").click()
    expect(page.locator(".messages")).to_contain_text(
        "The tag amazon-listing is merged into listing (2 questions)."
    )
    assert len(asked) == 2
    # Two posts in all, the rename and the confirmed merge: the refused one was never sent.
    assert len(posts) == 2 and "action=merge" in posts[1], posts
    assert table(page) == {"Amazon marketplace": "1", "listing": "3", "物流": "1"}
    # The database: every question that had the old tag has the target, once; the old is gone.
    assert not QuestionTag.objects.filter(name="amazon-listing").exists()
    assert [names_of(q) for q in questions] == [
        ["Amazon marketplace", "物流"],
        ["listing"],
        ["listing"],
        ["listing"],
    ]
    accessible(page, "the tags page after a merge")
    screenshot(page, TEST, "en")

    # The same page in Chinese, with the language menu in the site's header.
    page.select_option("#language", "zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")
    assert page.url == f"{live_server.url}{URL}"
    english = [
        "Question tags",
        "Rename a tag",
        "Merge two tags",
        "New name",
        "Merge the tag",
        "Rename",
        "Merge",
        "Questions",
    ]
    with translation.override("zh-hans"):
        chinese = {text: gettext(text) for text in english}
    assert all(chinese[text] != text for text in english), chinese  # all translated
    assert chinese["Question tags"] == "题目标签" and chinese["Merge two tags"] == "合并两个标签"
    expect(page.locator("h1")).to_have_text(chinese["Question tags"])
    expect(page.locator("#rename-heading")).to_have_text(chinese["Rename a tag"])
    expect(page.locator("#merge-heading")).to_have_text(chinese["Merge two tags"])
    expect(page.locator("label[for=id_name]")).to_contain_text(chinese["New name"])
    expect(page.locator("label[for=id_source]")).to_contain_text(chinese["Merge the tag"])
    expect(rename.locator("button[type=submit]")).to_have_text(chinese["Rename"])
    expect(merge.locator("button[type=submit]")).to_have_text(chinese["Merge"])
    expect(page.locator("table.question-tags thead")).to_contain_text(chinese["Questions"])
    main = page.locator("main").inner_text()
    assert "Rename a tag" not in main and "Merge two tags" not in main
    assert table(page) == {"Amazon marketplace": "1", "listing": "3", "物流": "1"}
    accessible(page, "the tags page in Chinese")
    screenshot(page, TEST, "zh-hans")
