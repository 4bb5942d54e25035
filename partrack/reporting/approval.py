"""The consolidated report's approval: draft → sent to leaders → approved or returned → issued,
then its signed PDF. Each step is one atomic write with its history line and its notifications.

Editing the text of a report that waits for the leaders or was approved takes it back to draft
(`content_changed`): what the leader approved is no longer what would be issued. An issued
report's text is locked (ConsolidatedReport.text_locked).
"""

import hashlib
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack import files
from partrack.org.models import Membership, Role
from partrack.reporting.models import ConsolidatedReport, Notification, ReportStep, SignedReport
from partrack.reporting.reminders import Reminder, create_notifications
from partrack.reporting.signals import consolidated_report_issued

Status = ConsolidatedReport.Status
Action = ReportStep.Action
# The largest signed PDF accepted (a report with its appendix is far smaller).
MAX_SIGNED_BYTES = 30 * 1024 * 1024


class WrongStep(Exception):
    """The report is not (or no longer) where this step starts: someone acted meanwhile."""


def leaders_of(agency_id):
    """The agency's active leaders, whom the office may ask to approve."""
    return (
        get_user_model()
        .objects.filter(
            membership__agency_id=agency_id, membership__role=Role.LEADER, is_active=True
        )
        .select_related("membership")
        .order_by("last_name", "first_name", "username")
    )


