"""The add-on's signal receivers, connected once by ``PapersConfig.ready()``, each with a sender.

- after every ``migrate`` of this app: the groups, their rights, the Chair's workflow
  (papers.roles), the audience collections and the access log's readers;
- a page newly added under a section parent page is a section: the roles get their rights on it;
- a board page's audience and its view restriction are kept in step (papers.confidentiality):
  tightening when a revision or the page row is saved, settling when it is published;
- approved minutes carry each decided paper's status and advice (papers.decisions_follow).
"""

from django.db.models.signals import post_migrate, post_save
from wagtail.models import Revision, get_page_models
from wagtail.signals import page_published

from . import decisions_follow, roles
from .choices import Audience
from .confidentiality import (
    AUDIENCE_AT_LEVEL,
    current_level,
    ensure_collections,
    latest_revision_audience,
    level_of,
    restriction_level,
    settle,
    stored_audience,
    tighten,
)
from .models import BoardPage, MinutesPage
from .visibility import view_restrictions


def set_up_after_migrate(sender, using="default", **kwargs):
    roles.ensure_roles(using=using)
    ensure_collections()
    roles.grant_access_log_reading()


def section_created(sender, instance, created, raw=False, **kwargs):
    """A page newly added under a section parent page is a section: grant the roles' rights."""
    if created and not raw and roles.is_section(instance):
        roles.grant_section(instance)


def on_revision_saved(sender, instance, raw=False, **kwargs):
    if raw or "audience" not in (instance.content or {}):
        return
    page = instance.content_object
    if not isinstance(page, BoardPage):
        return
    tighten(page, stored_audience(page), instance.content["audience"], user=instance.user)


def on_page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and "audience" not in update_fields:
        return  # e.g. save_revision() touching only latest_revision: the draft is not stored here
    tighten(instance, instance.audience, latest_revision_audience(instance))


def on_page_published(sender, instance, revision=None, **kwargs):
    settle(instance, user=getattr(revision, "user", None))


def on_page_copied(request, page, new_page):
    """``after_copy_page`` hook (papers.wagtail_hooks): a copy is exactly as restricted as its
    original, including a restriction the original only inherits from its section (Wagtail
    copies the page's own restriction, and our audience field, but not an inherited one when
    the copy lands in a public section). The audience field is raised too, so that publishing
    the copy later does not loosen it."""
    restrictions = view_restrictions(page).prefetch_related("groups")
    level = max([restriction_level(r) for r in restrictions] + [0])
    copy = new_page.specific
    if level <= current_level(copy) or not isinstance(copy, BoardPage):
        return
    copy.audience = AUDIENCE_AT_LEVEL[max(level, level_of(copy.audience))]
    if copy.audience == Audience.BOARD and not copy.exempt_paragraph:
        # The paragraph of the section that made the original exempt.
        sections = page.get_ancestors(inclusive=True).specific().reverse()
        copy.exempt_paragraph = next(
            (p.exempt_paragraph for p in sections if getattr(p, "exempt_paragraph", "")), ""
        )
    # on_page_saved tightens the restriction to match.
    copy.save(update_fields=["audience", "exempt_paragraph"], clean=False)
    tighten(copy, copy.audience, user=getattr(request, "user", None))


def board_page_models():
    return [model for model in get_page_models() if issubclass(model, BoardPage)]


def register_signal_handlers(app_config):
    """Connect every receiver of the add-on (``app_config``: the papers app)."""
    post_migrate.connect(set_up_after_migrate, sender=app_config, dispatch_uid="papers.set_up")
    # Any page type may be a section (a child of a section parent): every concrete page model.
    for model in get_page_models():
        post_save.connect(section_created, sender=model, dispatch_uid="papers.section_created")
    post_save.connect(on_revision_saved, sender=Revision, dispatch_uid="papers.revision_audience")
    for model in board_page_models():
        post_save.connect(on_page_saved, sender=model, dispatch_uid="papers.page_audience")
        page_published.connect(
            on_page_published, sender=model, dispatch_uid="papers.published_audience"
        )
    page_published.connect(
        decisions_follow.minutes_published,
        sender=MinutesPage,
        dispatch_uid="papers.decisions_follow",
    )
