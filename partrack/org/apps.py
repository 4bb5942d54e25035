from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "partrack.org"
    label = "org"
    verbose_name = _("Tổ chức")

    def ready(self):
        from django.db.models.signals import post_migrate

        from partrack.org import guards

        post_migrate.connect(guards.install_after_migrate, sender=self)
        # Registers the system check that fails `partrack check` when the database is away.
        from partrack import health  # noqa: F401
