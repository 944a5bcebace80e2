"""Section index pages: each lists the pages below it that the reader may see."""

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..conf import get_section_parent_model_string
from ..pagination import ListingPaginator
from ..plain_text import one_line
from ..review_lock import ReviewLockMixin
from ..visibility import visible_children

PAGE_SIZE = 20


class SectionIndexPage(ReviewLockMixin, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    child_model = None  # the page type listed
    # Each section sits under a section parent page (papers.conf; this site's home page).
    parent_page_types = [get_section_parent_model_string()]
    ordering = ("-first_published_at",)
    # Sections appear in the site's navigation (a site's menus list the pages "in menus").
    show_in_menus_default = True

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        abstract = True

    def get_admin_display_title(self):
        # One line whatever is stored (it is an email subject): see BoardPage.
        return one_line(super().get_admin_display_title())

    def listed_pages(self, request):
        # Only the listed rows are tested (papers.visibility.visible_children), each with index
        # look-ups, so a page of the listing costs the same with 100 papers or 10,000.
        children = visible_children(request.user, self, self.child_model.objects.all())
        return children.order_by(*self.ordering, "-pk")

    def paginated_pages(self, request):
        """What the paginated list shows; an index may narrow it (e.g. past meetings)."""
        return self.listed_pages(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = ListingPaginator(self.paginated_pages(request), PAGE_SIZE)
        context["listing"] = paginator.get_page(request.GET.get("page"))
        return context
