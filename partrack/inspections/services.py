"""Every write of an inspection: keyword-only, atomic, and kept in the inspection's history."""

import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partrack import files
from partrack.inspections.models import (
    DEFAULT_CONTENTS,
    DEFAULT_SHARE,
    FOLLOW_UP_AREA,
    RECENT_YEARS,
    InspectedUnit,
    Inspection,
    InspectionEvent,
    InspectionFile,
    MinutesItem,
    Rating,
    Recommendation,
    SubmissionVersion,
    TeamMember,
    UnitSubmission,
    default_period,
    share_written_in,
    units_needed,
)
from partrack.org.models import Membership
from partrack.plans import services as plan_services
from partrack.plans.deadlines import DeadlineKind
from partrack.plans.models import Area, ProgressUpdate, Status, Task
from partrack.reporting.models import UnitReport
from partrack.vietnamese import fold


class StaleSubmission(Exception):
    """The unit's report changed since the form was opened."""


def log(inspection, by, action, unit=None, now=None):
    InspectionEvent.objects.create(
        inspection=inspection, user=by, unit=unit, action=action, at=now or timezone.now()
    )


@transaction.atomic
def start_inspection(*, plan, by, now=None):
    """The plan year's inspection, created with the seed's defaults on first use."""
    existing = Inspection.objects.filter(plan=plan).first()
    if existing is not None:
        return existing
    period_text, starts_on, ends_on = default_period(plan.year)
    inspection = Inspection.objects.create(
        plan=plan,
        period_text=period_text,
        starts_on=starts_on,
        ends_on=ends_on,
        contents=list(DEFAULT_CONTENTS),
        required_share=share_written_in(plan) or DEFAULT_SHARE,
        created_by=by,
        created_at=now or timezone.now(),
    )
    log(inspection, by, "Lập kế hoạch kiểm tra", now=now)
    return inspection


@transaction.atomic
def update_inspection(*, inspection, by, now=None, **fields):
    """Save the plan's settings (period, contents, share, task, due date, numbers)."""
    contents = [
        line.strip() for line in fields.get("contents", inspection.contents) if line.strip()
    ]
    if not contents:
        raise ValidationError({"contents": _("Kế hoạch kiểm tra cần ít nhất một nội dung.")})
    fields["contents"] = contents
    if (
        fields.get("starts_on")
        and fields.get("ends_on")
        and fields["starts_on"] > fields["ends_on"]
    ):
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    task = fields.get("task")
    if task is not None and task.plan_id != inspection.plan_id:
        raise ValidationError({"task": _("Nhiệm vụ không thuộc kế hoạch này.")})
    changed = []
    for name, value in fields.items():
        if getattr(inspection, name) != value:
            changed.append(str(Inspection._meta.get_field(name).verbose_name))
        setattr(inspection, name, value)
    inspection.save()
    log(inspection, by, f"Sửa kế hoạch kiểm tra: {', '.join(changed) or 'không đổi'}", now=now)
    return inspection


@dataclass
class Proposal:
    unit: object
    last_inspected: int | None  # the latest year it was inspected, None if never
    proposed: bool


def propose_units(inspection):
    """Every eligible unit, those not inspected in the previous RECENT_YEARS years first.

    Among equals the plan's order decides; the first `needed` are proposed.
    """
    year = inspection.plan.year
    units = list(inspection.eligible_units())
    history = (
        InspectedUnit.objects.filter(
            inspection__plan__agency_id=inspection.plan.agency_id,
            inspection__plan__year__lt=year,
        )
        .values("unit_id")
        .annotate(last=Max("inspection__plan__year"))
    )
    last = {row["unit_id"]: row["last"] for row in history}

    def recently(unit):
        return last.get(unit.pk) is not None and last[unit.pk] >= year - RECENT_YEARS

    ordered = sorted(units, key=lambda u: (recently(u), last.get(u.pk) or 0, u.order, u.name))
    needed = units_needed(inspection.required_share, len(units))
    return [
        Proposal(unit=unit, last_inspected=last.get(unit.pk), proposed=index < needed)
        for index, unit in enumerate(ordered)
    ]


