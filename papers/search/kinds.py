"""The kinds of thing search finds, and where each keeps its date, stage, area and committee.

A registry: the add-on registers its own page types and decisions here; a site adds its own
page types (``register_kind``) from its ``AppConfig.ready()``, e.g. a standard content page.
The order of registration is the order of the "Type" filter.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Kind:
    key: str
    singular: str
    plural: str
    model_label: str  # app_label.ModelName
    is_page: bool = True
    date_field: str = "paper_date"  # a page without one is dated by its first publication
    has_stage: bool = False
    has_proposal_fields: bool = False

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def join(self):
        """The reverse one-to-one name from Page to the page type's table (None: not a page)."""
        return self.model._meta.model_name if self.is_page else None


KINDS = {}


def register_kind(kind):
    """Make ``kind`` findable by search, with its own option in the "Type" filter."""
    KINDS[kind.key] = kind
    return kind


def page_kinds():
    return [kind for kind in KINDS.values() if kind.is_page]


def kind_by_content_type():
    """{content_type_id: Kind} for the page kinds (cached by Django's ContentType cache)."""
    models = [kind.model for kind in page_kinds()]
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    by_model = {kind.model: kind for kind in page_kinds()}
    return {ct.pk: by_model[model] for model, ct in content_types.items()}


# The add-on's own kinds.
register_kind(Kind("proposal", "Proposal", "Proposals", "papers.ProposalPage", has_stage=True,
                   has_proposal_fields=True))  # fmt: skip
register_kind(Kind("decision", "Decision", "Decisions", "papers.Decision", is_page=False))
register_kind(Kind("minutes", "Minutes", "Minutes", "papers.MinutesPage"))
register_kind(Kind("meeting", "Meeting", "Meetings", "papers.MeetingPage", date_field="start"))
register_kind(Kind("provider", "Provider", "Providers", "papers.ProviderProfilePage"))
register_kind(Kind("training", "Training module", "Training", "papers.TrainingModulePage",
                   has_stage=True))  # fmt: skip
