from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Board papers"
    default_auto_field = "django.db.models.BigAutoField"
