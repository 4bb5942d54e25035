"""Sending an issued, signed consolidated report to its recipients ("Nơi nhận"), and receiving it.

Each recipient line becomes one ReportDelivery, written once (unique per report and line), so
pressing "Gửi" twice or two people at once sends nothing twice. A line naming a body of the same
PARtrack — the province, an agency of the province, or a unit of the province's agency such as
"Sở Nội vụ" — is delivered to that agency's inbox at once; its `received_at` is set when one of
its people first opens it. Any other line needs an e-mail address the office enters: the signed
PDF goes there as an attachment, through the outbox, which retries a failed server without
resending what already went. Lines for the agency's own people ("GĐ, các PGĐ Sở", "Các phòng,
đơn vị thuộc Sở", "Lưu: VT") need nothing sent: they read the report in PARtrack.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack.org.models import EVERY_UNIT_PHRASES, Agency, Membership, Role, Unit
from partrack.reporting.approval import _notify, _step, _values, office_of
from partrack.reporting.models import (
    ConsolidatedReport,
    Notification,
    ReportDelivery,
    ReportStep,
)
from partrack.reporting.outbox import queue_email
from partrack.vietnamese import fold_agency_name

Status = ConsolidatedReport.Status
# "(b/c)", "(t/hợp)", "(để báo cáo)": what the recipient is sent it for, not its name.
PURPOSE = re.compile(r"\s*\([^)]*\)\s*$")
# The agency's own leaders and archive, as documents list them among recipients.
OWN_PEOPLE = re.compile(
    r"^(luu\b|gd\b|giam doc\b|pgd\b|cac pgd\b|lanh dao so\b|ban giam doc\b|"
    r"cac phong\b.*\bthuoc so$|cac don vi\b.*\bthuoc so$)"
)


@dataclass
class Recipient:
    line: str  # as the document writes it: "Sở Nội vụ (b/c)"
    agency: Agency | None = None  # a body of this PARtrack: delivered to its inbox
    unit: Unit | None = None  # the unit of that agency the line names, if any
    own: bool = False  # the agency's own people or archive: nothing to send

    @property
    def by_email(self):
        return self.agency is None and not self.own

    @property
    def label(self):
        if self.unit is not None:
            return f"{self.unit.name} ({self.agency.name})"
        return self.agency.name if self.agency else self.line


def recipient_lines(report):
    """The report's recipients: the agency's "Nơi nhận" for reports, else the plan's."""
    plan = report.period.plan
    lines = plan.agency.report_recipients or plan.recipients or []
    return [line.strip() for line in lines if line and line.strip()]


def recipients_of(report):
    """Every recipient line of the report, matched to a body of this PARtrack where one is named.

    Two queries: the province's agencies and the province agency's units.
    """
    agency = report.period.plan.agency
    province_id = agency.parent_id or agency.pk
    bodies = list(
        Agency.objects.filter(pk=province_id) | Agency.objects.filter(parent_id=province_id)
    )
    province = next(body for body in bodies if body.pk == province_id)
    units = list(Unit.objects.filter(agency_id=province_id))
    result = []
    for line in recipient_lines(report):
        name = fold_agency_name(PURPOSE.sub("", line).strip(" ;.-–"))
        if OWN_PEOPLE.match(name) or name in EVERY_UNIT_PHRASES:
            result.append(Recipient(line, own=True))
            continue
        found = [
            unit for unit in units if name in {fold_agency_name(n) for n in unit.folded_names()}
        ]
        if len(found) == 1:
            result.append(Recipient(line, agency=province, unit=found[0]))
            continue
        matches = [body for body in bodies if body.pk != agency.pk and name in body.folded_names()]
        if len(matches) == 1:
            result.append(Recipient(line, agency=matches[0]))
        else:
            result.append(Recipient(line))
    return result


def last_addresses(report, lines):
    """{line: address} the agency used for these lines last time, to prefill the form."""
    found = {}
    rows = (
        ReportDelivery.objects.filter(
            report__period__plan__agency_id=report.period.plan.agency_id,
            recipient__in=lines,
        )
        .exclude(address="")
        .order_by("delivered_at")
        .values_list("recipient", "address")
    )
    for line, address in rows:
        found[line] = address
    return found


class NotReady(Exception):
    """The report is not issued with a signed PDF yet."""


