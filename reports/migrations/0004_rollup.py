"""The rollup: a refresh's facts added up by month (reports.models.Rollup), the refresh's
count of its rows, and an index on the certificates' expiry among the facts."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_fact_month_firsts"),
    ]

    operations = [
        migrations.CreateModel(
            name="Rollup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("refresh_id", models.BigIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("enrolment", "Enrolment"),
                            ("completion", "Course completion"),
                            ("sitting", "Exam sitting"),
                            ("certificate", "Certificate"),
                            ("verification", "Verification"),
                        ],
                        max_length=12,
                    ),
                ),
                ("month", models.PositiveSmallIntegerField()),
                ("day", models.DateField()),
                ("standard", models.CharField(max_length=40, null=True)),
                ("level", models.PositiveSmallIntegerField(null=True)),
                ("school_id", models.BigIntegerField(null=True)),
                ("partner_id", models.BigIntegerField(null=True)),
                ("region", models.CharField(max_length=100, null=True)),
                ("owner_id", models.BigIntegerField(null=True)),
                ("verifying_enterprise_id", models.BigIntegerField(null=True)),
                ("graded", models.BooleanField(default=False)),
                ("passed", models.BooleanField(default=False)),
                ("first", models.BooleanField(default=False)),
                ("status", models.CharField(blank=True, max_length=20)),
                ("expires_on", models.DateField(null=True)),
                ("firsts", models.PositiveSmallIntegerField(default=255)),
                ("facts", models.PositiveIntegerField(default=0)),
                ("weight", models.PositiveIntegerField(default=0)),
                ("mask_a", models.BigIntegerField(default=0)),
                ("mask_b", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "statistics rollup",
                "verbose_name_plural": "statistics rollups",
                "indexes": [
                    models.Index(
                        fields=["refresh_id", "kind", "month"], name="reports_rollup_kind_month"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="refresh",
            name="rollup_rows",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="fact",
            index=models.Index(
                condition=models.Q(("kind", "certificate")),
                fields=["refresh_id", "expires_on"],
                name="reports_fact_expiry",
            ),
        ),
    ]
