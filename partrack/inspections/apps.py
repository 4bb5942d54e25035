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
