"""The desk's search and sort indices on PostgreSQL (docs/desk.md, "Indices"); nothing on SQLite.

- pg_trgm GIN indices on UPPER(title) and UPPER(unit name): Django's `icontains` is
  `UPPER(col) LIKE UPPER('%…%')` on PostgreSQL, which these serve (the trigrams of Chinese text
  work under a UTF-8 ctype); a county on SQLite scans its few thousand rows instead.
- The error rows of the findings (most rows are warnings), for the dashboard's most frequent codes.
"""

from django.db import migrations, models

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS desk_evaluation_title_trgm ON evaluations_evaluation "
    "USING gin (UPPER(title) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS desk_organisation_name_trgm ON orgs_organisation USING gin (UPPER(name) gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS desk_evaluation_title_trgm",
    "DROP INDEX IF EXISTS desk_organisation_name_trgm",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: a county's rows are scanned quickly enough, and it has no trigram index
        for sql in statements:
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [("desk", "0005_jobs_batch"), ("evaluations", "0003_state_withdrawn_label"), ("orgs", "0001_initial")]

    operations = [
        migrations.RunPython(_run(CREATE), _run(DROP)),
        migrations.AddIndex(
            model_name="findingrow",
            index=models.Index(condition=models.Q(("severity", "error")), fields=["year", "code", "evaluation"],
                               name="finding_error_idx"),
        ),
    ]
