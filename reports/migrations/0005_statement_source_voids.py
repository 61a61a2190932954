"""Learning records name the row whose event they record (source, source_id), and a voiding
statement the statement it withdraws (voids). Statements written before are given their
source from what they say: an enrolment's or attempt's registration (derived from the site
in the statement's actor and the row's key, reports.xapi.registration_for) and a
certificate's serial in its verification address; so the backfill does not write them again.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# reports.xapi.REGISTRATION_NAMESPACE (copied: a migration does not import live code).
REGISTRATION_NAMESPACE = uuid.UUID("6f1d3a52-0c1e-4f55-9a7e-2b8c5d4e1a90")
ENROLLMENT_VERBS = {"registered", "completed"}
ATTEMPT_VERBS = {"attempted", "passed", "failed"}
CERTIFICATE_VERBS = {"issued", "revoked"}


def _registrations(sites, kind, pks) -> dict[str, int]:
    return {
        str(uuid.uuid5(REGISTRATION_NAMESPACE, f"{site}/{kind}/{pk}")): pk
        for site in sites
        for pk in pks
    }


def fill_sources(apps, schema_editor):
    Statement = apps.get_model("reports", "Statement")
    Enrollment = apps.get_model("courses", "Enrollment")
    Attempt = apps.get_model("exams", "Attempt")
    Certificate = apps.get_model("certificates", "Certificate")
    rows = list(Statement.objects.filter(source="").values_list("pk", "verb", "person_id", "data"))
    if not rows:
        return
    sites = {
        (d.get("actor", {}).get("account", {}).get("homePage") or "").rstrip("/")
        for _pk, _v, _p, d in rows
    }
    people = {person for _pk, _v, person, _d in rows if person is not None}
    enrollments = _registrations(
        sites,
        "enrollment",
        Enrollment.objects.filter(student_id__in=people).values_list("pk", flat=True),
    )
    attempts = _registrations(
        sites,
        "attempt",
        Attempt.objects.filter(student_id__in=people).values_list("pk", flat=True),
    )
    serials = dict(Certificate.objects.filter(holder_id__in=people).values_list("serial", "pk"))
    for pk, verb, _person, data in rows:
        registration = (data.get("context") or {}).get("registration")
        found = None
        if verb in ENROLLMENT_VERBS and registration in enrollments:
            found = ("enrollment", enrollments[registration])
        elif verb in ATTEMPT_VERBS and registration in attempts:
            found = ("attempt", attempts[registration])
        elif verb in CERTIFICATE_VERBS:
            serial = (data.get("object") or {}).get("id", "").rstrip("/").rsplit("/", 1)[-1]
            if serial in serials:
                found = ("certificate", serials[serial])
        if found is not None:
            Statement.objects.filter(pk=pk).update(source=found[0], source_id=found[1])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_rollup"),
        ("courses", "0001_initial"),
        ("exams", "0001_initial"),
        ("certificates", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("enrollment", "Enrolment"),
                    ("attempt", "Exam attempt"),
                    ("certificate", "Certificate"),
                ],
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="statement",
            name="source_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="statement",
            name="voids",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="voided_by",
                to="reports.statement",
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="verb",
            field=models.CharField(
                choices=[
                    ("registered", "Enrolled"),
                    ("completed", "Completed a course"),
                    ("attempted", "Sat an exam"),
                    ("passed", "Passed an exam"),
                    ("failed", "Failed an exam"),
                    ("issued", "Certificate issued"),
                    ("revoked", "Certificate revoked"),
                    ("voided", "Earlier record withdrawn"),
                ],
                max_length=12,
                verbose_name="verb",
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                fields=["source", "source_id", "verb"], name="reports_statement_source"
            ),
        ),
        migrations.RunPython(fill_sources, migrations.RunPython.noop),
    ]