@transaction.atomic
def select_units(*, inspection, by, units, now=None):
    """The units to inspect; a unit whose minutes were started cannot be dropped."""
    eligible = {unit.pk for unit in inspection.eligible_units()}
    if any(unit.pk not in eligible for unit in units):
        raise ValidationError(
            {"units": _("Văn phòng (đơn vị đầu mối) không thuộc diện được kiểm tra.")}
        )
    wanted = {unit.pk for unit in units}
    dropped = inspection.inspected_units.exclude(unit_id__in=wanted)
    if dropped.filter(Q(minutes__isnull=False) | Q(concluded_at__isnull=False)).exists():
        raise ValidationError({"units": _("Không bỏ được đơn vị đã có biên bản kiểm tra.")})
    dropped.delete()
    have = set(inspection.inspected_units.values_list("unit_id", flat=True))
    InspectedUnit.objects.bulk_create(
        InspectedUnit(inspection=inspection, unit=unit) for unit in units if unit.pk not in have
    )
    # A unit's unsent form follows the choice: a report if inspected, a self-inspection if not.
    unsent = UnitSubmission.objects.filter(inspection=inspection, first_submitted_at=None)
    unsent.filter(unit_id__in=wanted).update(kind=UnitSubmission.Kind.REPORT)
    unsent.exclude(unit_id__in=wanted).update(kind=UnitSubmission.Kind.SELF)
    names = ", ".join(unit.name for unit in units) or "—"
    log(inspection, by, f"Chọn đơn vị được kiểm tra: {names}", now=now)


@transaction.atomic
def set_team(*, inspection, by, members, leader, now=None):
    """The inspection team: people of the agency, one of them its leader."""
    if leader is None or leader not in members:
        raise ValidationError({"leader": _("Hãy chọn Trưởng đoàn trong số thành viên đoàn.")})
    agency_ids = set(
        Membership.objects.filter(user__in=members).values_list("agency_id", flat=True)
    )
    if agency_ids - {inspection.plan.agency_id}:
        raise ValidationError({"members": _("Thành viên đoàn phải là người của cơ quan.")})
    inspection.team.exclude(user__in=members).delete()
    have = {seat.user_id: seat for seat in inspection.team.all()}
    for user in members:
        seat = have.get(user.pk) or TeamMember(inspection=inspection, user=user)
        seat.is_leader = user.pk == leader.pk
        seat.save()
    # A person who left the team no longer writes any unit's minutes.
    for inspected in inspection.inspected_units.all():
        inspected.assignees.remove(*[u for u in inspected.assignees.all() if u not in members])
    # Vietnamese order, family name first: "Nguyễn Duy Anh".
    names = ", ".join(f"{u.last_name} {u.first_name}".strip() or u.username for u in members)
    log(inspection, by, f"Thành lập đoàn kiểm tra: {names}", now=now)


@transaction.atomic
def schedule_unit(*, inspected, by, visit_on, place, assignees, now=None):
    """The day and place of a unit's visit, and the team members who write its minutes."""
    inspection = inspected.inspection
    if visit_on and not (inspection.starts_on <= visit_on <= inspection.ends_on):
        raise ValidationError(
            {
                "visit_on": _("Ngày kiểm tra phải trong thời gian kiểm tra (%(period)s).")
                % {"period": inspection.period_text}
            }
        )
    seats = set(inspection.team.values_list("user_id", flat=True))
    if any(user.pk not in seats for user in assignees):
        raise ValidationError({"assignees": _("Chỉ phân công thành viên của đoàn kiểm tra.")})
    inspected.visit_on, inspected.place = visit_on, place
    inspected.save(update_fields=["visit_on", "place"])
    inspected.assignees.set(assignees)
    day = f"{visit_on:%d/%m/%Y}" if visit_on else "—"
    log(
        inspection,
        by,
        f"Lịch kiểm tra {inspected.unit.name}: {day}, {place or '—'}",
        unit=inspected.unit,
        now=now,
    )


def issue_problems(inspection):
    """What stops the plan from being issued, in words; [] when it can be."""
    problems = []
    if not inspection.inspected_units.exists():
        problems.append(_("Chưa chọn đơn vị được kiểm tra."))
    if not inspection.team.filter(is_leader=True).exists():
        problems.append(_("Chưa thành lập đoàn kiểm tra có Trưởng đoàn."))
    return problems


