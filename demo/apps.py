from django.apps import AppConfig


class DemoConfig(AppConfig):
    """This site's demo content (``manage.py seed_demo``): not part of the add-on, so a council
    installing ``papers`` gets no demo accounts and no default password."""

    name = "demo"
    verbose_name = "Demo content"
    default_auto_field = "django.db.models.BigAutoField"
