from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "board_search"
    verbose_name = "Board search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals, tasks  # noqa: F401 - connects the receivers
