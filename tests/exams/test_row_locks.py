"""Row locks on PostgreSQL: FOR UPDATE fails on the nullable side of an outer join (a
default ordering through a nullable relation joins one), and locks every joined row."""

import pytest
from django.apps import apps
from django.db import NotSupportedError, connection, transaction
from django.test.utils import CaptureQueriesContext

from exams import services
from exams.models import ExamOverride

pytestmark = pytest.mark.django_db


def outer_joining_orderings() -> set[str]:
    labels = set()
    for model in apps.get_models():
        if model._meta.ordering and "LEFT OUTER JOIN" in str(model._default_manager.all().query):
            labels.add(model._meta.label)
    return labels


def test_only_the_override_orders_through_an_outer_join():
    # Locking such a model with .first() or a loop needs select_for_update(of=("self",))
    # (as exams.services.overrides does) or an order_by() without the relation.
    assert outer_joining_orderings() == {"exams.ExamOverride"}


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's: SQLite ignores select_for_update")


@pytest.mark.postgres
def test_postgresql_refuses_to_lock_an_override_with_its_default_ordering(exam):
    require_postgresql()
    with pytest.raises(NotSupportedError), transaction.atomic():
        ExamOverride.objects.select_for_update().filter(exam=exam).first()
    with transaction.atomic():
        locked = ExamOverride.objects.select_for_update(of=("self",)).filter(exam=exam)
        assert locked.first() is None


@pytest.mark.postgres
def test_publishing_locks_the_exam_row_and_not_its_schools(exam, teacher):
    require_postgresql()
    with CaptureQueriesContext(connection) as queries:
        services.exam_set_published(exam=exam, published=False, by=teacher)
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locks and locks[0].endswith('FOR UPDATE OF "exams_exam"')
    exam.refresh_from_db()
    assert not exam.is_published
