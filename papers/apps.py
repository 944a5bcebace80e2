from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Board papers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: Django imports this module before the app registry
        # is ready, and these modules load the add-on's models.
        from wagtail.models import ReferenceIndex

        from . import cache_invalidation, csv_export, plain_text
        from .models import Interest, TrainingCompletion
        from .search import admin_hooks, signals, tasks  # noqa: F401 (admin_hooks registers)
        from .signal_handlers import register_signal_handlers

        register_signal_handlers(self)
        # Their admin viewsets register them too, but only once the admin's URLs load: a
        # worker or command saving one before that would leave its references out of "Used
        # in" and of the warnings before a page is deleted. (Wagtail's documents app does the
        # same in its ready().)
        for model in (Interest, TrainingCompletion):
            ReferenceIndex.register_model(model)
        # Text fields refuse control characters at the form; CSV exports neutralise formulas.
        plain_text.register()
        csv_export.install()
        # Search: keep the index and attachment text in step.
        signals.connect()
        tasks.connect()
        # Every event that changes what the public may see clears the page cache (issue 10).
        cache_invalidation.connect()
