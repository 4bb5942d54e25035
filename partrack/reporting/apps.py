from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "partrack.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo")

    def extend_demo(self, *, plan, people, units, extensions):
        """Called by the demo (plans.demo.load_demo): Sở KH&CN's Quý I report issued, signed
        with the demo's test certificate and received by Sở Nội vụ. Only when asked (`partrack
        demo` does): its files, and the certificate under var/, are the full demo's."""
        if extensions:
            from partrack.reporting.demo import load_chain_demo

            load_chain_demo(plan=plan, people=people)

    def ready(self):
        from django.db.models.signals import post_save

        from partrack import signatures  # noqa: F401 - registers its deployment check
        from partrack.plans.models import ProgressUpdate

        # plans may not import reporting (the arrow points one way), so reporting listens.
        post_save.connect(
            on_progress_saved, sender=ProgressUpdate, dispatch_uid="change_after_acceptance"
        )


def on_progress_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from partrack.reporting.services import mark_change_after_acceptance

        mark_change_after_acceptance(update=instance)
