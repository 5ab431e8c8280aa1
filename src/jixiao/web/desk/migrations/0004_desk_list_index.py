"""The desk's list index: a year's live evaluations by total, for keyset pages (docs/desk.md, "Indices")."""

from django.db import migrations

CREATE = ("CREATE INDEX IF NOT EXISTS desk_evaluation_year_total_idx ON evaluations_evaluation "
          "(year, total_hundredths DESC, id DESC) WHERE deleted_at IS NULL")
DROP = "DROP INDEX IF EXISTS desk_evaluation_year_total_idx"


class Migration(migrations.Migration):

    dependencies = [("desk", "0003_spot_checks"), ("evaluations", "0003_state_withdrawn_label")]

    operations = [migrations.RunSQL(CREATE, DROP)]