NUMBERED = re.compile(r"^\d+/")


@transaction.atomic
def issue_plan(*, inspection, by, symbol, issued_on, document, now=None):
    """Record the plan as issued; it marks its task done with the document as evidence.

    `document` is the DOCX of the plan as issued; it is kept as a version of the plan file and
    attached to the task's evidence.
    """
    now = now or timezone.now()
    if inspection.is_issued:
        raise ValidationError(_("Kế hoạch kiểm tra đã được ban hành."))
    problems = issue_problems(inspection)
    if problems:
        raise ValidationError(" ".join(problems))
    if not NUMBERED.match(symbol or ""):
        raise ValidationError({"symbol": _("Hãy ghi số, ký hiệu đã cấp, ví dụ 98/KH-SKHCN.")})
    if issued_on is None or issued_on > timezone.localdate(now):
        raise ValidationError({"issued_on": _("Hãy ghi ngày ban hành (không sau hôm nay).")})
    inspection.symbol, inspection.issued_on, inspection.issued_at = symbol, issued_on, now
    inspection.save(update_fields=["symbol", "issued_on", "issued_at"])
    store_file(
        inspection=inspection, kind=InspectionFile.Kind.PLAN, content=document, by=by, now=now
    )
    task = inspection.task
    if task is not None and task.status != Status.DONE:
        summary = f"Kế hoạch kiểm tra công tác cải cách hành chính năm {inspection.plan.year}"
        upload = SimpleUploadedFile(f"ke-hoach-kiem-tra-{inspection.plan.year}.docx", document)
        plan_services.record_progress(
            task=task,
            by=by,
            unit=getattr(Membership.of(by), "unit", None),
            status=Status.DONE,
            percent=100,
            narrative=f"Đã ban hành {summary} số {symbol} ngày {issued_on:%d/%m/%Y}.",
            done_on=issued_on,
            expected_version=task.version,
            evidence=[
                plan_services.NewEvidence(
                    number_symbol=symbol, issued_on=issued_on, summary=summary, file=upload
                )
            ],
            now=now,
        )
    log(
        inspection, by, f"Ban hành kế hoạch kiểm tra số {symbol} ngày {issued_on:%d/%m/%Y}", now=now
    )
    return inspection


# The unit's report and the self-inspection: drafted, sent, returned or accepted.

# Words (folded) that tie a task to one of the default contents, for the prefilled text.
CONTENT_WORDS = [
    re.compile(r"ke hoach cai cach|kiem soat thu tuc|kiem soat tthc|cai cach hanh chinh"),
    re.compile(r"tuyen truyen|truyen thong"),
    re.compile(r"van ban quy pham|qppl|the che"),
    re.compile(r"thu tuc hanh chinh|tthc|mot cua|dich vu cong"),
    re.compile(r"hien dai hoa|chuyen doi so|so hoa|chinh phu so|phan mem|iso"),
    re.compile(r"phan cap|uy quyen"),
]


def content_pattern(inspection, index):
    """The words that tie a task to the content at `index`, or None for a content of its own."""
    content = inspection.contents[index]
    for default, pattern in zip(DEFAULT_CONTENTS, CONTENT_WORDS, strict=True):
        if fold(content) == fold(default):
            return pattern
    return None


def prefill_answers(inspection, unit):
    """Per content, the unit's tasks on it (state, progress, evidence) and its reported words."""
    tasks = list(
        Task.objects.filter(plan_id=inspection.plan_id)
        .led_by(unit)
        .prefetch_related("evidence")
        .order_by("area__order", "order")
    )
    accepted = (
        UnitReport.objects.filter(
            unit=unit, period__plan_id=inspection.plan_id, status=UnitReport.Status.ACCEPTED
        )
        .order_by("-period__ends_on")
        .first()
    )
    answers = []
    for index, content in enumerate(inspection.contents):
        pattern = content_pattern(inspection, index)
        lines = []
        for task in tasks:
            if pattern is None or not pattern.search(fold(task.content)):
                continue
            line = (
                f"- Nhiệm vụ số {task.number}: {task.content.strip()} — {task.get_status_display()}"
            )
            if task.percent and task.status != Status.DONE:
                line += f" ({task.percent}%)"
            cited = [item.citation() for item in task.evidence.all()]
            if cited:
                line += ". Minh chứng: " + "; ".join(cited)
            lines.append(line + ".")
        if index == 0 and accepted is not None and accepted.results.strip():
            lines.append(f"- Theo báo cáo {accepted.period}: {accepted.results.strip()}")
        answers.append({"content": content, "text": "\n".join(lines), "rating": ""})
    return answers


