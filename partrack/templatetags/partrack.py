"""Filters every page uses: dates as dd/mm/yyyy, states as coloured badges."""

from django import template
from django.utils.html import format_html

from partrack.plans.models import State

register = template.Library()

STATE_COLOURS = {
    State.OVERDUE: "danger",
    State.DUE_SOON: "warning",
    State.IN_PROGRESS: "primary",
    State.NOT_STARTED: "secondary",
    State.ON_REQUEST: "info",
    State.UNDATED: "light",
    State.DONE_ON_TIME: "success",
    State.DONE_LATE: "success",
    State.CANNOT_DO: "dark",
}


@register.filter
def dmy(value):
    """A date as dd/mm/yyyy, the way Vietnamese documents write it."""
    if not value:
        return ""
    return value.strftime("%d/%m/%Y")


@register.filter
def state_badge(code):
    state = State(code)
    colour = STATE_COLOURS[state]
    text = "text-dark" if colour in ("warning", "light", "info") else ""
    return format_html(
        '<span class="badge text-bg-{} {} state-{}">{}</span>',
        colour,
        text,
        state.value,
        state.label,
    )


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0


@register.simple_tag(takes_context=True)
def page_url(context, number, param="page"):
    """The current URL's query string with one page parameter changed (filters kept)."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()


@register.filter
def person(user):
    """A person's name in Vietnamese order, family name first: "Trần Văn Minh"."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.username
