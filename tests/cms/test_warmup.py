"""cms.warmup: what a server process loads before its first request."""

from django.template import engines

from cms.warmup import own_template_names, warm_up


def cached_template_names():
    loader = engines["django"].engine.template_loaders[0]
    return {key.split("-")[0] for key in loader.get_template_cache}


def test_the_site_s_own_templates_are_found():
    names = own_template_names()
    assert {"base.html", "home/home_page.html", "papers/forward_plan.html"} <= set(names)
    assert "wagtailadmin/admin_base.html" not in names  # Wagtail's, not the site's


def test_warm_up_compiles_every_own_template_without_the_database():
    # No django_db mark: pytest-django refuses any query. gunicorn forks its workers after
    # this, and a connection opened here would be shared by all of them.
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    assert "base.html" not in cached_template_names()
    warm_up()
    assert set(own_template_names()) <= cached_template_names()