@transaction.atomic
def start_unit_submission(*, inspection, unit, by, now=None):
    """The unit's report (inspected) or self-inspection, created and prefilled on first use."""
    existing = UnitSubmission.objects.filter(inspection=inspection, unit=unit).first()
    if existing is not None:
        return existing
    inspected = inspection.inspected_units.filter(unit=unit).exists()
    if not inspected and unit not in inspection.eligible_units():
        raise ValidationError(_("Văn phòng không lập báo cáo tự kiểm tra."))
    submission = UnitSubmission.objects.create(
        inspection=inspection,
        unit=unit,
        kind=UnitSubmission.Kind.REPORT if inspected else UnitSubmission.Kind.SELF,
        answers=prefill_answers(inspection, unit),
        created_at=now or timezone.now(),
    )
    log(inspection, by, f"Bắt đầu {submission.get_kind_display().lower()}", unit=unit, now=now)
    return submission


@transaction.atomic
def save_unit_submission(*, submission, by, texts, ratings, expected_version, now=None):
    """Keep the unit's words (and, self-inspecting, its own rating) per content."""
    if not submission.is_editable:
        raise ValidationError(_("Báo cáo đã gửi nên không sửa được nữa."))
    valid = {rating.value for rating in Rating} | {""}
    answers = []
    for index, answer in enumerate(submission.answers):
        rating = ratings.get(index, answer.get("rating", ""))
        if rating not in valid:
            raise ValidationError(_("Đánh giá không hợp lệ."))
        answers.append({**answer, "text": texts.get(index, answer["text"]), "rating": rating})
    changed = UnitSubmission.objects.filter(
        pk=submission.pk,
        lock_version=expected_version,
        status__in=[UnitSubmission.Status.DRAFT, UnitSubmission.Status.RETURNED],
    ).update(answers=answers, lock_version=F("lock_version") + 1)
    if not changed:
        raise StaleSubmission
    submission.refresh_from_db()
    log(
        submission.inspection,
        by,
        f"Lưu {submission.get_kind_display().lower()}",
        unit=submission.unit,
        now=now,
    )
    return submission


@transaction.atomic
def submit_unit_submission(*, submission, by, now=None):
    """Send it to the office: it is locked and a frozen version is kept."""
    now = now or timezone.now()
    if submission.kind == UnitSubmission.Kind.SELF and any(
        not answer.get("rating") for answer in submission.answers
    ):
        raise ValidationError(_("Hãy tự đánh giá từng nội dung trước khi gửi."))
    changed = UnitSubmission.objects.filter(
        pk=submission.pk,
        status__in=[UnitSubmission.Status.DRAFT, UnitSubmission.Status.RETURNED],
    ).update(
        status=UnitSubmission.Status.SUBMITTED,
        submitted_at=now,
        submitted_by=by,
        first_submitted_at=submission.first_submitted_at or now,
        lock_version=F("lock_version") + 1,
    )
    if not changed:
        raise StaleSubmission
    submission.refresh_from_db()
    SubmissionVersion.objects.create(
        submission=submission,
        number=submission.versions.count() + 1,
        submitted_at=now,
        submitted_by=by,
        content=submission.answers,
    )
    log(
        submission.inspection,
        by,
        f"Gửi {submission.get_kind_display().lower()}",
        unit=submission.unit,
        now=now,
    )
    return submission


