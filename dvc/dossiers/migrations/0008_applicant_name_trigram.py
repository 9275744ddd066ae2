"""On PostgreSQL, a trigram index lets the officers' name search (LIKE '%...%') avoid reading every dossier."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dossier_applicant_name_trgm ON dossiers_dossier "
        "USING gin (applicant_name gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dossier_applicant_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_applicant_name_search")]

    operations = [migrations.RunPython(create, drop)]
