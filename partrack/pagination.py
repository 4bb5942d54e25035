"""Lists a page at a time: every list page shows PARTRACK_PAGE_SIZE rows."""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts the rows only up to `cap`: past it the list says "more than cap" and its pages
    stop there (the rest is reached by sorting the other way or filtering).

    Counting every match of a country's 152,000 tasks is most of a page's time; counting to
    the cap stops as soon as it is reached. Below the cap the count is exact.
    """

    def __init__(self, object_list, per_page, *, cap):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def counted(self):
        # COUNT(*) over a LIMIT subquery, unordered: the database stops at cap + 1 rows
        # instead of sorting every match first.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, self.cap)

    @property
    def capped(self):
        return self.counted > self.cap


def paginate(request, queryset, param="page", *, cap=None):
    """The page of `queryset` the request asks for in `param`; the last one past the end.
    With `cap`, rows are counted only up to it (CappedPaginator)."""
    size = settings.PARTRACK_PAGE_SIZE
    paginator = (
        Paginator(queryset, size) if cap is None else CappedPaginator(queryset, size, cap=cap)
    )
    return paginator.get_page(request.GET.get(param))
