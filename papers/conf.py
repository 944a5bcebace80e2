"""The add-on's settings: one dictionary, ``BOARD_PAPERS``, in the site's Django settings.

Every key has a default, so a site sets only what differs, e.g.::

    BOARD_PAPERS = {"SECTION_PARENT_PAGE_MODEL": "home.HomePage", "COUNCIL_NAME": "Anyshire"}

The board's sections (meetings, proposals, providers, training...) are the children of the
section parent page: its model is named here and resolved like Wagtail's
``get_document_model()``.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SETTING = "BOARD_PAPERS"

DEFAULTS = {
    # The page type under which the board's sections sit ("app_label.ModelName"); the default
    # is the home page `wagtail start` makes.
    "SECTION_PARENT_PAGE_MODEL": "home.HomePage",
    # Page types an agenda item may link as its paper, besides the add-on's own.
    "EXTRA_PAPER_PAGE_MODELS": [],
    # The four groups the add-on sets up and whose members read restricted papers.
    "OFFICERS_GROUP": "Officers",
    "CHAIR_GROUP": "Chair",
    "BOARD_MEMBERS_GROUP": "Board members",
    "MEMBERS_GROUP": "Members",
    # Shown above the board's name in page headers, feeds and calendars.
    "COUNCIL_NAME": "County Council",
    # Where document files live, outside MEDIA_ROOT (papers.storage). None: MEDIA_ROOT's
    # sibling "<media>-private".
    "PRIVATE_MEDIA_ROOT": None,
    # Board members open board-only papers only once they have completed every training
    # module marked "required before board papers" (officers and the Chair are never held back).
    "REQUIRE_TRAINING_FOR_BOARD_PAPERS": False,
    # Meeting reminders (papers.reminders) go to the board this many days before a meeting.
    "MEETING_REMINDER_DAYS": 7,
}


def papers_settings():
    """The defaults, overridden by whatever the site's ``BOARD_PAPERS`` sets."""
    configured = getattr(settings, SETTING, {}) or {}
    unknown = set(configured) - set(DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"Unknown {SETTING} keys: {', '.join(sorted(unknown))}")
    return {**DEFAULTS, **configured}


def get_setting(name):
    return papers_settings()[name]


def get_section_parent_model_string():
    """The section parent page model as "app_label.ModelName" (usable before apps load)."""
    return get_setting("SECTION_PARENT_PAGE_MODEL")


def get_section_parent_model():
    """The page model whose children are the board's sections."""
    name = get_section_parent_model_string()
    try:
        return apps.get_model(name, require_ready=False)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{SETTING}['SECTION_PARENT_PAGE_MODEL'] must be of the form 'app_label.ModelName'"
        ) from error
    except LookupError as error:
        raise ImproperlyConfigured(
            f"{SETTING}['SECTION_PARENT_PAGE_MODEL'] refers to model '{name}' that has not "
            "been installed"
        ) from error


def group_name(role):
    """The name of one of the add-on's groups: role is OFFICERS, CHAIR, BOARD_MEMBERS or MEMBERS."""
    return get_setting(f"{role}_GROUP")
