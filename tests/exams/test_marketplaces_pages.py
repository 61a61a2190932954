"""The marketplace rules pages: who may open them, and saving rules as a new version."""

import pytest
from django.urls import reverse

from exams import access
from exams.models import MarketplaceRules
from tests import factories
from tests.exams.test_marking import login

LIST = reverse("exams:marketplace_rules")
AMAZON = reverse("exams:marketplace_rules_edit", args=["amazon"])
NEW = reverse("exams:marketplace_rules_new")

pytestmark = pytest.mark.usefixtures("marketplace_rules")


def form_of(rules: MarketplaceRules, **changes) -> dict:
    """What the edit page posts for these rules, with some fields changed."""
    data = {
        "name_en": rules.name_en,
        "name_zh": rules.name_zh,
        "title_max_chars": rules.title_max_chars,
        "title_banned_characters": rules.title_banned_characters,
        "bullets_min": rules.bullets_min,
        "bullets_max": rules.bullets_max,
        "bullet_max_chars": rules.bullet_max_chars or "",
        "search_terms_max_bytes": rules.search_terms_max_bytes,
        "description_max_chars": rules.description_max_chars or "",
        "banned_words": "\n".join(rules.banned_words),
        "effective_from": rules.effective_from.isoformat() if rules.effective_from else "",
        "sources": rules.sources,
    }
    return {**data, **changes}


@pytest.fixture
def school_admin(school):
    return factories.person("head", school, "admin")


@pytest.fixture
def nobody(db):
    """Logged in, with no role anywhere."""
    return factories.person("nobody", None, None)


@pytest.fixture
def enterprise_admin(enterprise):
    return factories.person("firm-admin", enterprise, "admin")


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, AMAZON, NEW])
def test_the_pages_send_anonymous_visitors_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["student", "mentor", "verifier", "regulator", "enterprise_admin", "nobody"]
)
@pytest.mark.parametrize("url", [LIST, AMAZON, NEW])
def test_people_who_author_no_school_questions_are_refused(client, request, persona, url):
    person = request.getfixturevalue(persona)
    assert not access.can_edit_marketplace_rules(person)
    login(client, person)
    assert client.get(url).status_code == 403
    amazon = MarketplaceRules.objects.get(code="amazon")
    assert client.post(url, form_of(amazon, title_max_chars=75)).status_code == 403
    assert MarketplaceRules.objects.filter(code="amazon").count() == 1


@pytest.mark.parametrize("persona", ["teacher", "school_admin", "outsider"])
def test_teachers_and_school_staff_of_any_school_edit_the_shared_rules(client, request, persona):
    # The rules are the marketplaces', shared by every school: a teacher elsewhere (the
    # outsider of the other tests) edits them as well.
    person = request.getfixturevalue(persona)
    assert access.can_edit_marketplace_rules(person)
    login(client, person)
    assert client.get(LIST).status_code == 200
    assert client.get(AMAZON).status_code == 200


def test_the_teaching_home_links_to_the_rules_for_authors_only(client, teacher, mentor):
    assert LIST in login(client, teacher).get(reverse("exams:staff_home")).text
    assert LIST not in login(client, mentor).get(reverse("exams:staff_home")).text


# --- the pages --------------------------------------------------------------------------------


def test_the_list_shows_the_current_rules_of_every_seeded_marketplace(client, teacher):
    page = login(client, teacher).get(LIST).text
    for name in ("Amazon", "AliExpress", "Shopee", "eBay"):
        assert name in page
    for code in ("amazon", "aliexpress", "shopee", "ebay"):
        assert reverse("exams:marketplace_rules_edit", args=[code]) in page


def test_the_edit_page_shows_the_rules_and_their_sources(client, teacher):
    page = login(client, teacher).get(AMAZON).text
    assert 'name="title_max_chars"' in page and 'value="200"' in page
    assert "free shipping" in page  # a banned word, one per line
    assert "sellercentral.amazon.com" in page  # where the limits come from
    assert "Version history" in page


def test_saving_makes_a_new_version_and_keeps_the_old_one(client, teacher):
    amazon = MarketplaceRules.objects.get(code="amazon", version=1)
    changed = form_of(amazon, title_max_chars=75, banned_words="free shipping\nbest seller\n")
    response = login(client, teacher).post(AMAZON, changed)
    assert response.status_code == 302 and response["Location"] == AMAZON
    versions = list(MarketplaceRules.objects.of("amazon"))
    assert [v.version for v in versions] == [2, 1]
    assert versions[0].title_max_chars == 75 and versions[0].created_by == teacher
    assert versions[0].banned_words == ["free shipping", "best seller"]
    assert versions[1].title_max_chars == 200  # the old version is untouched
    assert MarketplaceRules.objects.current().get(code="amazon").version == 2
    page = client.get(AMAZON).text
    assert "saved as version 2" in page and "rules version 2" in page


def test_saving_unchanged_rules_makes_no_version(client, teacher):
    amazon = MarketplaceRules.objects.get(code="amazon")
    response = login(client, teacher).post(AMAZON, form_of(amazon))
    assert response.status_code == 400
    assert "Nothing changed" in response.text
    assert MarketplaceRules.objects.filter(code="amazon").count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"bullets_min": 6}, "This is above the most bullet points allowed."),
        ({"bullet_max_chars": ""}, "Say how long a bullet point may be."),
        ({"title_max_chars": 0}, "A title needs at least 1 character."),
        ({"sources": ""}, "This field is required."),
        ({"banned_words": "x" * 101}, "At most 500 words of at most 100 characters each."),
    ],
)
def test_rules_no_listing_could_use_are_refused(client, teacher, changes, message):
    amazon = MarketplaceRules.objects.get(code="amazon")
    response = login(client, teacher).post(AMAZON, form_of(amazon, **changes))
    assert response.status_code == 400 and message in response.text
    assert MarketplaceRules.objects.filter(code="amazon").count() == 1


def test_a_new_marketplace_starts_at_version_1(client, teacher):
    ebay = MarketplaceRules.objects.get(code="ebay")
    data = form_of(ebay, code="tiktok-shop", name_en="TikTok Shop", name_zh="TikTok Shop")
    response = login(client, teacher).post(NEW, data)
    assert response.status_code == 302
    created = MarketplaceRules.objects.get(code="tiktok-shop")
    assert created.version == 1 and created.title_max_chars == 80
    taken = login(client, teacher).post(NEW, {**data, "code": "amazon"})
    assert taken.status_code == 400 and "Rules for this marketplace exist" in taken.text


def test_an_unknown_marketplace_is_404(client, teacher):
    url = reverse("exams:marketplace_rules_edit", args=["nowhere"])
    assert login(client, teacher).get(url).status_code == 404
