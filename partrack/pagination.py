"""Lists a page at a time: every list page shows PARTRACK_PAGE_SIZE rows."""

from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, param="page"):
    """The page of `queryset` the request asks for in `param`; the last one past the end."""
    return Paginator(queryset, settings.PARTRACK_PAGE_SIZE).get_page(request.GET.get(param))
