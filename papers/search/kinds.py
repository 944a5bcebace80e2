"""The kinds of thing search finds, and where each keeps its date, stage, area and committee."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Kind:
    key: str
    singular: str
    plural: str
    model_label: str  # app_label.ModelName
    # Reverse one-to-one name from Page to the page type's table (None for decisions).
    join: str | None = None
    date_field: str = "paper_date"
    has_stage: bool = False
    has_proposal_fields: bool = False

    @property
    def model(self):
        return apps.get_model(self.model_label)


KINDS = {
    kind.key: kind
    for kind in [
        Kind("proposal", "Proposal", "Proposals", "papers.ProposalPage", "proposalpage",
             has_stage=True, has_proposal_fields=True),
        Kind("decision", "Decision", "Decisions", "papers.Decision"),
        Kind("minutes", "Minutes", "Minutes", "papers.MinutesPage", "minutespage"),
        Kind("meeting", "Meeting", "Meetings", "papers.MeetingPage", "meetingpage",
             date_field="start"),
        Kind("provider", "Provider", "Providers", "papers.ProviderProfilePage",
             "providerprofilepage"),
        Kind("training", "Training module", "Training", "papers.TrainingModulePage",
             "trainingmodulepage", has_stage=True),
        Kind("page", "Page", "Other pages", "home.StandardPage", "standardpage"),
    ]
}  # fmt: skip

PAGE_KINDS = [kind for kind in KINDS.values() if kind.join]


def kind_by_content_type():
    """{content_type_id: Kind} for the page kinds (cached by Django's ContentType cache)."""
    models = [kind.model for kind in PAGE_KINDS]
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    by_model = {kind.model: kind for kind in PAGE_KINDS}
    return {ct.pk: by_model[model] for model, ct in content_types.items()}
