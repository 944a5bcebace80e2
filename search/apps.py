from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "board_search"
    verbose_name = "Board search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from papers.search.kinds import Kind, register_kind

        # This site's own content pages are found by search too, under "Other pages".
        register_kind(Kind("page", "Page", "Other pages", "home.StandardPage"))
