from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        required=False, help_text="Shown instead of the document's own title, if given."
    )

    class Meta:
        icon = "doc-full"
        template = "papers/blocks/attachment.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="papers/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    quote = blocks.BlockQuoteBlock()


class OptionBlock(blocks.StructBlock):
    """One option in an options appraisal."""

    name = blocks.CharBlock(help_text="e.g. 'Option 2: re-tender in three lots'.")
    description = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    advantages = blocks.TextBlock(required=False)
    disadvantages = blocks.TextBlock(required=False)
    estimated_cost = blocks.CharBlock(required=False, help_text="e.g. '£4.2m a year'.")
    recommended = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "list-ul"
        template = "papers/blocks/option.html"


class LearningOutcomeBlock(blocks.CharBlock):
    class Meta:
        icon = "tick"
