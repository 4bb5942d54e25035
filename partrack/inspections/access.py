"""Who may see and do what in an inspection: one helper per object type.

Another agency's inspection does not exist for the person asking (404). Inside the agency the
office plans and runs it, team members write the minutes of the units they are assigned to
and the team leader signs them off, a unit sees its own part, leaders read everything.
"""

from dataclasses import dataclass

from django.http import Http404

from partrack.inspections.models import Inspection, TeamMember, UnitSubmission
from partrack.org.models import Membership, Role
from partrack.plans.models import Plan


@dataclass(frozen=True)
class InspectionAccess:
    can_manage: bool = False  # the office: plan, select, schedule, issue, conclude, review
    reads_all: bool = False  # every unit's part: leaders, the office, the team, people above
    own_unit_id: int | None = None  # a unit's member sees this unit's part
    seat: TeamMember | None = None  # the person's seat in the team, if any

    @property
    def is_team_leader(self):
        return self.seat is not None and self.seat.is_leader

    def sees(self, unit_id):
        return self.reads_all or unit_id == self.own_unit_id

    def can_write_minutes(self, inspected):
        """The team leader, or a member assigned to the unit; never once signed off."""
        if self.seat is None or inspected.minutes_signed:
            return False
        if self.seat.is_leader:
            return True
        return self.seat.user_id in {user.pk for user in inspected.assignees.all()}


def get_plan_inspection_for(user, plan):
    """(inspection or None, access) for a plan the person may already read."""
    inspection = Inspection.objects.for_page().filter(plan=plan).first()
    return inspection, inspection_access(user, plan.agency_id, inspection)


def get_inspection_for(user, inspection_id):
    """(inspection, access) if the person may read the inspection's agency; 404 otherwise."""
    inspection = (
        Inspection.objects.for_page()
        .filter(pk=inspection_id, plan__in=Plan.objects.readable_by(user))
        .first()
    )
    if inspection is None:
        raise Http404("No such inspection")
    return inspection, inspection_access(user, inspection.plan.agency_id, inspection)


def inspection_access(user, agency_id, inspection):
    membership = Membership.of(user)
    if membership is None:
        return InspectionAccess()
    seat = None
    if inspection is not None and membership.agency_id == agency_id:
        seat = inspection.team.filter(user=user).first()
    return InspectionAccess(
        can_manage=Membership.coordinates(user, agency_id),
        reads_all=membership.oversees(agency_id) or seat is not None,
        own_unit_id=membership.unit_id if membership.role == Role.MEMBER else None,
        seat=seat,
    )


def get_inspected_unit_for(user, inspection_id, unit_id):
    """(inspection, inspected unit, access) if the person may see that unit's part; else 404."""
    inspection, access = get_inspection_for(user, inspection_id)
    if not access.sees(unit_id):
        raise Http404("No such inspected unit")
    inspected = inspection.inspected_units.for_listing().filter(unit_id=unit_id).first()
    if inspected is None:
        raise Http404("No such inspected unit")
    return inspection, inspected, access


@dataclass(frozen=True)
class SubmissionAccess:
    can_write: bool = False  # the unit's own people: start, edit, submit
    can_review: bool = False  # the office: return or accept


def get_unit_submission_for(user, inspection_id, unit_id):
    """(inspection, unit, submission or None, access, SubmissionAccess) for a unit the person
    may see; 404 otherwise."""
    inspection, access = get_inspection_for(user, inspection_id)
    unit = inspection.plan.agency.units.filter(pk=unit_id).first()
    if unit is None or not access.sees(unit.pk):
        raise Http404("No such unit")
    submission = UnitSubmission.objects.for_board().filter(inspection=inspection, unit=unit).first()
    membership = Membership.of(user)
    writes = (
        membership is not None
        and membership.agency_id == inspection.plan.agency_id
        and membership.unit_id == unit.pk
        and membership.role in (Role.MEMBER, Role.COORDINATOR)
    )
    unsent = (UnitSubmission.Status.DRAFT, UnitSubmission.Status.RETURNED)
    if submission is not None and submission.status in unsent:
        reads_drafts = user.is_superuser or (
            membership is not None and membership.reads_drafts_of(inspection.plan.agency_id)
        )
        if not reads_drafts:
            submission = None  # the province reads a unit's submission once it is sent
    return inspection, unit, submission, access, SubmissionAccess(writes, access.can_manage)
