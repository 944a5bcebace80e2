"""The admin form every board page uses."""

from django import forms
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.coreutils import find_available_slug

from .choices import AdviceReached, Audience
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
        providers, items = (
            _kept(self.formsets.get(n)) for n in ("provider_attendance", "agenda_items")
        )
        if providers is not None and items is not None:
            numbers = {f.cleaned_data.get("number", "").strip().lower() for f in items}
            for form in providers:
                number = form.cleaned_data.get("agenda_item", "").strip()
                if number and number.lower() not in numbers:
                    form.add_error(
                        "agenda_item",
                        f"This meeting has no agenda item {number}: give the number of an "
                        "item on its agenda (e.g. 4), or leave it blank.",
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
        for form, message in self.reached_by_errors(forms):
            form.add_error("reached_by", message)
        return cleaned_data

    def reached_by_errors(self, forms):
        """A board step must say its advice was reached as the published minutes record the
        decision of the same reference on this proposal (a recorded vote there is a recorded
        vote here); a minute that does not say how it was reached is not contradicted."""
        if self.instance.pk is None:
            return []
        errors = []
        for form in forms:
            data = form.cleaned_data
            reference = (data.get("minute_reference") or "").strip()
            said = data.get("reached_by")
            if data.get("kind") != "board" or not (reference and said):
                continue
            # The proposal's own decisions (Decision.proposal's reverse relation).
            minuted = (
                self.instance.decisions.filter(reference=reference)
                .exclude(reached_by="")
                .values_list("reached_by", flat=True)
                .first()
            )
            if minuted is not None and minuted != said:
                label = AdviceReached(minuted).label.lower()
                errors.append(
                    (
                        form,
                        f"The minutes record decision {reference} as reached {label}: say the "
                        "same here, or correct the minutes.",
                    )
                )
        return errors


RECORDED_VOTE = "recorded_vote"  # papers.choices.AdviceReached.RECORDED_VOTE


def _live_forms(formset):
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def recorded_vote_errors(decision_forms, vote_forms):
    """(form, field, message) for recorded votes that do not fit the minutes' decisions: a vote
    naming no decision, or one not reached on a recorded vote; a member voting twice on one
    decision; a decision said to be reached on a recorded vote with no votes recorded."""
    decisions = {}
    errors = []
    for form in decision_forms:
        reference = (form.cleaned_data.get("reference") or "").strip()
        if reference in decisions:
            errors.append(
                (
                    form,
                    "reference",
                    f"Another decision in these minutes has the reference \u2018{reference}\u2019:"
                    " give each decision its own, so votes can name it.",
                )
            )
        decisions.setdefault(reference, form.cleaned_data.get("reached_by"))
    voted, seen = set(), set()
    for form in vote_forms:
        reference = (form.cleaned_data.get("decision_reference") or "").strip()
        member = form.cleaned_data.get("member")
        if reference not in decisions:
            errors.append(
                (
                    form,
                    "decision_reference",
                    f"No decision in these minutes has the reference \u2018{reference}\u2019: "
                    "give the minute reference of the decision voted on.",
                )
            )
            continue
        voted.add(reference)
        if decisions[reference] != RECORDED_VOTE:
            errors.append(
                (
                    form,
                    "decision_reference",
                    f"Decision {reference} is not recorded as reached on a recorded vote: set "
                    "its \u2018how the decision was reached\u2019 to \u2018On a recorded "
                    "vote\u2019, or remove this vote.",
                )
            )
        if member is not None:
            if (reference, member.pk) in seen:
                errors.append(
                    (
                        form,
                        "member",
                        f"{member}\u2019s vote on {reference} is recorded twice: "
                        "remove one of the two.",
                    )
                )
            seen.add((reference, member.pk))
    for form in decision_forms:
        reference = (form.cleaned_data.get("reference") or "").strip()
        if form.cleaned_data.get("reached_by") == RECORDED_VOTE and reference not in voted:
            errors.append(
                (
                    form,
                    "reached_by",
                    f"Decision {reference} was reached on a recorded vote: record each "
                    "member's vote under Recorded votes, or say how else it was reached.",
                )
            )
    return errors


class MinutesPageForm(BoardPageForm):
    """Recorded votes name a decision of these minutes reached on a recorded vote, once per
    member (papers.models.votes)."""

    def clean(self):
        cleaned_data = super().clean()
        decisions, votes = self.formsets.get("decisions"), self.formsets.get("recorded_votes")
        if decisions is None or votes is None:
            return cleaned_data
        if not (decisions.is_valid() and votes.is_valid()):
            return cleaned_data  # each row's own errors come first
        for form, field_name, message in recorded_vote_errors(
            _live_forms(decisions), _live_forms(votes)
        ):
            form.add_error(field_name, message)
        return cleaned_data


def _kept(formset):
    """The forms of a valid inline formset that are kept (filled in, not marked deleted)."""
    if formset is None or not formset.is_valid():
        return None
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def delivery_errors(deliveries, reviews, contracts):
    """(form, field, message) for readings of social value delivered that name no review on
    the page, a commitment of a proposal that awarded none of its contracts, or repeat one."""
    review_dates = {f.cleaned_data.get("date") for f in reviews}
    awarding = {
        f.cleaned_data["awarded_by"].pk for f in contracts if f.cleaned_data.get("awarded_by")
    }
    seen = set()
    errors = []
    for form in deliveries:
        day, commitment = form.cleaned_data.get("review_date"), form.cleaned_data.get("commitment")
        if day is not None and day not in review_dates:
            errors.append(
                (
                    form,
                    "review_date",
                    f"No contract review on this page is dated {_day(day)}: add the review "
                    "first, or correct the date.",
                )
            )
        if commitment is not None and commitment.proposal_id not in awarding:
            errors.append(
                (
                    form,
                    "commitment",
                    f"This is a commitment of \u2018{commitment.proposal.title}\u2019, which "
                    "awarded none of this provider's contracts: set \u2018awarded by "
                    "proposal\u2019 on the contract, or choose another commitment.",
                )
            )
        if day is not None and commitment is not None:
            if (day, commitment.pk) in seen:
                errors.append(
                    (
                        form,
                        "commitment",
                        "This commitment already has a reading at this review (above).",
                    )
                )
            seen.add((day, commitment.pk))
    return errors


class ProviderPageForm(BoardPageForm):
    """Each reading of social value delivered belongs to a review on the page and to a
    commitment of the proposal that awarded one of the page's contracts."""

    def clean(self):
        cleaned_data = super().clean()
        kept = {
            name: _kept(self.formsets.get(name))
            for name in ("social_value_deliveries", "reviews", "contracts")
        }
        if None in kept.values():
            return cleaned_data  # each row's own errors come first
        for form, field_name, message in delivery_errors(
            kept["social_value_deliveries"], kept["reviews"], kept["contracts"]
        ):
            form.add_error(field_name, message)
        return cleaned_data
