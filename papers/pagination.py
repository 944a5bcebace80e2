"""Pagination whose later pages cost what the first one does.

Django's ``Paginator`` reads page *n* as ``LIMIT size OFFSET (n-1)*size``: the database walks and
throws away every row before the page, so the last page of 10,000 papers costs 500 times the
first. ``ListingPaginator`` reads a page in the back half of the list from the other end (the
ordering reversed, the offset counted from the end), so no page walks more than half the list
and the last pages cost what the first ones do. It picks the page's ids with a narrow query and
then loads those rows in full, so the rows walked are ids and sort keys, never wide rows (bodies,
stream fields) dragged through a sort. The number of rows is counted once for all pages and
readers who see the same rows (``papers.caching.cached_count``).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .caching import cached_count


def first_rows(queryset, limit):
    """The first ``limit`` rows of the ordered ``queryset``, picked by their ids first (as a
    ``ListingPaginator`` page is), then read in full, in the queryset's order."""
    ids = list(queryset.values_list("pk", flat=True)[:limit])
    rows = queryset.order_by().in_bulk(ids) if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


class ListingPaginator(Paginator):
    """A ``Paginator`` over an ordered queryset whose ordering ends in a unique column (the pk),
    so that the reversed ordering is exactly the same list backwards.

    ``rows(ids)`` loads the page's rows, in the listing's order (by default the queryset itself
    narrowed to those ids); a page's ``object_list`` is that queryset. ``counted``, if given,
    holds exactly the same rows and is cheaper to count (e.g. without a join the ordering
    needs).
    """

    def __init__(self, object_list, per_page, rows=None, counted=None, **kwargs):
        if not object_list.ordered:
            raise ValueError("ListingPaginator needs an ordered queryset.")
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows or (lambda ids: self.object_list.filter(pk__in=ids))
        self.counted = object_list if counted is None else counted

    @cached_property
    def count(self):
        return cached_count(self.counted)

    def validate_number(self, number):
        # ``?page=last`` as Django's ListView reads it: a link that stays right as papers arrive.
        return super().validate_number(self.num_pages if number == "last" else number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values_list("pk", flat=True)
        if bottom > self.count - top:
            # Nearer the end: the same rows, read backwards from the last one.
            wanted = list(ids.reverse()[self.count - top : self.count - bottom])
        else:
            wanted = list(ids[bottom:top])
        return self._get_page(self.rows(wanted), number, self)
