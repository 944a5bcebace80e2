"""The one place that decides which pages a user may see.

Every listing, menu, search, feed, sitemap, calendar and API endpoint goes through
``visible_pages``; Wagtail's own querysets, menus and search ignore view restrictions.
"""

from wagtail.models import Page, PageViewRestriction


def restriction_admits(restriction, user):
    """Whether ``user`` passes a single Wagtail view restriction (password ones never)."""
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return bool(user and user.is_authenticated)
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        allowed = {group.pk for group in restriction.groups.all()}
        return bool(allowed & set(user.groups.values_list("pk", flat=True)))
    return False


def failed_restrictions(user):
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    return [r for r in restrictions if not restriction_admits(r, user)]


def visible_pages(user, queryset=None):
    """Live pages ``user`` may see: nothing at or below a restriction they fail."""
    queryset = (queryset if queryset is not None else Page.objects.all()).live()
    for restriction in failed_restrictions(user):
        queryset = queryset.not_descendant_of(restriction.page, inclusive=True)
    return queryset


def can_view(user, page):
    """Whether ``user`` may see ``page`` (restrictions on it and on every ancestor)."""
    return all(
        restriction_admits(restriction, user)
        for restriction in page.get_view_restrictions().prefetch_related("groups")
    )
