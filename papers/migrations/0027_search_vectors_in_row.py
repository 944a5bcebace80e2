"""Keep the search index's word vectors in the index table's own rows (PostgreSQL only).

Ranking a match reads its entry's ``body`` vector (``ts_rank``). PostgreSQL moves a large value
out of its row, to the table's TOAST store, once the row passes about 2 kB, and an index entry
also carries its raw text (``body_text``, which only Wagtail's fuzzy search reads): most
``body`` vectors were moved out, and ranking then fetched each from there, a lookup of its own.
At 10,000 papers, ranking the 5,876 entries with "care" read 19,352 buffers instead of 2,818
(17 ms against 9.6 ms), and every common word paid the same, in the search page, the API's
``?search=`` and the GIN floor alike.

``STORAGE MAIN`` keeps a column in the row unless nothing else can make the row fit: the raw
text is compressed and moved out first. The setting is for values written from now on, so the
rows already there are written again once, with the same vectors (``|| ''`` adds nothing: the
result is equal to the vector, checked on every entry at 10,000 papers). The table is Wagtail's,
not this app's: its columns are not in any model's state.
"""

from django.db import migrations

COLUMNS = ("title", "body")


def _set_storage(apps, schema_editor, storage):
    """Set the vector columns' storage and give the quoted table name (None, and nothing done,
    on any database but PostgreSQL)."""
    if schema_editor.connection.vendor != "postgresql":
        return None
    model = apps.get_model("wagtailsearch", "IndexEntry")
    table = schema_editor.quote_name(model._meta.db_table)
    for column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE {storage}")
    return table


def keep_in_row(apps, schema_editor):
    table = _set_storage(apps, schema_editor, "MAIN")
    if table:
        rewritten = ", ".join(f"{column} = {column} || ''::tsvector" for column in COLUMNS)
        schema_editor.execute(f"UPDATE {table} SET {rewritten}")
        schema_editor.execute(f"ANALYZE {table}")


def default_storage(apps, schema_editor):
    _set_storage(apps, schema_editor, "EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0026_page_children_index"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(keep_in_row, default_storage, elidable=False)]