def send_report(*, report, by, addresses, now=None):
    """Deliver the issued, signed report to every recipient; the deliveries.

    `addresses`: {line: e-mail} for the lines not in this PARtrack. Sending a report already
    sent returns its deliveries and sends nothing.
    """
    now = now or timezone.now()
    status = ConsolidatedReport.objects.filter(pk=report.pk).values_list("status", flat=True)
    status = status.first()
    if status == Status.SENT:
        return list(report.deliveries.all())  # sent already: nothing leaves twice
    if status != Status.ISSUED or not report.signed_files.exists():
        raise NotReady
    recipients = recipients_of(report)
    errors = {}
    for recipient in recipients:
        if not recipient.by_email:
            continue
        address = (addresses.get(recipient.line) or "").strip()
        try:
            if not address:
                raise ValidationError("")
            validate_email(address)
        except ValidationError:
            errors[recipient.line] = _("Hãy nhập địa chỉ thư điện tử hợp lệ của “%(line)s”.") % {
                "line": recipient.line
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = ConsolidatedReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == Status.SENT:
            return list(locked.deliveries.all())
        if locked.status != Status.ISSUED:
            raise NotReady
        signed = locked.signed_files.first()
        if signed is None:
            raise NotReady
        report.status = locked.status
        deliveries = []
        for recipient in recipients:
            if recipient.own:
                continue
            delivery, _created = ReportDelivery.objects.get_or_create(
                report=report,
                recipient=recipient.line[:200],
                defaults={
                    "agency": recipient.agency,
                    "unit": recipient.unit,
                    "address": (addresses.get(recipient.line) or "").strip(),
                    "signed": signed,
                    "delivered_at": now,
                },
            )
            if delivery.address and delivery.email_id is None:
                delivery.email = queue_report_email(report, delivery, signed, now=now)
                delivery.save(update_fields=["email"])
            deliveries.append(delivery)
        ConsolidatedReport.objects.filter(pk=report.pk).update(status=Status.SENT, sent_at=now)
        report.status, report.sent_at = Status.SENT, now
        detail = "; ".join(d.recipient for d in deliveries)
        step = _step(report, ReportStep.Action.SENT, by, now, detail=detail)
        values = _values(report)
        _notify(
            report,
            step,
            Notification.Kind.CONSOLIDATED_SENT,
            _("Báo cáo tổng hợp %(period)s đã gửi nơi nhận") % values,
            detail,
            [
                *report.approvers.values_list("pk", flat=True),
                *office_of(report.period.plan.agency_id),
            ],
            by,
        )
        notify_arrivals(report, deliveries, now)
    return deliveries


def queue_report_email(report, delivery, signed, *, now):
    period = report.period
    agency = period.plan.agency
    values = {
        "symbol": report.symbol,
        "day": f"{report.issued_on:%d/%m/%Y}",
        "agency": agency.name,
        "period": f"{period.get_kind_display()} {period.plan.year}",
        "recipient": delivery.recipient,
    }
    subject = _("Báo cáo số %(symbol)s ngày %(day)s của %(agency)s (CCHC %(period)s)") % values
    body = (
        _(
            "Kính gửi: %(recipient)s\n\n"
            "%(agency)s gửi kèm theo thư này Báo cáo số %(symbol)s ngày %(day)s "
            "về kết quả thực hiện công tác cải cách hành chính kỳ %(period)s "
            "(bản PDF đã ký số).\n\n"
            "Thư được gửi tự động; xin đừng trả lời thư này."
        )
        % values
    )
    return queue_email(
        key=f"report-delivery:{delivery.pk}",
        to=delivery.address,
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        now=now,
        attachment=signed.file.name,
        attachment_name=signed.download_name(),
    )


def notify_arrivals(report, deliveries, now):
    """Tell the receiving agencies' desks (their coordinators) that a report came in."""
    by_agency = {}
    for delivery in deliveries:
        if delivery.agency_id is not None:
            by_agency.setdefault(delivery.agency_id, delivery)
    if not by_agency:
        return
    from partrack.reporting.reminders import Reminder, create_notifications

    values = {**_values(report), "symbol": report.symbol}
    desks = Membership.objects.filter(
        agency_id__in=by_agency, role=Role.COORDINATOR, user__is_active=True
    ).values_list("user_id", "agency_id")
    reminders = [
        Reminder(
            user_id,
            Notification.Kind.REPORT_ARRIVED,
            f"report-arrived:{by_agency[agency_id].pk}",
            _("Văn bản đến: Báo cáo số %(symbol)s của %(agency)s (CCHC %(period)s)") % values,
            "",
            by_agency[agency_id].get_absolute_url(),
        )
        for user_id, agency_id in desks
    ]
    create_notifications(reminders=reminders, now=now)


@transaction.atomic
def mark_received(*, delivery, by, now=None):
    """The first opening by a person of the receiving agency is the receipt; later ones are not.

    Every line of the same report to the same agency is received at once (the province gets
    "UBND tỉnh (b/c)" and "Sở Nội vụ (b/c)" as one document in one inbox). True when new.
    """
    now = now or timezone.now()
    changed = ReportDelivery.objects.filter(
        report_id=delivery.report_id, agency_id=delivery.agency_id, received_at__isnull=True
    ).update(received_at=now, received_by=by)
    if not changed:
        return False
    delivery.received_at, delivery.received_by = now, by
    report = delivery.report
    detail = delivery.agency.name
    step = _step(report, ReportStep.Action.RECEIVED, by, now, detail=detail)
    _notify(
        report,
        step,
        Notification.Kind.REPORT_RECEIVED,
        _("%(recipient)s đã nhận báo cáo tổng hợp %(period)s")
        % {**_values(report), "recipient": detail},
        "",
        office_of(report.period.plan.agency_id),
        by,
    )
    return True
