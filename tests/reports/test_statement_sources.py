"""Migration 0005 gives statements written before it the row they record, so the backfill
does not write those events again."""

import importlib

from django.apps import apps

from reports import backfill
from reports.models import Statement
from tests.reports.test_learning_records import journey, no_renders  # noqa: F401

migration = importlib.import_module("reports.migrations.0005_statement_source_voids")


def test_existing_statements_get_their_source_and_are_not_backfilled_again(
    student,
    course,
    theory_exam,
    regulator,
    django_capture_on_commit_callbacks,
    no_renders,  # noqa: F811
):
    journey(student, course, theory_exam, regulator, django_capture_on_commit_callbacks)
    sources = dict(Statement.objects.values_list("pk", "source_id"))
    kinds = dict(Statement.objects.values_list("pk", "source"))
    # As written before the migration: no source.
    Statement.objects.update(source="", source_id=None)

    migration.fill_sources(apps, None)

    assert dict(Statement.objects.values_list("pk", "source_id")) == sources
    assert dict(Statement.objects.values_list("pk", "source")) == kinds
    assert all(sources.values())
    assert backfill.backfill().total == 0
