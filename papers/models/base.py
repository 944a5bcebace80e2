"""BoardPage: what every page of the board's content shares."""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import AttachmentBlock, BodyBlock
from ..choices import Audience, ExemptParagraph
from ..confidentiality import attachment_errors, readers_may_open
from ..page_forms import BoardPageForm
from ..plain_text import one_line
from ..preview import PREVIEW_MODES, preview_as
from ..review_lock import ReviewLockMixin
from ..serializers import VisibleAttachmentsField


class BoardPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "wagtailcore.Page", related_name="board_tagged_items", on_delete=models.CASCADE
    )


class BoardPage(ReviewLockMixin, Page):
    """Abstract base for board content: reference, date, audience, tags, attachments."""

    base_form_class = BoardPageForm

    reference = models.CharField(
        max_length=40,
        blank=True,
        help_text="The board's own reference for this paper, e.g. CAB/2025/014.",
    )
    paper_date = models.DateField(
        "date", null=True, blank=True, help_text="The date the paper is dated or was published."
    )
    summary = models.TextField(
        blank=True,
        help_text="Two or three plain sentences. Shown in listings, search results and feeds.",
    )
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)
    audience = models.CharField(
        max_length=10,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text=(
            "Who may read this page. Making it more restricted takes effect when you save; "
            "making it less restricted only when the Chair approves and it is published."
        ),
    )
    exempt_paragraph = models.CharField(
        "Schedule 12A paragraph",
        max_length=2,
        choices=ExemptParagraph.choices,
        blank=True,
        help_text="Required for board-only papers: the paragraph of Schedule 12A that makes it exempt.",
    )
    attachments = StreamField(
        [("attachment", AttachmentBlock())],
        blank=True,
        use_json_field=True,
        help_text="Reports, appendices and spreadsheets. Board-only papers must use board-only documents.",
    )
    tags = ClusterTaggableManager(through=BoardPageTag, blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("reference", boost=10),
        index.AutocompleteField("reference"),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("audience"),
        index.FilterField("paper_date"),
        # Words inside attached PDF and Word files (papers.search.extraction fills the text).
        index.SearchField("attachment_text"),
    ]
    # Relations the text of ``search_fields`` reads, fetched once for a page of search
    # results rather than once per result (papers.search.display).
    search_text_relations = ()

    # Read-only API (/api/v2/): what every board page shares.
    api_fields = [
        APIField("reference"),
        APIField("paper_date"),
        APIField("summary"),
        APIField("audience"),
        APIField("exempt_paragraph"),
        APIField("tags"),
        APIField("body"),
        APIField("attachments", serializer=VisibleAttachmentsField()),
        APIField("last_published_at"),
    ]

    body_panels = [FieldPanel("summary"), FieldPanel("body")]
    confidentiality_panels = [
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("exempt_paragraph")],
            heading="Who can read this",
        ),
    ]
    attachment_panels = [FieldPanel("attachments")]
    record_panels = [FieldPanel("reference"), FieldPanel("paper_date"), FieldPanel("tags")]

    class Meta:
        abstract = True

    # The Chair's review: preview as the public, a councillor or a board member (papers.preview).
    preview_modes = PREVIEW_MODES

    def serve_preview(self, request, mode_name):
        return preview_as(self, request, mode_name, super().serve_preview)

    @classmethod
    def board_edit_handler(cls, content_panels):
        """Tabs an officer recognises: content, attachments, confidentiality, promote, settings."""
        return TabbedInterface(
            [
                ObjectList(content_panels, heading="Content"),
                ObjectList(cls.attachment_panels, heading="Attachments"),
                ObjectList(cls.confidentiality_panels, heading="Confidentiality"),
                ObjectList(cls.promote_panels, heading="Promote"),
                ObjectList(cls.settings_panels, heading="Settings"),
            ]
        )

    def clean(self):
        super().clean()
        if self.audience == Audience.BOARD and not self.exempt_paragraph:
            raise ValidationError(
                {
                    "exempt_paragraph": "Choose the Schedule 12A paragraph that makes a board-only paper exempt."
                }
            )
        if self.audience != Audience.BOARD and self.exempt_paragraph:
            raise ValidationError(
                {
                    "exempt_paragraph": "Only board-only papers are exempt. Clear the paragraph or change who can read this."
                }
            )
        # Documents must be at least as restricted as the page (papers.confidentiality).
        errors = attachment_errors(self)
        if errors:
            raise ValidationError(errors)

    def get_admin_display_title(self):
        # One line whatever is stored: Wagtail puts this title in the Chair's notification
        # subject, and Django refuses (so the email is silently not sent) a subject with a
        # line break in it.
        return one_line(super().get_admin_display_title())

    @property
    def is_exempt(self):
        return self.audience == Audience.BOARD

    def attached_documents(self):
        """The documents attached to this page, in order, without repeats."""
        documents = []
        for block in self.attachments:
            document = block.value.get("document") if block.block_type == "attachment" else None
            if document is not None and document not in documents:
                documents.append(document)
        return documents

    def attachment_text(self):
        """Text of the attached documents, indexed with the page so search finds it.

        A public page never carries text from a restricted collection into the index, even
        if such a document were attached (papers.confidentiality refuses that on save).
        """
        texts = []
        for document in self.attached_documents():
            if not getattr(document, "extracted_text", ""):
                continue
            # Only text every reader of this page may open (a members' page may attach a
            # board document, but its words must not make the page findable by councillors).
            if not readers_may_open(self, document):
                continue
            texts.append(document.extracted_text)
        return "\n\n".join(texts)
