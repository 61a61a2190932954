"""Every question kind in a real browser: a teacher writes one of each through its form,
previews it as a student in English and Chinese, and a student sits them all."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from exams import services
from exams.kinds import REGISTRY
from exams.models import Attempt, Question, QuestionBank
from tests.browser.test_exam_in_browser import log_in
from tests.exams.test_kinds_registry import SAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


@pytest.fixture(autouse=True)
def _marketplace_rules(transactional_db, marketplace_rules):
    """A listing question is written against the seeded rules (see the fixture)."""


def shot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def fill_the_kinds_form(page, name: str) -> None:
    """Type the sample question of this kind into its form, adding rows as a teacher would."""
    sample = SAMPLES[name]
    posted = REGISTRY[name].editor(content=sample["content"], key=sample["key"]).as_post_data()
    for field, wanted in posted.items():
        if field.endswith("-TOTAL_FORMS"):
            prefix = field.removesuffix("-TOTAL_FORMS")
            total = page.locator(f"[name='{field}']")
            while int(total.input_value()) < int(wanted):
                page.locator(f"button.add-row[data-prefix='{prefix}']").click()
    for field, value in posted.items():
        control = page.locator(f"[name='{field}']")
        if control.count() == 0:
            continue
        first = control.first
        kind = first.get_attribute("type") or first.evaluate("e => e.tagName.toLowerCase()")
        if kind == "hidden":
            continue  # management counts and row ids: ids of new rows are made up, never typed
        if kind == "checkbox":
            first.set_checked(bool(value))
        elif kind == "radio":
            page.locator(f"[name='{field}'][value='{value}']").check()
        elif kind == "select":
            first.select_option(value)
        else:
            first.fill(str(value))
    text = sample.get("text") or {}
    page.fill("#id_title", f"{name} in the browser")
    page.fill("#id_text_en", text.get("en") or f"A {name} question")
    page.fill("#id_text_zh", text.get("zh-hans") or f"{name} 题")
    page.fill("#id_points", str(sample.get("points", "10")))
    page.fill("#id_competency", "all")


def answer_everything(page) -> None:
    """Answer each question the plain way a student might: first options, some text."""
    for section in page.locator("section.question").all():
        for group in set(section.locator("input[type=radio]").evaluate_all(
            "els => els.map(e => e.name)"
        )):  # fmt: skip
            section.locator(f"input[type=radio][name='{group}']").first.check()
        boxes = section.locator(".options input[type=checkbox]")
        if boxes.count():
            boxes.first.check()
        for select in section.locator("select").all():
            select.select_option(index=1)
        for box in section.locator("input[type=text], input:not([type]), textarea").all():
            if box.is_visible() and box.is_editable():
                box.fill("42")


def test_a_teacher_writes_every_kind_and_a_student_sits_them(
    chromium, live_server, teacher, student, school
):
    from playwright.sync_api import expect

    bank = QuestionBank.objects.create(organization=school, name="Every kind, by hand")
    teaching = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = teaching.new_page()
    page.set_default_timeout(15_000)
    bank_url = reverse("exams:bank_detail", args=[bank.pk])
    log_in(page, live_server, teacher.username, bank_url)

    for name, kind in REGISTRY.items():
        page.goto(f"{live_server.url}{bank_url}")
        page.click("text=Add a question")
        page.click(f"a[href$='?kind={name}']")
        fill_the_kinds_form(page, name)
        page.click("text=Save and preview")
        expect(page.locator("h1")).to_contain_text(f"{name} in the browser")
        columns = page.locator(".preview-column")
        expect(columns).to_have_count(2)
        with translation.override("zh-hans"):
            chinese_label = str(kind.label)
        expect(page.locator(".preview-column[lang='zh-hans'] .badge").first).to_have_text(
            chinese_label
        )
        expect(page.locator(".preview-column[lang='en'] .badge").first).to_have_text(
            str(kind.label)
        )
        shot(page, f"preview-{name}")
    teaching.close()

    questions = {q.kind: q for q in Question.objects.filter(bank=bank)}
    assert set(questions) == set(REGISTRY)
    assert all(q.current_version.key for q in questions.values())

    rules = {"theory": [], "practical": []}
    for name in REGISTRY:
        part = "practical" if REGISTRY[name].manual else "theory"
        rules[part].append({"competency": "all", "difficulty": 1, "kind": name, "count": 1})
    exam = services.exam_save(
        exam=None,
        fields={
            "title_en": "Every kind",
            "title_zh": "全部题型",
            "organization": school,
            "is_published": True,
            "time_limit_minutes": 30,
        },
        banks=[bank],
        sections=[{"part": part, "rules": rows} for part, rows in rules.items() if rows],
    )

    sitting = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = sitting.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, student.username, exam.get_absolute_url())
    page.click("form[action$='/start/'] button[type=submit]")
    page.wait_for_url("**/exams/attempts/**")
    expect(page.locator("section.question")).to_have_count(len(REGISTRY))
    answer_everything(page)
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved", timeout=20_000)
    shot(page, "attempt-every-kind-zh")
    page.locator("#submit-open").click()
    page.locator("#submit-confirm").click()
    page.wait_for_url("**/result/")
    attempt = Attempt.objects.get(student=student, exam=exam)
    assert attempt.status in (Attempt.Status.SUBMITTED, Attempt.Status.GRADED)
    answered = [q for q in attempt.questions.all() if q.is_answered]
    assert len(answered) >= len(REGISTRY) - 1, [q.kind for q in attempt.questions.all()]
    sitting.close()
