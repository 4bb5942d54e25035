"""Who may see and do what on reporting periods and unit reports: one helper per object type."""

from dataclasses import dataclass

from django.http import Http404

from partrack.org.models import Membership, Role
from partrack.plans.models import Plan, ReportingPeriod
from partrack.reporting.models import UnitReport


@dataclass(frozen=True)
class ReportAccess:
    can_write: bool = False  # the unit's own people: start, edit, submit
    can_review: bool = False  # the office: return or accept
    # What the unit wrote: its agency's people always; people above it (the province) once it
    # was sent and is not back with the unit (submitted or accepted). The status they always see.
    reads_content: bool = True


def get_period_for(user, period_id):
    """The period if the person may read its plan; 404 otherwise."""
    period = (
        ReportingPeriod.objects.select_related("plan__agency")
        .filter(pk=period_id, plan__in=Plan.objects.readable_by(user))
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
    access = report_access(Membership.of(user), period, unit)
    if report is not None and not reads_drafts(user, period.plan.agency_id):
        sent = report.status in (UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED)
        access = ReportAccess(reads_content=sent)
    return period, unit, report, access


def reads_drafts(user, agency_id):
    """Whether the person reads the agency's work before it is sent or issued: its own people,
    and the deployment's superuser; never the province above it (docs/domain.md, "Roles")."""
    if user.is_authenticated and user.is_superuser and user.is_active:
        return True
    membership = Membership.of(user)
    return membership is not None and membership.reads_drafts_of(agency_id)


def report_access(membership, period, unit):
    if membership is None or not membership.writes_agency_work(period.plan.agency_id):
        return ReportAccess()
    writes = membership.unit_id == unit.pk and membership.role in (Role.MEMBER, Role.COORDINATOR)
    return ReportAccess(can_write=writes, can_review=membership.role == Role.COORDINATOR)


def get_consolidated_report_for(user, period_id):
    """(period, report or None, can_edit) if the person may read the period; 404 otherwise.

    People above the agency get the report only once it is issued (approved by the agency's
    leaders, numbered and dated), and then read its issued files only (issued_files_for).
    """
    period = get_period_for(user, period_id)
    report = period.consolidated_reports.first()
    outsider = report is not None and not reads_drafts(user, period.plan.agency_id)
    if outsider and not report.is_issued:
        report = None
    return period, report, Membership.coordinates(user, period.plan.agency_id)


def issued_files_for(user, report):
    """The report's files the person may download: all for the agency's people, the issued
    versions for people above it."""
    files = report.files.all()
    if not reads_drafts(user, report.period.plan.agency_id):
        files = files.filter(issued=True)
    return files


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
