"""Sở Nội vụ's requests: sending, amending, cancelling, answering; their reminders and "Cần làm".

Every write is one `files.atomic()` block that also leaves a line in the request's history.
Uploaded files follow the evidence rules (plans/evidence.py): checked by their content, stored
under a random name, published only when the row commits.
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from partrack import files
from partrack.org.models import Agency, Membership, Role
from partrack.plans.evidence import detect_file_type
from partrack.plans.models import Plan
from partrack.province.models import (
    ReportRequest,
    RequestAnswer,
    RequestEvent,
    RequestRecipient,
)
from partrack.reporting.models import ConsolidatedReport, Notification
from partrack.reporting.reminders import (
    REPORT_CHASE_DAYS,
    Reminder,
    create_notifications,
    days_text,
    reminder_days,
    reminder_for,
)
from partrack.templatetags.partrack import dmy


def issued_reports(agency_id):
    """The agency's issued periodic consolidated reports (approved by its leaders, numbered and
    dated: ConsolidatedReport.objects.issued()) of a plan issued and not archived, newest first."""
    return (
        ConsolidatedReport.objects.issued()
        .filter(
            period__plan__agency_id=agency_id,
            period__plan__status__in=[Plan.Status.ACTIVE, Plan.Status.CLOSED],
            period__plan__archived_at__isnull=True,
        )
        .order_by("-issued_on", "-pk")
    )


def check_upload(upload, field):
    """The file's real type, under the evidence files' rules; ValidationError on `field`."""
    limit = settings.PARTRACK_MAX_EVIDENCE_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError({field: _("Tệp vượt quá %(n)s MB.") % {"n": limit}})
    try:
        return detect_file_type(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def addressable_agencies(province):
    """The agencies a request of the province may address: the agencies directly under it."""
    return Agency.objects.filter(parent=province).order_by("name")


def _log(request, kind, by, now, summary="", agency=None):
    RequestEvent.objects.create(
        request=request, kind=kind, agency=agency, summary=summary[:500], by=by, at=now
    )


def create_request(
    *, province, by, topic, outline, due_date, to_all, agencies=(), template=None, now=None
):
    """Send a request to every agency of the province or to the chosen ones; the request."""
    now = now or timezone.now()
    membership = Membership.of(by)
    if membership is None or not membership.acts_for_province(province):
        raise PermissionError("Only Sở Nội vụ's desk and leaders send requests")
    errors = {}
    if not topic.strip():
        errors["topic"] = _("Hãy nhập chủ đề của yêu cầu.")
    if not outline.strip() and template is None:
        errors["outline"] = _("Hãy nhập đề cương hoặc đính kèm tệp mẫu.")
    if due_date is None:
        errors["due_date"] = _("Hãy nhập hạn trả lời.")
    elif due_date < timezone.localdate(now):
        errors["due_date"] = _("Hạn trả lời không thể trước hôm nay.")
    addressable = addressable_agencies(province)
    chosen = list(addressable) if to_all else [a for a in agencies if a.parent_id == province.pk]
    if not chosen:
        errors["agencies"] = _("Hãy chọn ít nhất một cơ quan nhận yêu cầu.")
    if errors:
        raise ValidationError(errors)
    template_type = check_upload(template, "template") if template is not None else ""
    with files.atomic():
        request = ReportRequest(
            province=province,
            topic=topic.strip(),
            outline=outline.strip(),
            to_all=to_all,
            due_date=due_date,
            created_by=by,
            created_at=now,
        )
        if template is not None:
            request.template_type = template_type
            request.template_name = Path(template.name).name[:255]
            files.stage(request.template, request.template_name, template)
        request.save()
        RequestRecipient.objects.bulk_create(
            [RequestRecipient(request=request, agency=agency) for agency in chosen]
        )
        summary = _("Gửi %(n)s cơ quan, hạn trả lời %(date)s") % {
            "n": len(chosen),
            "date": dmy(due_date),
        }
        _log(request, RequestEvent.Kind.CREATED, by, now, summary)
    return request


def _check_manager(request, by):
    membership = Membership.of(by)
    if membership is None or not membership.acts_for_province(request.province):
        raise PermissionError("Only Sở Nội vụ's desk and leaders amend requests")
    if request.is_cancelled:
        raise ValidationError(_("Yêu cầu đã hủy, không thể thay đổi."))


def change_due_date(*, request, by, due_date, reason="", now=None):
    """Move the due date; the history keeps the old one. Standings follow the new date."""
    now = now or timezone.now()
    _check_manager(request, by)
    if due_date is None:
        raise ValidationError({"due_date": _("Hãy nhập hạn trả lời mới.")})
    if due_date == request.due_date:
        raise ValidationError({"due_date": _("Hạn mới trùng với hạn hiện tại.")})
    if due_date < timezone.localdate(request.created_at):
        raise ValidationError({"due_date": _("Hạn trả lời không thể trước ngày gửi yêu cầu.")})
    with files.atomic():
        before = request.due_date
        ReportRequest.objects.filter(pk=request.pk).update(due_date=due_date)
        request.due_date = due_date
        summary = f"{dmy(before)} → {dmy(due_date)}"
        if reason.strip():
            summary += f" ({reason.strip()})"
        _log(request, RequestEvent.Kind.DUE_CHANGED, by, now, summary)
    return request


def cancel_request(*, request, by, reason, now=None):
    """Cancel a request: it leaves the agencies' "Cần làm" and reminders; answers are kept."""
    now = now or timezone.now()
    _check_manager(request, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do hủy yêu cầu.")})
    with files.atomic():
        ReportRequest.objects.filter(pk=request.pk).update(
            cancelled_at=now, cancel_reason=reason.strip()[:500]
        )
        request.cancelled_at, request.cancel_reason = now, reason.strip()[:500]
        _log(request, RequestEvent.Kind.CANCELLED, by, now, reason.strip())
    return request


def answer_request(
    *,
    request,
    agency,
    by,
    kind,
    file=None,
    number_symbol="",
    issued_on=None,
    note="",
    report=None,
    now=None,
    notify=True,
):
    """Answer for the agency with a document or an issued report; replace an earlier answer
    before the due date. Sở Nội vụ is notified (the demo, writing the past, says not to)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    membership = Membership.of(by)
    if membership is None or not membership.answers_requests(agency):
        raise PermissionError("Only the agency's office answers")
    if request.is_cancelled:
        raise ValidationError(_("Yêu cầu đã hủy, không cần trả lời."))
    errors = {}
    if kind == RequestAnswer.Kind.DOCUMENT:
        if file is None:
            errors["file"] = _("Hãy đính kèm văn bản trả lời.")
        if not number_symbol.strip():
            errors["number_symbol"] = _("Hãy nhập số, ký hiệu văn bản.")
        if issued_on is not None and issued_on > today:
            errors["issued_on"] = _("Ngày văn bản không thể sau hôm nay.")
        report = None
    elif kind == RequestAnswer.Kind.REPORT:
        if report is None or not issued_reports(agency.pk).filter(pk=report.pk).exists():
            errors["report"] = _("Hãy chọn một báo cáo định kỳ đã ban hành của cơ quan.")
        file, number_symbol, issued_on = None, "", None
    else:
        errors["kind"] = _("Hãy chọn cách trả lời.")
    if errors:
        raise ValidationError(errors)
    file_type = check_upload(file, "file") if file is not None else ""
    with files.atomic():
        # The row lock makes two answers at once one after the other, never both "first".
        slot = (
            RequestRecipient.objects.select_for_update()
            .filter(request=request, agency=agency)
            .first()
        )
        if slot is None:
            raise PermissionError("The request is not addressed to this agency")
        if slot.answer_id is not None and today > request.due_date:
            raise ValidationError(
                _("Đã quá hạn trả lời (%(date)s): không thể thay văn bản đã gửi.")
                % {"date": dmy(request.due_date)}
            )
        answer = RequestAnswer(
            request=request,
            agency=agency,
            kind=kind,
            number_symbol=number_symbol.strip()[:100],
            issued_on=issued_on,
            note=note.strip(),
            report=report,
            answered_by=by,
            answered_at=now,
        )
        if file is not None:
            answer.file_type = file_type
            answer.file_name = Path(file.name).name[:255]
            files.stage(answer.file, answer.file_name, file)
        answer.save()
        replacing = slot.answer_id is not None
        if replacing:
            RequestAnswer.objects.filter(pk=slot.answer_id).update(replaced_at=now)
        slot.answer = answer
        if slot.first_answered_at is None:
            slot.first_answered_at = now
        slot.save(update_fields=["answer", "first_answered_at"])
        kind_ = RequestEvent.Kind.REPLACED if replacing else RequestEvent.Kind.ANSWERED
        _log(request, kind_, by, now, answer.citation(), agency=agency)
        if notify:
            notify_answer(
                request=request, agency=agency, answer=answer, replacing=replacing, now=now
            )
    return answer


def notify_answer(*, request, agency, answer, replacing, now):
    """Tell Sở Nội vụ's desk (and whoever sent the request) that an answer came."""
    people = set(
        Membership.objects.filter(
            agency_id=request.province_id, role=Role.COORDINATOR, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    people.add(request.created_by_id)
    values = {"agency": agency.name, "topic": Truncator(request.topic).chars(120)}
    if replacing:
        title = _("%(agency)s đã thay văn bản trả lời yêu cầu “%(topic)s”") % values
    else:
        title = _("%(agency)s đã trả lời yêu cầu “%(topic)s”") % values
    reminders = [
        Reminder(
            user_id,
            Notification.Kind.REPORT_SUBMITTED,
            f"request-answer:{answer.pk}",
            title,
            answer.citation(),
            request.get_absolute_url(),
        )
        for user_id in sorted(people)
    ]
    return create_notifications(reminders=reminders, now=now)


def overdue_key(slot, days_overdue, due_date):
    """One key per REPORT_CHASE_DAYS days overdue: a missing answer is chased until it comes."""
    round_ = (days_overdue - 1) // REPORT_CHASE_DAYS
    return f"request-overdue:{slot.request_id}:{slot.agency_id}@{due_date:%Y%m%d}:{round_ + 1}"


def request_reminders(today):
    """Before the due date (PARTRACK_REMINDER_DAYS) and, once overdue, every REPORT_CHASE_DAYS
    days, to the office of each agency that has not answered. The due date is in the key: a
    moved date has reminders of its own."""
    days = reminder_days()
    slots = list(
        RequestRecipient.objects.unanswered()
        .filter(request__due_date__lte=today + timedelta(days=max(days, default=-1)))
        .select_related("request", "agency")
    )
    if not slots:
        return []
    offices = {}
    for user_id, agency_id in Membership.objects.filter(
        agency_id__in={slot.agency_id for slot in slots},
        role=Role.COORDINATOR,
        user__is_active=True,
    ).values_list("user_id", "agency_id"):
        offices.setdefault(agency_id, []).append(user_id)
    reminders = []
    for slot in slots:
        request = slot.request
        due = request.due_date
        days_left = (due - today).days
        values = {
            "topic": Truncator(request.topic).chars(120),
            "date": dmy(due),
            "left": days_text(days_left),
            "days": -days_left,
        }
        if days_left >= 0:
            n = reminder_for(days_left, days)
            if n is None:
                continue
            kind = Notification.Kind.REPORT_DUE
            key = f"request-due:{request.pk}:{slot.agency_id}@{due:%Y%m%d}:{n}d"
            title = _("Sở Nội vụ yêu cầu: “%(topic)s” — hạn %(date)s (%(left)s)") % values
        else:
            kind = Notification.Kind.REPORT_OVERDUE
            key = overdue_key(slot, -days_left, due)
            title = _("Chưa trả lời yêu cầu “%(topic)s” của Sở Nội vụ — quá hạn %(days)s ngày") % (
                values
            )
        body = _("Hạn trả lời: %(date)s.") % values
        for user_id in offices.get(slot.agency_id, []):
            reminders.append(Reminder(user_id, kind, key, title, body, request.get_absolute_url()))
    return reminders


def request_todo(membership, today):
    """The office's and the leaders' "Cần làm": the province's requests not answered yet."""
    from partrack.reporting.todo import TodoItem

    if membership is None or membership.role not in (Role.COORDINATOR, Role.LEADER):
        return []
    slots = (
        RequestRecipient.objects.unanswered()
        .filter(agency_id=membership.agency_id)
        .select_related("request")
        .order_by("request__due_date", "request_id")
    )
    items = []
    for slot in slots:
        request = slot.request
        state = slot.standing(today)
        items.append(
            TodoItem(
                due=request.due_date,
                title=_("Trả lời yêu cầu của Sở Nội vụ: %(topic)s")
                % {"topic": Truncator(request.topic).chars(120)},
                detail=state.label,
                url=request.get_absolute_url(),
                overdue=state.code == "missing",
                rank=0,
            )
        )
    return items


def requests_for_listing(membership, *, superuser=False):
    """The requests a person's list shows: a province's sent ones, an agency's received ones."""
    requests = ReportRequest.objects.for_listing()
    if superuser:
        return requests
    if membership is None:
        return requests.none()
    return requests.filter(
        Q(province_id=membership.agency_id) | Q(recipients__agency_id=membership.agency_id)
    ).distinct()


def answer_url(answer):
    return reverse("report_request_answer_file", args=[answer.request_id, answer.pk])
