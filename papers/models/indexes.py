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
        # look-ups, so a page of the listing costs the same with 100 papers or 10,000. Built
        # once a request (an index may narrow it twice): building and compiling the visibility
        # test costs more than the database takes to run it.
        cached = getattr(self, "_listed_pages", None)
        if cached is None or cached[0] is not request:
            children = visible_children(request.user, self, self.child_model.objects.all())
            cached = (request, children.order_by(*self.ordering, "-pk"))
            self._listed_pages = cached
        return cached[1]

    def paginated_pages(self, request):
        """What the paginated list shows; an index may narrow it (e.g. past meetings)."""
        return self.listed_pages(request)

    def counted_pages(self, request):
        """The same pages as ``paginated_pages``, to count: on Wagtail's page table alone, as
        every test of a child's visibility reads only that table. Counting through the child
        model joined its own table to every page for nothing (half the count's time with
        10,000 papers). An index that narrows its listing by its child's own fields counts the
        listing itself."""
        if type(self).paginated_pages is not SectionIndexPage.paginated_pages:
            return self.paginated_pages(request)
        return visible_children(request.user, self, Page.objects.type(self.child_model))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listed = self.paginated_pages(request)
        # The query that picks the page's ids tests visibility; the page's rows are then read by
        # those ids alone, in the listing's order, not through the whole test a second time.
        paginator = ListingPaginator(
            listed,
            PAGE_SIZE,
            rows=lambda ids: self.child_model.objects.filter(pk__in=ids).order_by(
                *listed.query.order_by
            ),
            counted=self.counted_pages(request),
        )
        context["listing"] = paginator.get_page(request.GET.get("page"))
        return context
