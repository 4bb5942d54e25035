"""Who may see and write the registers and figures: one helper per object type.

A plan of another agency does not exist for the person asking (404). Inside the agency everyone
reads; the office writes for any unit, a unit's member for their own unit only (Membership).
"""

from django.http import Http404

from partrack.activities.models import Activity, FigureImport, Initiative, LegalDocument
from partrack.org.models import Membership
from partrack.plans.access import get_plan_for
from partrack.plans.models import Plan

REGISTER_MODELS = {"activity": Activity, "initiative": Initiative, "document": LegalDocument}


def get_plan_registers_for(user, plan_id):
    """(plan, membership or None) if the person may read the plan's registers; 404 otherwise."""
    return get_plan_for(user, plan_id), Membership.of(user)


def get_record_for(user, kind, record_id):
    """(record, may_write) for an activity, initiative or document of a plan the person reads."""
    model = REGISTER_MODELS[kind]
    record = (
        model.objects.select_related("plan__agency", "unit", "task")
        .filter(pk=record_id, plan__in=Plan.objects.readable_by(user))
        .first()
    )
    if record is None:
        raise Http404("No such record")
    return record, may_record(Membership.of(user), record.plan, record.unit_id)


def may_record(membership, plan, unit_id):
    """Whether the person writes for `unit_id` in `plan` (never in an archived plan)."""
    if membership is None or plan.is_archived:
        return False
    return membership.records_for(plan.agency_id, unit_id)


def units_writable(membership, plan):
    """The units the person may record for in the plan's agency (the office: every unit)."""
    if membership is None or plan.is_archived or membership.agency_id != plan.agency_id:
        return []
    units = list(plan.agency.units.all())
    return [unit for unit in units if membership.records_for(plan.agency_id, unit.pk)]


def reads_drafts(membership, plan):
    return membership is not None and membership.reads_drafts_of(plan.agency_id)


def get_figure_import_for(user, import_id):
    """A figures sheet awaiting confirmation: only its uploader sees it; 404 for anyone else."""
    staged = (
        FigureImport.objects.select_related("period__plan__agency", "unit")
        .filter(pk=import_id, uploaded_by=user)
        .first()
    )
    if staged is None:
        raise Http404("No such import")
    return staged


def visible_figures(figures, membership, plan):
    """The figures a person may read: all for the agency's people; reviewed ones above it."""
    if reads_drafts(membership, plan):
        return figures
    return [(indicator, f if f and f.reviewed_at else None) for indicator, f in figures]