@transaction.atomic
def review_unit_submission(*, submission, by, accept, comment="", now=None):
    """The office accepts the report, or returns it with what to fix."""
    now = now or timezone.now()
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Hãy ghi rõ cần sửa gì khi trả lại báo cáo.")})
    status = UnitSubmission.Status.ACCEPTED if accept else UnitSubmission.Status.RETURNED
    changed = UnitSubmission.objects.filter(
        pk=submission.pk, status=UnitSubmission.Status.SUBMITTED
    ).update(
        status=status,
        reviewed_at=now,
        reviewed_by=by,
        review_comment=comment,
        lock_version=F("lock_version") + 1,
    )
    if not changed:
        raise StaleSubmission
    submission.versions.filter(outcome="").update(
        outcome=status, comment=comment, reviewed_at=now, reviewed_by=by
    )
    submission.refresh_from_db()
    verb = "Chấp nhận" if accept else "Trả lại"
    log(
        submission.inspection,
        by,
        f"{verb} {submission.get_kind_display().lower()}",
        unit=submission.unit,
        now=now,
    )
    return submission


# The team's minutes and the office's conclusion.


def minutes_items(inspected):
    """The unit's minutes, one item per content, created on first use."""
    # Read afresh: a prefetched (and maybe empty) list would create the items twice.
    items = list(MinutesItem.objects.filter(inspected_unit=inspected).order_by("position"))
    if not items:
        MinutesItem.objects.bulk_create(
            MinutesItem(inspected_unit=inspected, position=n, content=content[:300])
            for n, content in enumerate(inspected.inspection.contents)
        )
        items = list(MinutesItem.objects.filter(inspected_unit=inspected).order_by("position"))
    return items


@transaction.atomic
def save_minutes(*, inspected, by, rows, now=None):
    """Save the minutes: `rows` {position: (checked, found, rating)}; refused once signed."""
    if inspected.minutes_signed:
        raise ValidationError(_("Biên bản đã được Trưởng đoàn ký nên không sửa được."))
    valid = {rating.value for rating in Rating} | {""}
    for item in minutes_items(inspected):
        if item.position not in rows:
            continue
        checked, found, rating = rows[item.position]
        if rating not in valid:
            raise ValidationError(_("Đánh giá không hợp lệ."))
        item.checked, item.found, item.rating = checked, found, rating
        item.save(update_fields=["checked", "found", "rating"])
    log(
        inspected.inspection,
        by,
        f"Ghi biên bản kiểm tra {inspected.unit.name}",
        unit=inspected.unit,
        now=now,
    )


@transaction.atomic
def sign_minutes(*, inspected, by, now=None):
    """The team leader signs the minutes off: every content must be rated; then locked."""
    now = now or timezone.now()
    if not inspected.inspection.team.filter(user=by, is_leader=True).exists():
        raise ValidationError(_("Chỉ Trưởng đoàn ký biên bản."))
    items = minutes_items(inspected)
    if any(not item.rating for item in items):
        raise ValidationError(_("Hãy đánh giá tất cả nội dung trước khi ký biên bản."))
    changed = InspectedUnit.objects.filter(pk=inspected.pk, minutes_signed_at=None).update(
        minutes_signed_at=now, minutes_signed_by=by
    )
    if not changed:
        raise ValidationError(_("Biên bản đã được ký."))
    inspected.minutes_signed_at, inspected.minutes_signed_by = now, by
    log(
        inspected.inspection,
        by,
        f"Trưởng đoàn ký biên bản kiểm tra {inspected.unit.name}",
        unit=inspected.unit,
        now=now,
    )


@transaction.atomic
def conclude(*, inspected, by, findings, symbol="", issued_on=None, now=None):
    """The conclusion on a unit, written after its minutes are signed."""
    now = now or timezone.now()
    if not inspected.minutes_signed:
        raise ValidationError(_("Kết luận sau khi Trưởng đoàn đã ký biên bản."))
    if not findings.strip():
        raise ValidationError({"findings": _("Hãy ghi kết luận kiểm tra.")})
    inspected.findings = findings
    inspected.conclusion_symbol, inspected.conclusion_issued_on = symbol, issued_on
    inspected.concluded_at = inspected.concluded_at or now
    inspected.concluded_by = by
    inspected.save(
        update_fields=[
            "findings",
            "conclusion_symbol",
            "conclusion_issued_on",
            "concluded_at",
            "concluded_by",
        ]
    )
    log(
        inspected.inspection,
        by,
        f"Kết luận kiểm tra {inspected.unit.name}",
        unit=inspected.unit,
        now=now,
    )


