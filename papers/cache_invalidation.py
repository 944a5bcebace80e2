"""Every event that changes what the public may see drops every cached copy at once.

The rule is deliberately the simplest correct one: any such event clears the whole page cache
(``papers.caching.clear_page_cache``), rather than working out which pages, listings, feeds,
search results and API answers mention the page. A board site publishes a few times a week, so a
cold cache after each event costs little; a missed dependency would show a restricted paper.

The events: a page published, unpublished, moved or deleted, or a live page saved; a page or collection view
restriction saved or removed, or its groups changed (an audience tightened or loosened, papers.confidentiality, does
exactly that); a document or image saved (a new file, another collection) or deleted; a site,
collection or snippet changed; any admin bulk action. The cache is cleared at once, for the rest of the current
transaction, and again when it commits, so that no request that read the data before the
commit can leave a copy behind.

When a CDN is configured (``WAGTAILFRONTENDCACHE``, from ``FRONTEND_CACHE_BACKEND``; Wagtail's
frontend cache app purges a page when it is published or unpublished) the page, the pages below
it (at their old addresses too, after a move) and the site's listings are purged from it too.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail import hooks
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache, purge_urls_from_cache
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
    get_page_models,
)
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from .caching import clear_page_cache
from .models import Interest, Member, TrainingCompletion

# Addresses that list pages, purged from a CDN on every event (query-string variants such as
# ?page=2 or API filters cannot be purged by address: they expire after SHARED_MAX_AGE).
LISTINGS = [
    "/",
    "/decisions/",
    "/contracts/",
    "/social-value/",
    "/sitemap.xml",
    "/calendar/meetings.ics",
    "/api/v2/pages/",
]


def changed(pages=()):
    """Clear now (for this transaction) and again on commit; purge the CDN on commit."""
    clear_page_cache()
    pages = [page for page in pages if page is not None]
    transaction.on_commit(lambda: after_commit(pages))


def after_commit(pages):
    clear_page_cache()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        purge_frontend(pages)


def purge_frontend(pages):
    affected = {}
    for page in pages:
        for each in Page.objects.descendant_of(page, inclusive=True).live():
            affected[each.pk] = each
    purge_pages_from_cache(affected.values())
    urls = []
    for site in Site.objects.select_related("root_page"):
        sections = site.root_page.get_children().live().values_list("slug", flat=True)
        feeds = [f"/feeds/{slug}/" for slug in ["all", *sections]]
        urls += [site.root_url + path for path in LISTINGS + feeds]
    purge_urls_from_cache(urls)


def on_page_event(sender, instance, **kwargs):
    changed([instance])


def on_page_moving(sender, instance, **kwargs):
    """Before a move: the addresses the page and those below it leave, for the CDN."""
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        pages = Page.objects.descendant_of(instance, inclusive=True).live()
        urls = [url for url in (page.get_full_url() for page in pages) if url]
        transaction.on_commit(lambda: purge_urls_from_cache(urls))


def on_page_saved(sender, instance, raw=False, **kwargs):
    # Pages saved in code (seed_demo, imports) send no page_published; a draft saved on a
    # live page clears too, which costs a cold cache and nothing else.
    if instance.live and not raw:
        changed([instance])


def on_restriction_event(sender, instance, raw=False, **kwargs):
    if not raw:
        changed([getattr(instance, "page", None)])


def on_restriction_groups_changed(sender, instance, action, **kwargs):
    # Who a restriction admits, changed without saving it (papers.confidentiality sets the
    # groups just after the save); papers.visibility keeps what a reader may see until then.
    if action.startswith("post_"):
        changed([getattr(instance, "page", None)])


def on_other_event(sender, instance=None, raw=False, **kwargs):
    if not raw:
        changed()


def on_snippet_event(request, instance=None, **kwargs):
    changed()


def on_bulk_action(request, action_type, objects, action):
    # Some bulk actions change rows without a signal: "Add to collection" moves documents by a
    # queryset update, and a document moved to the board's collection left its title on every
    # kept page that showed it.
    changed()


def connect():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(on_page_event, dispatch_uid=f"papers-cache-{signal_name(signal)}")
    post_delete.connect(on_page_event, sender=Page, dispatch_uid="papers-cache-page-deleted")
    pre_page_move.connect(on_page_moving, dispatch_uid="papers-cache-moving")
    for model in get_page_models():
        post_save.connect(on_page_saved, sender=model, dispatch_uid=uid(post_save, model))
    for model in (PageViewRestriction, CollectionViewRestriction):
        for signal in (post_save, post_delete):
            signal.connect(on_restriction_event, sender=model, dispatch_uid=uid(signal, model))
        m2m_changed.connect(
            on_restriction_groups_changed,
            sender=model.groups.through,
            dispatch_uid=f"papers-cache-{model._meta.label_lower}-groups",
        )
    # Training completions and who is on the board: the public training pages' counts; the
    # register of interests (papers.interests_register).
    models = (get_document_model(), get_image_model(), Collection, Site, TrainingCompletion)
    for model in (*models, Interest, Member):
        for signal in (post_save, post_delete):
            signal.connect(on_other_event, sender=model, dispatch_uid=uid(signal, model))
    m2m_changed.connect(
        on_other_event,
        sender=get_user_model().groups.through,
        dispatch_uid="papers-cache-user-groups",
    )
    for hook in ("after_create_snippet", "after_edit_snippet", "after_delete_snippet"):
        hooks.register(hook, on_snippet_event)
    hooks.register("after_bulk_action", on_bulk_action)


def signal_name(signal):
    return {page_published: "published", page_unpublished: "unpublished"}.get(signal, "moved")


def uid(signal, model):
    kind = "saved" if signal is post_save else "deleted"
    return f"papers-cache-{model._meta.label_lower}-{kind}"
