"""Saving a plan read from a document: the web import and `partrack import_plan` both come here."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack.org.models import Agency
from partrack.plans import services
from partrack.plans.models import Plan, PlanEvent
from partrack.plans.plan_data import PlanData


class SameYearPlan(Exception):
    """The agency already follows a plan of that year: revise it, or say why a second one."""

    def __init__(self, plan):
        super().__init__(f"plan {plan.pk} of {plan.year}")
        self.plan = plan


def same_year_plan(*, agency, year):
    """The agency's current plan of that year, if any."""
    return Plan.objects.same_year_as(agency=agency, year=year).first()


@transaction.atomic
def import_new_plan(*, agency, data, by, filename="", second_plan_reason="", now=None):
    """Save a new plan read from a document (``data``: PlanData or its dict); returns (plan,
    unmatched lead names).

    One plan per agency and year: when a current plan of that year exists, the import is refused
    (SameYearPlan) unless a reason for a second plan is given; the reason is kept in the new
    plan's history.
    """
    now = now or timezone.now()
    # Holding the agency's row makes two imports of the same year take turns.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    data = PlanData.of(data)
    existing = same_year_plan(agency=agency, year=data.head.year)
    reason = second_plan_reason.strip()
    if existing is not None and not reason:
        raise SameYearPlan(existing)
    plan, unmatched = services.create_plan(agency=agency, data=data)
    lines = [_("Nhập từ tệp %(name)s.") % {"name": filename} if filename else _("Nhập kế hoạch.")]
    if existing is not None:
        lines.append(
            _("Tạo thêm bên cạnh kế hoạch “%(title)s” cùng năm %(year)s. Lý do: %(reason)s")
            % {"title": existing.title, "year": existing.year, "reason": reason}
        )
    PlanEvent.objects.create(
        plan=plan,
        author=by,
        kind=PlanEvent.Kind.CREATED,
        narrative="\n".join(lines),
        created_at=now,
    )
    return plan, unmatched