def follow_up_area(plan):
    """The plan's "Khắc phục sau kiểm tra" area, added after the last one on first use."""
    area = plan.areas.filter(title=FOLLOW_UP_AREA).first()
    if area is None:
        last = plan.areas.aggregate(last=Max("order"))["last"] or 0
        area = Area.objects.create(
            plan=plan, order=last + 1, title=FOLLOW_UP_AREA, numeral=roman(last + 1)
        )
    return area


def roman(number):
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, letters in numerals:
        while number >= value:
            text, number = text + letters, number - value
    return text


@transaction.atomic
def add_recommendation(*, inspected, by, text, lead_unit, due_date, finding="", now=None):
    """A recommendation of the conclusion, turned into a task of the plan with its deadline."""
    now = now or timezone.now()
    inspection = inspected.inspection
    plan = inspection.plan
    if not inspected.concluded:
        raise ValidationError(_("Hãy ghi kết luận trước khi thêm kiến nghị."))
    if not text.strip():
        raise ValidationError({"text": _("Hãy ghi nội dung kiến nghị.")})
    if lead_unit is None or lead_unit.agency_id != plan.agency_id:
        raise ValidationError({"lead_unit": _("Hãy chọn đơn vị thực hiện của cơ quan.")})
    if due_date is None or due_date < timezone.localdate(now):
        raise ValidationError({"due_date": _("Hạn khắc phục phải từ hôm nay trở đi.")})
    area = follow_up_area(plan)
    last = plan.tasks.aggregate(number=Max("number"), order=Max("order"))
    task = Task(
        plan=plan,
        area=area,
        number=(last["number"] or 0) + 1,
        order=(last["order"] or 0) + 1,
        content=text.strip(),
        deliverable="Báo cáo kết quả khắc phục",
        lead_names=[lead_unit.name],
        deadline_text=f"{due_date:%d/%m/%Y}",
        deadline_kind=DeadlineKind.DATE,
        due_date=due_date,
        note=f"Kiến nghị sau kiểm tra CCHC năm {plan.year} tại {inspected.unit.name}",
        # Added by the office, not by the plan's document: a revision import keeps it.
        added_by=by,
        added_at=now,
        added_reason=f"Kiến nghị sau kiểm tra CCHC tại {inspected.unit.name}",
    )
    task.save()
    task.lead_units.set([lead_unit])
    ProgressUpdate.objects.create(
        task=task,
        author=by,
        kind=ProgressUpdate.Kind.REVISION,
        narrative=f"Giao theo kết luận kiểm tra CCHC tại {inspected.unit.name}.",
        created_at=now,
    )
    recommendation = Recommendation.objects.create(
        inspected_unit=inspected,
        finding=finding,
        text=text.strip(),
        lead_unit=lead_unit,
        due_date=due_date,
        task=task,
        created_by=by,
        created_at=now,
    )
    log(
        inspection,
        by,
        f"Kiến nghị thành nhiệm vụ số {task.number}: {text.strip()[:120]}",
        unit=inspected.unit,
        now=now,
    )
    return recommendation


# The documents: each production is a new version, kept byte for byte.


@files.atomic()  # the file is published with its row, or not kept at all
def store_file(*, inspection, kind, content, by, inspected=None, now=None):
    # Locking the inspection serialises version numbers between two people pressing at once.
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    last = InspectionFile.objects.filter(
        inspection=inspection, inspected_unit=inspected, kind=kind
    ).aggregate(last=Max("version"))["last"]
    record = InspectionFile(
        inspection=inspection,
        inspected_unit=inspected,
        kind=kind,
        version=(last or 0) + 1,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=by,
        created_at=now or timezone.now(),
    )
    files.stage(record.file, f"{kind}.docx", content)
    record.save()
    unit = inspected.unit if inspected else None
    log(
        inspection,
        by,
        f"Tạo tệp {record.get_kind_display()} phiên bản {record.version}",
        unit=unit,
        now=now,
    )
    return record
