"""What the inspection asks of a person, for their "Cần làm" (reporting.todo asks for it)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from partrack.inspections.models import InspectedUnit, Inspection, UnitSubmission
from partrack.org.models import Role
from partrack.plans.models import Plan
from partrack.reporting.todo import TodoItem


def inspection_todo(membership, today):
    """The unit's report or self-inspection to send, minutes to write or sign, reports to
    review; only for issued inspections of active plans. Four queries at most."""
    if membership is None:
        return []
    inspections = {
        i.pk: i
        for i in Inspection.objects.filter(
            plan__agency_id=membership.agency_id,
            plan__status=Plan.Status.ACTIVE,
            issued_at__isnull=False,
        ).select_related("plan")
    }
    if not inspections:
        return []
    items = []
    unit = membership.unit
    if unit is not None and membership.role in (Role.MEMBER, Role.COORDINATOR):
        items += _unit_items(inspections, unit, today)
    items += _minutes_items(inspections, membership, today)
    if membership.role == Role.COORDINATOR:
        waiting = UnitSubmission.objects.filter(
            inspection__in=list(inspections), status=UnitSubmission.Status.SUBMITTED
        ).select_related("unit")
        for submission in waiting:
            inspection = inspections[submission.inspection_id]
            items.append(
                TodoItem(
                    due=inspection.self_inspection_due,
                    title=_("Xem xét %(kind)s của %(unit)s")
                    % {"kind": submission.get_kind_display().lower(), "unit": submission.unit},
                    detail=_("Đơn vị đã gửi, chờ Văn phòng chấp nhận hoặc trả lại."),
                    url=submission.get_absolute_url(),
                    overdue=False,
                    rank=0,
                )
            )
    return items


def _unit_items(inspections, unit, today):
    if unit.is_coordinator or unit.kind == "office":
        return []
    ids = list(inspections)
    visits = {
        v.inspection_id: v for v in InspectedUnit.objects.filter(inspection__in=ids, unit=unit)
    }
    sent = {
        s.inspection_id: s for s in UnitSubmission.objects.filter(inspection__in=ids, unit=unit)
    }
    items = []
    for inspection in inspections.values():
        submission = sent.get(inspection.pk)
        if submission is not None and not submission.is_editable:
            continue
        year = inspection.plan.year
        if inspection.pk in visits:
            due = visits[inspection.pk].visit_on
            title = _("Báo cáo theo nội dung kiểm tra CCHC năm %(year)s") % {"year": year}
        else:
            due = inspection.self_inspection_due
            title = _("Tự kiểm tra CCHC năm %(year)s") % {"year": year}
        if submission is not None and submission.status == UnitSubmission.Status.RETURNED:
            title = _("Sửa và gửi lại: %(title)s") % {"title": title}
        items.append(
            TodoItem(
                due=due,
                title=title,
                detail=(submission and submission.review_comment) or _("Gửi Văn phòng Sở."),
                url=reverse("inspection_unit_report", args=[inspection.pk, unit.pk]),
                overdue=due is not None and due < today,
                rank=0,
            )
        )
    return items


def _minutes_items(inspections, membership, today):
    """Minutes a team member is assigned to write, and those the team leader must sign."""
    user_id = membership.user_id
    open_minutes = (
        InspectedUnit.objects.filter(inspection__in=list(inspections), minutes_signed_at=None)
        .filter(
            Q(assignees=user_id)
            | Q(inspection__team__user_id=user_id, inspection__team__is_leader=True)
        )
        .select_related("unit")
        .distinct()
    )
    return [
        TodoItem(
            due=visit.visit_on,
            title=_("Biên bản kiểm tra tại %(unit)s") % {"unit": visit.unit.name},
            detail=_("Ghi biên bản theo từng nội dung; Trưởng đoàn ký khi đã đánh giá đủ."),
            url=visit.get_absolute_url(),
            overdue=visit.visit_on is not None and visit.visit_on < today,
        )
        for visit in open_minutes
    ]
