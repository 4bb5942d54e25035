from django import template

from partrack.indices.criteria_io import fmt

register = template.Library()


@register.filter
def points(value):
    """A score as Vietnamese documents write it: 2,5 — and a dash when not scored."""
    return "—" if value is None or value == "" else fmt(value)


@register.filter
def percent(share):
    return f"{share * 100:.0f}%".replace(".", ",")


@register.filter
def points_input(value):
    """A score as an input's value: empty when not scored."""
    return "" if value is None else fmt(value)
