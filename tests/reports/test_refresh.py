"""The precomputed statistics: a regulator asks for a refresh and follows its progress; the
beat task refreshes; the page then says when its figures were computed."""

from django.urls import reverse

from reports import rollups, tasks
from reports.models import Fact, Refresh
from tests import factories


def test_regulator_refreshes_and_follows_the_progress(
    client, province, django_capture_on_commit_callbacks
):
    regulator = factories.person("reg", province["body"], "regulator")
    client.force_login(regulator)
    page = client.get(reverse("reports:statistics_home")).content.decode()
    assert "Counted live at" in page and "Recompute now" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:refresh_request"))
    refresh = Refresh.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:refresh_progress", args=[refresh.pk])
    progress = client.get(response["Location"], {"format": "json"}).json()
    assert progress == {"done": refresh.total, "total": refresh.total, "status": "done"}
    assert refresh.total == 7  # six kinds of facts, then the rollup
    html = client.get(response["Location"]).content.decode()
    assert "<progress" in html and "refresh.js" in html and 'style="' not in html.split("<main")[1]
    refresh.refresh_from_db()
    assert refresh.requested_by == regulator and refresh.rows == Fact.objects.count() > 0
    page = client.get(reverse("reports:statistics_home")).content.decode()
    assert "Precomputed at" in page


def test_a_second_request_joins_the_running_refresh(province):
    first, created = rollups.refresh_request()
    assert created
    again, created = rollups.refresh_request()
    assert not created and again == first


def test_a_new_refresh_replaces_the_old_facts(province):
    assert Refresh.objects.get(pk=tasks.refresh_statistics()).status == "done"
    old = Refresh.objects.get()
    count = Fact.objects.count()
    newer = Refresh.objects.get(pk=tasks.refresh_statistics())
    assert newer.pk != old.pk and newer.status == "done"
    assert Fact.objects.count() == count
    assert set(Fact.objects.values_list("refresh_id", flat=True)) == {newer.pk}
    assert rollups.latest_done() == newer


def test_only_regulators_refresh(client, province):
    refresh, _created = rollups.refresh_request()
    teacher = province["teachers"][province["schools"][0].pk]
    for user in (teacher, province["verifiers"][0], province["students"][0]):
        client.force_login(user)
        assert client.post(reverse("reports:refresh_request")).status_code == 403
        url = reverse("reports:refresh_progress", args=[refresh.pk])
        assert client.get(url).status_code == 403
    assert Refresh.objects.count() == 1
    client.force_login(teacher)
    assert "Recompute now" not in client.get(reverse("reports:statistics_home")).content.decode()


def test_the_refresh_precomputes_the_regulators_first_page(client, province):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    regulator = factories.person("reg", province["body"], "regulator")
    tasks.refresh_statistics()
    client.force_login(regulator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:statistics_home"))
    assert response.status_code == 200 and "Precomputed at" in response.content.decode()
    assert not [q for q in queries.captured_queries if "reports_fact" in q["sql"]]
    # Another filter is counted from the facts on first reading.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reports:statistics_home"), {"granularity": "year"})
    assert [q for q in queries.captured_queries if "reports_fact" in q["sql"]]
