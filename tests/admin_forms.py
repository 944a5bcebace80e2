"""POST data for the Wagtail admin's page forms, as the edit form submits it, and the
helpers to submit it. Built with Wagtail's own ``wagtail.test.utils.form_data`` helpers."""

from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

INVALID_PAGE = "The page could not be saved due to validation errors"
# What Draftail submits for an empty editor (form_data.rich_text("") is an empty paragraph).
EMPTY_RICH_TEXT = "null"


def board_page_data(title, **fields):
    """The fields every BoardPage's edit form submits, with valid defaults."""
    data = {
        "title": title,
        "slug": "",
        "reference": "CAB/2025/099",
        "paper_date": "2025-03-12",
        "summary": "A plain summary of the paper.",
        "body": streamfield([("paragraph", rich_text("<p>The board is asked to advise.</p>"))]),
        "attachments": streamfield([]),
        "audience": "public",
        "exempt_paragraph": "",
        "tags": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(fields)
    return data


def form_data_from_html(html, form_id):
    """A form's data as a browser posts it. Wagtail's ``querydict_from_html`` gives a ticked
    checkbox without a ``value`` attribute the value "", which Django reads as unticked; a
    browser sends "on"."""
    data = querydict_from_html(html, form_id=form_id)
    soup = WagtailTestUtils.get_soup(html).find("form", attrs={"id": form_id})
    for box in soup.find_all("input", type="checkbox", checked=True):
        if box.get("name") and "value" not in box.attrs:
            data.setlist(box["name"], ["on"])
    return data


def form(data):
    return nested_form_data(data)


def add_url(model, parent):
    meta = model._meta
    return reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def post_edit(client, page, data, publish=False, multiple=None):
    data = form(data)
    data.update(multiple or {})  # multi-valued fields (lists), which nested_form_data would split
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(edit_url(page), data)


def post_add(client, model, parent, data, publish=False, multiple=None):
    data = form(data)
    data.update(multiple or {})  # multi-valued fields (lists), which nested_form_data would split
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(add_url(model, parent), data)


def revision_count(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def assert_refused(response, page, revisions_before, message):
    """The form came back with ``message`` and nothing was saved."""
    assert response.status_code == 200, response.status_code
    content = response.content.decode()
    assert INVALID_PAGE in content
    assert message in content, f"{message!r} not shown"
    assert revision_count(page) == revisions_before


def assert_saved(response):
    """The admin accepted the form (it redirects); on failure, show what it complained about."""
    if response.status_code != 302:
        errors = form_errors(response)
        raise AssertionError(f"form refused ({response.status_code}): {errors}")


def form_errors(response):
    context = getattr(response, "context", None)
    if not context or "form" not in context:
        return response.content[:500]
    page_form = context["form"]
    errors = dict(page_form.errors)
    for name, formset in getattr(page_form, "formsets", {}).items():
        if formset.non_form_errors():
            errors[name] = formset.non_form_errors()
        for index, child in enumerate(formset.forms):
            if child.errors:
                errors[f"{name}-{index}"] = dict(child.errors)
    return errors


def assert_add_refused(client, model, parent, data=None):
    """The admin's add URL for ``model`` under ``parent`` neither shows a form nor creates."""
    before = model.objects.count()
    response = client.get(add_url(model, parent))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    if data is not None:
        response = post_add(client, model, parent, data, publish=True)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert model.objects.count() == before


__all__ = [
    "EMPTY_RICH_TEXT",
    "INVALID_PAGE",
    "add_url",
    "assert_add_refused",
    "assert_refused",
    "assert_saved",
    "board_page_data",
    "edit_url",
    "form",
    "form_errors",
    "inline_formset",
    "post_add",
    "post_edit",
    "revision_count",
    "rich_text",
    "streamfield",
]
