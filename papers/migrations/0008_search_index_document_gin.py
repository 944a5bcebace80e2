"""A GIN index on ``title || body`` of Wagtail's search index table (PostgreSQL only).

Wagtail's PostgreSQL backend matches ``title || body @@ query``; its own GIN indexes cover
``title`` and ``body`` one at a time, so that match scans every entry. With this index the
search answers from the index, with exactly the matches and ranks it has always had
(papers.search.scoring.IndexedDocument builds the same expression).
"""

from django.db import migrations

INDEX = "papers_search_document_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((title || body))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0007_pack_agenda_publication"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
