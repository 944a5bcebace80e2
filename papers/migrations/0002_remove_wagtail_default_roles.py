"""Formerly removed Wagtail's default "Editors" and "Moderators" groups and the "Moderators
approval" workflow. It has run already on existing databases, so it stays in the graph, but as a
no-op: those groups and that workflow are the host site's business, not the add-on's, and a new
council's site must keep them unless it chooses otherwise. This site removes them in its own
migration, ``home/migrations/0004_remove_wagtail_default_roles.py``.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
