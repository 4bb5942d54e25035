from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CascadeConfig(AppConfig):
    """The province's plan carried out by its agencies: links, roll-up, the province report."""

    name = "partrack.cascade"
    label = "cascade"
    verbose_name = _("Kế hoạch của tỉnh")

    def ready(self):
        from partrack.cascade.services import province_task_link
        from partrack.plans.links import TASK_LINK_PROVIDERS

        if province_task_link not in TASK_LINK_PROVIDERS:
            TASK_LINK_PROVIDERS.append(province_task_link)

    def extend_demo(self, *, plan, people, units, extensions):
        # Like the inspection's, only in the full demo (`partrack demo`): the links write lines
        # in the seed tasks' history that the base demo's tests do not expect.
        if extensions:
            from partrack.cascade.demo import province_plan_demo

            province_plan_demo(plan=plan, people=people)
