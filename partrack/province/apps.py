from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvinceConfig(AppConfig):
    name = "partrack.province"
    label = "province"
    verbose_name = _("Nhiệm vụ các cơ quan")

    def ready(self):
        # Reporting asks for the requests' "Cần làm" items and reminders; it never imports us.
        from partrack.province import requests
        from partrack.reporting import sections

        sections.register("todo", requests.request_todo)
        sections.register("reminders", requests.request_reminders)

    def extend_demo(self, *, plan, people, units, extensions):
        """Called by the demo (plans.demo.load_demo): one request, answered late by the seed.
        Only when asked (`partrack demo` does): its answers are files, and the tests' demo
        counts on a MEDIA_ROOT holding none."""
        if extensions:
            from partrack.province.request_demo import load_request_demo

            load_request_demo(plan=plan, people=people)