def office_of(agency_id):
    """User ids of the agency's office (its active coordinators)."""
    return list(
        Membership.objects.filter(
            agency_id=agency_id, role=Role.COORDINATOR, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def name_of(user):
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def _move(report, sources, target, **fields):
    """Change the status if it is still one of `sources`; WrongStep otherwise."""
    changed = ConsolidatedReport.objects.filter(pk=report.pk, status__in=sources).update(
        status=target, **fields
    )
    if not changed:
        raise WrongStep
    report.status = target
    for name, value in fields.items():
        setattr(report, name, value)


def _step(report, action, by, now, comment="", detail=""):
    return ReportStep.objects.create(
        report=report, action=action, by=by, at=now, comment=comment, detail=detail
    )


def _notify(report, step, kind, title, body, user_ids, by):
    url = report.get_absolute_url() + "#approval"
    key = f"consolidated-{step.action}:{report.pk}:{step.pk}"
    reminders = [
        Reminder(user_id, kind, key, title, body, url)
        for user_id in dict.fromkeys(user_ids)
        if by is None or user_id != by.pk
    ]
    return create_notifications(reminders=reminders, now=step.at)


def _values(report):
    period = report.period
    return {
        "period": f"{period.get_kind_display()} {period.plan.year}",
        "agency": period.plan.agency.name,
    }


@transaction.atomic
def submit_for_approval(*, report, by, approvers, comment="", now=None):
    """The office asks one or more of the agency's leaders to approve the report."""
    now = now or timezone.now()
    agency_id = report.period.plan.agency_id
    leaders = {user.pk: user for user in leaders_of(agency_id)}
    chosen = [leaders[user.pk] for user in approvers if user.pk in leaders]
    if not chosen or len(chosen) != len(approvers):
        raise ValidationError({"approvers": _("Hãy chọn lãnh đạo của cơ quan để trình duyệt.")})
    _move(report, [Status.DRAFT, Status.RETURNED], Status.PENDING)
    report.approvers.set(chosen)
    names = ", ".join(name_of(user) for user in chosen)
    step = _step(report, Action.SUBMITTED, by, now, comment, detail=names)
    values = _values(report)
    _notify(
        report,
        step,
        Notification.Kind.CONSOLIDATED_PENDING,
        _("Báo cáo tổng hợp %(period)s chờ anh/chị duyệt") % values,
        comment,
        [user.pk for user in chosen],
        by,
    )
    return step


def _decide(report, by, now, target, action, kind, title, comment):
    if not report.approvers.filter(pk=by.pk).exists():
        raise WrongStep
    _move(report, [Status.PENDING], target)
    step = _step(report, action, by, now, comment)
    office = office_of(report.period.plan.agency_id)
    asked_by = (
        report.steps.filter(action=Action.SUBMITTED)
        .order_by("-at", "-pk")
        .values_list("by_id", flat=True)
        .first()
    )
    _notify(report, step, kind, title % _values(report), comment, [*office, asked_by], by)
    return step


@transaction.atomic
def approve(*, report, by, comment="", now=None):
    """A leader the office asked approves the report."""
    return _decide(
        report,
        by,
        now or timezone.now(),
        Status.APPROVED,
        Action.APPROVED,
        Notification.Kind.CONSOLIDATED_APPROVED,
        _("Lãnh đạo đã duyệt báo cáo tổng hợp %(period)s — chờ ban hành"),
        comment,
    )


@transaction.atomic
def return_for_changes(*, report, by, comment, now=None):
    """A leader sends the report back to the office with what to change."""
    if not comment.strip():
        raise ValidationError({"comment": _("Hãy ghi rõ cần sửa gì khi trả lại báo cáo.")})
    return _decide(
        report,
        by,
        now or timezone.now(),
        Status.RETURNED,
        Action.RETURNED,
        Notification.Kind.CONSOLIDATED_RETURNED,
        _("Lãnh đạo trả lại báo cáo tổng hợp %(period)s — cần sửa và trình lại"),
        comment,
    )


def content_changed(*, report, by, now=None):
    """Called inside the write that changed the report's text: a pending or approved report
    goes back to draft, and the leaders asked are told."""
    if report.status not in (Status.PENDING, Status.APPROVED):
        return None
    now = now or timezone.now()
    was = report.get_status_display()
    _move(report, [Status.PENDING, Status.APPROVED], Status.DRAFT)
    approvers = list(report.approvers.values_list("pk", flat=True))
    report.approvers.clear()
    step = _step(report, Action.REOPENED, by, now, detail=str(was))
    _notify(
        report,
        step,
        Notification.Kind.CONSOLIDATED_REOPENED,
        _("Báo cáo tổng hợp %(period)s được sửa sau khi trình duyệt — sẽ trình lại")
        % _values(report),
        "",
        approvers,
        by,
    )
    return step


@transaction.atomic
def issue(*, report, by, symbol, issued_on, now=None):
    """The office issues the approved report with its number and date."""
    now = now or timezone.now()
    symbol = (symbol or "").strip()
    errors = {}
    if not symbol or symbol.startswith("/"):
        errors["symbol"] = _('Hãy ghi số của báo cáo, ví dụ "05/BC-SKHCN".')
    if not isinstance(issued_on, date):
        errors["issued_on"] = _("Hãy ghi ngày ban hành.")
    elif issued_on > timezone.localdate(now):
        errors["issued_on"] = _("Ngày ban hành không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)
    _move(report, [Status.APPROVED], Status.ISSUED, symbol=symbol, issued_on=issued_on)
    detail = _("Số %(symbol)s ngày %(day)s") % {"symbol": symbol, "day": f"{issued_on:%d/%m/%Y}"}
    step = _step(report, Action.ISSUED, by, now, detail=detail)
    consolidated_report_issued.send(sender=ConsolidatedReport, report=report)
    _notify(
        report,
        step,
        Notification.Kind.CONSOLIDATED_ISSUED,
        _("Báo cáo tổng hợp %(period)s đã ban hành") % _values(report),
        detail,
        [*report.approvers.values_list("pk", flat=True), *office_of(report.period.plan.agency_id)],
        by,
    )
    return step


class SignatureRefused(Exception):
    """The uploaded file is not a PDF whose every signature is intact."""

    def __init__(self, message, check=None):
        super().__init__(message)
        self.message = message
        self.check = check


def check_as_data(check):
    """A partrack.signatures.SignatureCheck as JSON data (what the report pages show)."""
    return {
        "ok": bool(check.ok),
        "message": check.summary,
        "signatures": [
            {
                "signer": info.signer,
                "signed_at": info.signed_at_display,
                "timestamped": info.timestamped,
                "intact": info.intact and info.covers_whole_file,
                "trusted": info.trusted,
                "problem": info.problem,
            }
            for info in check.signatures
        ],
    }


def acceptable(check):
    """Signed, and every signature intact over the whole file (nothing changed after it).

    A chain that reaches no installed root is kept but shown as not trusted: the administrator
    may not have installed the government roots yet, and the office cannot fix that.
    """
    return check.signed and all(info.intact and info.covers_whole_file for info in check.signatures)


def verify(data):
    """partrack.signatures.verify_pdf (written on branch h16-sign), imported when first needed."""
    from partrack.signatures import verify_pdf

    return verify_pdf(data)


def upload_signed(*, report, by, data, name="", now=None):
    """Keep the signed PDF of an issued report if every signature in it is intact.

    A refused file changes nothing: the report and its previous signed file stay as they were.
    """
    if report.status != Status.ISSUED:
        raise WrongStep
    if len(data) > MAX_SIGNED_BYTES:
        raise SignatureRefused(_("Tệp quá lớn (tối đa 30 MB)."))
    check = verify(data)  # seconds at most; outside the transaction
    if not acceptable(check):
        raise SignatureRefused(f"{check.summary}.", check)
    return _store_signed(report=report, by=by, data=data, name=name, check=check, now=now)


@files.atomic()
def _store_signed(*, report, by, data, name, check, now):
    now = now or timezone.now()
    # Locked, so an upload racing the sending is seen by it or refused here.
    locked = ConsolidatedReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != Status.ISSUED:
        raise WrongStep
    signed = SignedReport(
        report=report,
        original_name=(name or "")[:200],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        verification=check_as_data(check),
        uploaded_at=now,
        uploaded_by=by,
    )
    files.stage(signed.file, "signed.pdf", data)
    signed.save()
    signers = ", ".join(
        str(s.get("signer") or "") for s in signed.verification["signatures"] if s.get("signer")
    )
    step = _step(report, Action.SIGNED, by, now, detail=signers)
    _notify(
        report,
        step,
        Notification.Kind.CONSOLIDATED_SIGNED,
        _("Báo cáo tổng hợp %(period)s đã có bản ký số") % _values(report),
        signers,
        report.approvers.values_list("pk", flat=True),
        by,
    )
    return signed


def todo_items(membership, today):
    """ "Cần làm" lines of the consolidated report's way up the chain: the leader's report to
    approve, the office's next step, and the reports come into the agency's inbox unopened."""
    from partrack.reporting.models import ReportDelivery
    from partrack.reporting.todo import RETURNED, TO_REVIEW, TodoItem

    if membership is None:
        return []
    items = []
    agency_id = membership.agency_id
    reports = ConsolidatedReport.objects.filter(
        period__plan__agency_id=agency_id, period__plan__status="active"
    ).select_related("period__plan")
    if membership.directs(agency_id):
        for report in reports.filter(status=Status.PENDING, approvers=membership.user_id):
            items.append(
                TodoItem(
                    due=report.period.agency_due,
                    title=_("Duyệt báo cáo tổng hợp %(period)s") % _values(report),
                    detail=_("Văn phòng trình duyệt; duyệt hoặc trả lại kèm ý kiến."),
                    url=report.get_absolute_url() + "#approval",
                    overdue=bool(report.period.agency_due and report.period.agency_due < today),
                    group=TO_REVIEW,
                    waiting_since=timezone.localdate(report.updated_at),
                )
            )
    if membership.is_coordinator:
        waiting = {
            Status.RETURNED: _("Sửa và trình lại báo cáo tổng hợp %(period)s"),
            Status.APPROVED: _("Ban hành báo cáo tổng hợp %(period)s (ghi số, ngày)"),
            Status.ISSUED: _("Tải lên bản ký số và gửi báo cáo tổng hợp %(period)s"),
        }
        for report in reports.filter(status__in=list(waiting)):
            comment = ""
            if report.status == Status.RETURNED:
                comment = (
                    report.steps.filter(action=Action.RETURNED)
                    .order_by("-at", "-pk")
                    .values_list("comment", flat=True)
                    .first()
                    or ""
                )
            items.append(
                TodoItem(
                    due=report.period.agency_due,
                    title=waiting[report.status] % _values(report),
                    detail=_("Hạn gửi Sở Nội vụ.") if report.period.agency_due else "",
                    url=report.get_absolute_url() + "#approval",
                    overdue=bool(report.period.agency_due and report.period.agency_due < today),
                    group=RETURNED if comment else TO_REVIEW,
                    comment=comment,
                    waiting_since=timezone.localdate(report.updated_at),
                )
            )
        arrived = ReportDelivery.objects.inbox_of(agency_id).filter(received_at__isnull=True)
        seen = set()
        for delivery in arrived:
            if delivery.report_id in seen:
                continue
            seen.add(delivery.report_id)
            report = delivery.report
            items.append(
                TodoItem(
                    due=None,
                    title=_("Văn bản đến: Báo cáo số %(symbol)s của %(agency)s")
                    % {"symbol": report.symbol, "agency": report.period.plan.agency.name},
                    detail=_("Mở để nhận; nơi gửi thấy thời điểm nhận."),
                    url=delivery.get_absolute_url(),
                    overdue=False,
                    group=TO_REVIEW,
                    waiting_since=timezone.localdate(delivery.delivered_at),
                )
            )
    return items
