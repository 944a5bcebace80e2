"""The admin form every board page uses."""

from django import forms
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.coreutils import find_available_slug

from .choices import Audience
from .confidentiality import inline_document_errors, paper_audience, section_document_errors
from .visibility import visible_pages


def paper_label(paper):
    """A paper in "Add papers due": title, audience, date and reference, so the officer tells
    like papers apart."""
    day = f"{paper.paper_date:%-d %b %Y}" if getattr(paper, "paper_date", None) else "no date"
    parts = [paper.title, paper.get_audience_display(), day, paper.reference or "no reference"]
    return " \u2014 ".join(parts)


class BoardPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # A page being added is not in the tree yet, so its model's clean() cannot see the
        # restriction of the section it will sit in: the form, which knows the parent, can.
        for field_name, message in section_document_errors(self).items():
            self.add_error(field_name if field_name in self.fields else None, message)
        inline_document_errors(self)
        return cleaned_data


class MeetingPageForm(BoardPageForm):
    """A new meeting's form opens with the board's current members listed as present, so the
    officer only marks apologies, absences and substitutes; its title may be left empty: it is
    then the meeting's date (MeetingPage.full_clean).

    The go-live date is on the form itself ("Publishing the agenda"), not only in Wagtail's
    "Set schedule" side panel: both edit the page's ``go_live_at``, so both show the date saved
    and whichever the officer changed is kept (changed to two different dates: refused). As with
    the side panel, the Chair still approves; an approved revision with a future go-live date is
    published then, not at once."""

    go_live = forms.DateTimeField(
        label="Go-live date",
        required=False,
        widget=AdminDateTimeInput,
        help_text="When the agenda is published on the site once the Chair has approved it. "
        "Left empty, it is published as soon as the Chair approves. (The same date as "
        "\u2018Set schedule\u2019 in the side panel.)",
    )

    papers_due = forms.ModelMultipleChoiceField(
        label="Add papers due at this meeting",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each paper ticked becomes an agenda item when you save: a public paper under "
        "its own title; a board-only paper as an exempt item under its paragraph, with a "
        "neutral public title you may change.",
    )

    # Read by papers.minutes_from_agenda.start_after_saving once the meeting is saved.
    start_minutes = forms.BooleanField(
        label="Draft the minutes when I save",
        required=False,
        help_text="Once the meeting has been held: saving (or sending to the Chair) also drafts "
        "its minutes from the agenda and this attendance, and opens them.",
    )

    def __init__(self, data=None, *args, **kwargs):
        instance = kwargs.get("instance")
        # Only on the blank create form: a posted form keeps exactly the rows the officer sent.
        if data is None and instance is not None and instance.pk is None:
            instance.list_current_members()
            instance.start_agenda()
        super().__init__(data, *args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Leave empty to use the meeting's date."
        if "slug" in self.fields:
            self.fields["slug"].required = False  # made from the title when left empty
        due = self.fields["papers_due"]
        # Only papers the officer may see (papers.visibility): live ones, so a paper is
        # offered once it is published.
        due.queryset = visible_pages(self.for_user, self.instance.papers_due())
        due.label_from_instance = paper_label
        if "go_live_at" not in self.fields:
            del self.fields["go_live"]  # no scheduling for this user: neither place offers it
        else:
            self.fields["go_live"].initial = self.instance.go_live_at

    def clean(self):
        self.take_go_live_date()
        cleaned_data = super().clean()
        # Wagtail makes a slug from the title only once the page is in the tree, after
        # validation; this form knows the parent already, so it makes one here.
        start = cleaned_data.get("start")
        title = cleaned_data.get("title") or (self.instance.default_title(start) if start else "")
        if "slug" in cleaned_data and not cleaned_data["slug"] and title and self.parent_page:
            cleaned_data["slug"] = find_available_slug(
                self.parent_page, slugify(title), ignore_page_id=self.instance.pk
            )
        return cleaned_data

    def save(self, commit=True):
        page = super().save(commit=False)
        papers = self.cleaned_data.get("papers_due")
        if papers:
            page.add_papers(papers)
        if commit:
            page.save()
        return page

    def clean_papers_due(self):
        papers = self.cleaned_data.get("papers_due")
        members_only = [p.title for p in papers or [] if paper_audience(p) == Audience.MEMBERS]
        if members_only:
            raise forms.ValidationError(
                f"\u2018{members_only[0]}\u2019 is for councillors only: add it with "
                "\u2018Add agenda item\u2019, tick \u2018exempt item\u2019 and choose its "
                "Schedule 12A paragraph."
            )
        return papers

    def take_go_live_date(self):
        """The page's ``go_live_at`` from whichever of the two fields the officer changed, before
        Wagtail's own checks (go-live before expiry) read it."""
        if "go_live" not in self.fields or self.add_prefix("go_live") not in self.data:
            return  # a form posted without the field (a script) leaves the date as it is
        main, side = self.cleaned_data.get("go_live"), self.cleaned_data.get("go_live_at")
        changed = set(self.changed_data)
        if "go_live" in changed and "go_live_at" in changed and main != side:
            self.add_error(
                "go_live",
                "Two different go-live dates were set, here and under \u2018Set schedule\u2019 "
                "in the side panel: set one of them.",
            )
        elif "go_live" in changed and "go_live" in self.cleaned_data:
            self.cleaned_data["go_live_at"] = main


# The order a proposal's trail steps happen in (papers.models.trail.KIND_ORDER); repeated here
# as values so this module needs none of the models.
TRAIL_ORDER = ["board", "committee", "key_decision", "call_in"]


def _day(value):
    return f"{value:%-d %B %Y}"


def trail_order_errors(forms):
    """(form, message) for trail steps out of date order: dated before the first step of a kind
    that must come first (reported to the committee before the board considered it...), or
    listed after a step with a later date."""
    steps = []
    for form in forms:
        data = form.cleaned_data
        day, kind = data.get("date") or form.instance.date, data.get("kind")
        if day is not None and kind in TRAIL_ORDER:
            label = str(dict(form.fields["kind"].choices).get(kind, kind)).lower()
            steps.append((form, day, kind, label))
    first = {}
    for _form, day, kind, label in steps:
        if kind not in first or day < first[kind][0]:
            first[kind] = (day, label)
    errors = []
    latest = None
    for form, day, kind, label in steps:
        before = [first[k] for k in TRAIL_ORDER[: TRAIL_ORDER.index(kind)] if k in first]
        too_early = [(d, other) for d, other in before if d > day]
        if too_early:
            other_day, other_label = too_early[0]
            errors.append(
                (
                    form,
                    f"This step ({label}, {_day(day)}) is dated before the step that comes "
                    f"first ({other_label}, {_day(other_day)}): check the dates.",
                )
            )
        elif latest is not None and day < latest:
            errors.append(
                (
                    form,
                    f"Steps are listed in date order: this one ({_day(day)}) comes after one "
                    f"dated {_day(latest)}. Move it up, or check the date.",
                )
            )
        latest = day if latest is None else max(latest, day)
    return errors


class ProposalPageForm(BoardPageForm):
    """A proposal's trail of steps must read in date order, and in the order steps happen."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("trail")
        if formset is None or not formset.is_valid():
            return cleaned_data  # each step's own errors come first
        forms = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if formset.can_order:
            forms.sort(key=lambda f: f.cleaned_data.get("ORDER") or 0)
        for form, message in trail_order_errors(forms):
            form.add_error("date", message)
        return cleaned_data
