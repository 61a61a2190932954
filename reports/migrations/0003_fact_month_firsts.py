"""Fact.month and Fact.firsts (one grouped scan per kind of fact, reports.definitions
.count_facts_together), filled in for the facts already there."""

from django.db import migrations, models
from django.db.models.functions import ExtractMonth, ExtractYear

MULTI_FACT_KINDS = ("enrolment", "completion")
# As reports.definitions.firsts_sql writes them, frozen here.
FIRST_COLUMNS = ("standard", "level", "partner_id")


def firsts_sql(quote) -> str:
    terms = []
    for subset in range(2 ** len(FIRST_COLUMNS)):
        names = ["refresh_id", "kind", "row_id"] + [
            name for index, name in enumerate(FIRST_COLUMNS) if subset & (1 << index)
        ]
        partition = ", ".join(quote(name) for name in names)
        first = f"ROW_NUMBER() OVER (PARTITION BY {partition}) = 1"
        terms.append(f"CASE WHEN {first} THEN {1 << subset} ELSE 0 END")
    return " + ".join(terms)


def fill(apps, schema_editor):
    Fact = apps.get_model("reports", "Fact")
    using = schema_editor.connection.alias
    Fact.objects.using(using).update(month=ExtractYear("day") * 12 + ExtractMonth("day") - 1)
    quote = schema_editor.connection.ops.quote_name
    table = quote(Fact._meta.db_table)
    firsts = firsts_sql(quote)
    kinds = ", ".join(f"'{kind}'" for kind in MULTI_FACT_KINDS)
    schema_editor.execute(
        f"UPDATE {table} SET firsts = marked.firsts FROM (SELECT id, {firsts} AS firsts "  # noqa: S608
        f"FROM {table} WHERE kind IN ({kinds})) AS marked WHERE marked.id = {table}.id"
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_learner_statement")]

    operations = [
        migrations.AddField(
            model_name="fact",
            name="month",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="fact",
            name="firsts",
            field=models.PositiveSmallIntegerField(default=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
