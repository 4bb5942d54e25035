"""Who may see and do what on reporting periods and unit reports: one helper per object type."""

from dataclasses import dataclass

from django.http import Http404

from partrack.org.models import Agency, Membership, Role
from partrack.plans.models import ReportingPeriod
from partrack.reporting.models import UnitReport


@dataclass(frozen=True)
class ReportAccess:
    can_write: bool = False  # the unit's own people: start, edit, submit
    can_review: bool = False  # the office: return or accept


def get_period_for(user, period_id):
    """The period if the person may read its plan; 404 otherwise."""
    period = (
        ReportingPeriod.objects.select_related("plan__agency")
        .filter(pk=period_id, plan__agency__in=Agency.objects.visible_to(user))
        .first()
    )
    if period is None:
        raise Http404("No such period")
    return period


def get_unit_report_for(user, period_id, unit_id):
    """(period, unit, report or None, ReportAccess) for a unit of the period's agency; else 404."""
    period = get_period_for(user, period_id)
    unit = period.plan.agency.units.filter(pk=unit_id).first()
    if unit is None:
        raise Http404("No such unit")
    report = UnitReport.objects.filter(period=period, unit=unit).first()
    return period, unit, report, report_access(Membership.of(user), period, unit)


def report_access(membership, period, unit):
    if membership is None or membership.agency_id != period.plan.agency_id:
        return ReportAccess()
    writes = membership.unit_id == unit.pk and membership.role in (Role.MEMBER, Role.COORDINATOR)
    return ReportAccess(can_write=writes, can_review=membership.role == Role.COORDINATOR)


def get_consolidated_report_for(user, period_id):
    """(period, report or None, can_edit) if the person may read the period; 404 otherwise."""
    period = get_period_for(user, period_id)
    report = period.consolidated_reports.first()
    return period, report, Membership.coordinates(user, period.plan.agency_id)


def get_delivery_for(user, delivery_id):
    """A report sent to the person's agency inside PARtrack, if they read its inbox; else 404."""
    from partrack.reporting.models import ReportDelivery

    membership = Membership.of(user)
    delivery = (
        ReportDelivery.objects.select_related(
            "report__period__plan__agency", "agency", "unit", "signed", "received_by"
        )
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or membership is None or not membership.reads_inbox_of(delivery.agency_id):
        raise Http404("No such document")
    return delivery, membership
