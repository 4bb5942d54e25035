from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "partrack.inspections"
    label = "inspections"
    verbose_name = _("Kiểm tra CCHC")

    def ready(self):
        # Reporting and the demo ask for what inspections add; they never import this app.
        from partrack.inspections import hooks

        hooks.register()

    def extend_demo(self, *, plan, people, units, extensions):
        """The demo's 2026 inspection, with its follow-up tasks (only when asked: it adds tasks)."""
        if extensions:
            from partrack.inspections.demo import load_inspection_demo

            load_inspection_demo(plan=plan, people=people, units=units)
