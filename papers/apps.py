from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Board papers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import roles

        # Groups, rights and the Chair's workflow are set up from code after every migrate ...
        post_migrate.connect(roles.roles_post_migrate, sender=self, dispatch_uid="papers.roles")
        # ... and a section added later (a new child of the home page) is set up when created.
        post_save.connect(roles.section_created, dispatch_uid="papers.roles.section_created")
        # Audiences kept in step with view restrictions; document collections (confidentiality).
        from . import confidentiality

        confidentiality.connect(sender=self)
        # Text fields refuse control characters at the form; CSV exports neutralise formulas.
        from . import csv_export, plain_text

        plain_text.register()
        csv_export.install()
        # Approved minutes carry each decided paper's status and advice (issue 16).
        from . import decisions_follow

        decisions_follow.connect()
        # Every event that changes what the public may see clears the page cache (issue 10).
        from . import cache_invalidation

        cache_invalidation.connect()
