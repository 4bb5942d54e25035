"""Links to objects listed by the dozen: one full reverse() per URL name, not one per row.

reverse() walks the URL patterns each time (about 40 µs); a task list, the overview or an API
page builds a link per row. `object_url(name, pk)` reverses the name once with a stand-in id,
keeps the text around it and puts each row's id in its place: the same URL, a string join.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

STAND_IN = 987654321


@lru_cache(maxsize=128)
def _around(name, urlconf, prefix):
    """(before, after) the id in the URL named `name`, without the script prefix."""
    url = reverse(name, args=[STAND_IN], urlconf=urlconf)
    before, after = url.removeprefix(prefix).split(str(STAND_IN))
    return before, after


def object_url(name, pk):
    """reverse(name, args=[pk]) for a URL whose only argument is an object's integer id."""
    prefix = get_script_prefix()
    before, after = _around(name, get_urlconf(), prefix)
    return f"{prefix}{before}{int(pk)}{after}"


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _around.cache_clear()
