"""Plans, their areas and tasks, and the progress people record on them."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partrack import files
from partrack.links import object_url
from partrack.org.models import EVERY_UNIT_PHRASES, Agency, Membership, Unit
from partrack.plans.deadlines import DeadlineKind, parse_deadline
from partrack.plans.evidence import content_type, download_name, storage_name
from partrack.plans.periods import default_periods
from partrack.plans.plan_data import PlanData, PlanHead, SectionData, SignerData, TaskData
from partrack.vietnamese import fold, fold_body_name

# The months of the annual deadline as the importer writes it ("before 10 December").
_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.readable_by(user).select_related("agency")

    def readable_by(self, user):
        """Plans of the agencies the person reads; another agency's draft is its own business
        until issued, so people above it (the province) never see it (docs/domain.md, "Roles").
        """
        plans = self.filter(agency__in=Agency.objects.visible_to(user))
        if user.is_authenticated and user.is_superuser and user.is_active:
            return plans
        membership = Membership.of(user)
        own = membership.agency_id if membership is not None else None
        return plans.filter(~Q(status=Plan.Status.DRAFT) | Q(agency_id=own))

    def current(self):
        """Plans that are not archived: the ones every list, reminder and ranking works on."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False).select_related("archived_by")

    def active(self):
        """Current plans being carried out: what reminders, digests and calendars follow."""
        return self.current().filter(status=Plan.Status.ACTIVE)

    def same_year_as(self, *, agency, year):
        """The agency's current plans of that year (one plan per agency and year)."""
        return self.current().filter(agency=agency, year=year).order_by("pk")

    def current_of(self, agency_id):
        """The agency's active plan of the latest year, or None."""
        plans = self.active().filter(agency_id=agency_id)
        return plans.order_by("-year", "-pk").first()


class Plan(models.Model):
    """An agency's yearly reform plan, as issued."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ACTIVE = "active", _("Đang thực hiện")
        CLOSED = "closed", _("Đã kết thúc")

    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="plans", verbose_name=_("cơ quan")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    # "12/KH-SKHCN"; a draft may have only "/KH-SKHCN".
    symbol = models.CharField(_("số, ký hiệu"), max_length=50, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    # The signature block as issued: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / the name.
    signer_on_behalf = models.CharField(_("thay mặt"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    # The rules its body writes, as the importer read them: {"reporting": {…}, "inspection": {…}}
    # in the schema of expected.json's "plan" block.
    rules = models.JSONField(_("quy định trong kế hoạch"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.DRAFT)
    # The plan asks units to report "trước ngày 10": whether the 10th itself is on time is the
    # office's call, once per plan; as for task deadlines (docs/domain.md), it is by default.
    report_due_day_on_time = models.BooleanField(
        _("báo cáo gửi trong ngày hạn vẫn tính đúng hạn"), default=True
    )
    # The Thanh Hóa model: a task a unit reports done counts as done only once the office
    # confirms it (Task.completion holds the claim until then).
    done_needs_confirmation = models.BooleanField(
        _("nhiệm vụ hoàn thành cần Văn phòng xác nhận"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A plan made by mistake is archived, never deleted: it leaves every list and can come back.
    archived_at = models.DateTimeField(_("thời điểm lưu trữ"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lưu trữ"),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "agency__name"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return object_url("plan_detail", self.pk)

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def signature(self):
        """The signature block's lines, as the plan was signed."""
        return [s for s in (self.signer_on_behalf, self.signer_title, self.signer_name) if s]

    def rules_described(self):
        """[(label, text)]: the reporting and inspection rules the plan writes, in Vietnamese."""
        lines = []
        reporting = self.rules.get("reporting", {})
        inspection = self.rules.get("inspection", {})
        quarterly = re.search(r"(\d+)", reporting.get("quarterly_and_half_year_due", ""))
        if quarterly:
            lines.append(
                (
                    _("Báo cáo quý, 6 tháng"),
                    _("trước ngày %(day)s của tháng cuối quý") % {"day": quarterly[1]},
                )
            )
        annual = re.search(r"(\d+) (\w+)", reporting.get("annual_due", ""))
        if annual and annual[2] in _MONTHS:
            day_month = f"{int(annual[1]):02d}/{_MONTHS.index(annual[2]) + 1:02d}"
            lines.append((_("Báo cáo năm"), _("trước ngày %(day)s") % {"day": day_month}))
        if reporting.get("to"):
            lines.append((_("Gửi báo cáo về"), reporting["to"]))
        share = inspection.get("share_of_units")
        if share:
            percent = f"{share * 100:g}".replace(".", ",")
            lines.append(
                (_("Kiểm tra CCHC"), _("%(percent)s%% số đơn vị mỗi năm") % {"percent": percent})
            )
        if inspection.get("when"):
            lines.append((_("Thời gian kiểm tra"), ", ".join(inspection["when"])))
        return lines

    @property
    def inspection_share(self):
        """The share of units to inspect each year (0.25), when the plan writes one."""
        return self.rules.get("inspection", {}).get("share_of_units")

    def ensure_periods(self):
        """Create the plan year's reporting periods that do not exist yet (defaults of 581/BNV)."""
        have = set(self.periods.values_list("kind", flat=True))
        ReportingPeriod.objects.bulk_create(
            ReportingPeriod(
                plan=self,
                kind=p["kind"],
                starts_on=p["starts_on"],
                ends_on=p["ends_on"],
                unit_due=p["unit_due"],
            )
            for p in default_periods(self.year)
            if p["kind"] not in have
        )

    def plan_data(self):
        """The plan as PlanData: what import reads and export writes."""
        tasks = self.tasks.select_related("area").order_by("area__order", "order")
        sections = {
            area.pk: SectionData(numeral=area.numeral, title=area.title)
            for area in self.areas.all()
        }
        for task in tasks:
            sections[task.area_id].tasks.append(
                TaskData(
                    number=task.number,
                    content=task.content,
                    deliverable=task.deliverable,
                    lead=task.lead_names,
                    coordinators=task.coordinating_names,
                    deadline_text=task.deadline_text,
                    deadline_kind=task.deadline_kind,
                    due_date=task.due_date,
                    note=task.note,
                    extra=task.extra,
                )
            )
        head = PlanHead(
            title=self.title,
            agency=self.agency.name,
            year=self.year,
            symbol=self.symbol,
            signer=SignerData(
                name=self.signer_name, title=self.signer_title, on_behalf=self.signer_on_behalf
            ),
            recipients=list(self.recipients),
            rules=dict(self.rules),
        )
        return PlanData(head=head, sections=list(sections.values()))

    def as_data(self):
        """The plan in expected.json's schema (``plan_data()``'s dict)."""
        return self.plan_data().to_dict(with_issue=False)


class PlanEvent(models.Model):
    """One entry of a plan's own history: its facts corrected, archived, restored, or made beside
    another plan of the same year (with the reason)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Nhập kế hoạch")
        FACTS = "facts", _("Sửa thông tin kế hoạch")
        ARCHIVED = "archived", _("Lưu trữ")
        RESTORED = "restored", _("Khôi phục")
        SETTINGS = "settings", _("Thay đổi cài đặt kế hoạch")

    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="events", verbose_name=_("kế hoạch")
    )
    # None when the change came from the command line.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind)
    narrative = models.TextField(_("nội dung"), blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("lịch sử kế hoạch")
        verbose_name_plural = _("lịch sử kế hoạch")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.plan_id} {self.kind} @ {self.created_at:%d/%m/%Y}"


class ReportingPeriodQuerySet(models.QuerySet):
    def of_active_plans(self):
        """Periods of plans being carried out (not archived, not closed)."""
        return self.filter(plan__status=Plan.Status.ACTIVE, plan__archived_at__isnull=True)

    def current(self, today):
        """The period units are reporting for now: the first (by unit deadline) not yet closed."""
        return ReportingPeriod.current_of(self, today)


@dataclass(frozen=True)
class ReportStanding:
    """Where a unit's report for a period stands on a day (ReportingPeriod.report_standing)."""

    NOT_DUE = "not_due"
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"

    code: str
    # NOT_DUE: days left to the last day on time; LATE: days late at the first submission;
    # MISSING: days overdue as of the day asked; ON_TIME: 0.
    days: int
    deadline: date  # the last day on time

    @property
    def is_sent(self):
        return self.code in (self.ON_TIME, self.LATE)

    @property
    def is_overdue(self):
        """Late or missing: the deadline passed before anything came."""
        return self.code in (self.LATE, self.MISSING)

    @property
    def label(self):
        if self.code == self.ON_TIME:
            return _("Đã gửi đúng hạn")
        if self.code == self.LATE:
            return _("Đã gửi chậm %(days)s ngày") % {"days": self.days}
        if self.code == self.MISSING:
            return _("Chưa gửi — quá hạn %(days)s ngày") % {"days": self.days}
        if self.days == 0:
            return _("Chưa gửi — hạn cuối hôm nay")
        return _("Chưa gửi — còn %(days)s ngày") % {"days": self.days}


class ReportingPeriod(models.Model):
    """Quý I, 6 tháng, Quý III or Năm of a plan: its data window and its deadlines.

    Which tasks a period judges (docs/domain.md, "The reporting cycle"): each dated task
    exactly once, in the first period whose data window ends on or after its due date; a task
    due after the last window (15–31/12, or a later year) goes to the last period, the year's.
    """

    class Kind(models.TextChoices):
        Q1 = "q1", _("Quý I")
        H1 = "h1", _("6 tháng")
        Q3 = "q3", _("Quý III")
        YEAR = "year", _("Năm")

    plan = models.ForeignKey(
        "Plan", models.CASCADE, related_name="periods", verbose_name=_("kế hoạch")
    )
    kind = models.CharField(_("kỳ báo cáo"), max_length=10, choices=Kind)
    starts_on = models.DateField(_("số liệu từ ngày"))
    ends_on = models.DateField(_("số liệu đến ngày"))
    # The day the plan names ("trước ngày 10/3"); whether it is itself on time is the plan's
    # report_due_day_on_time.
    unit_due = models.DateField(_("hạn đơn vị gửi báo cáo"))
    # Set by the office each period, from Sở Nội vụ's request; none until then.
    agency_due = models.DateField(_("hạn gửi Sở Nội vụ"), null=True, blank=True)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["plan", "unit_due"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="period_kind_unique_in_plan"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.plan.year}"

    @staticmethod
    def current_of(periods, today):
        """Of `periods`, the first by unit deadline that has not closed on `today`, or None."""
        ordered = sorted(periods, key=lambda p: (p.unit_due, p.pk or 0))
        return next((p for p in ordered if p.closes_on >= today), None)

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        if self.unit_due and self.agency_due and self.unit_due > self.agency_due:
            raise ValidationError(
                {"agency_due": _("Hạn gửi Sở Nội vụ phải sau hạn đơn vị gửi báo cáo.")}
            )

    def news_since(self):
        """The first day whose progress is new in this period's report.

        The windows of 581/BNV overlap (the year's covers Quý I), but a task counts as reported
        in this period only when its unit wrote something after the previous period's data.
        """
        previous = self.plan.periods.filter(ends_on__lt=self.ends_on).order_by("-ends_on").first()
        return previous.ends_on + timedelta(days=1) if previous else self.starts_on

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on

    # The units' deadline.

    @property
    def unit_last_day(self):
        """The last day a unit's report is on time: the named day, or the day before it."""
        if self.plan.report_due_day_on_time:
            return self.unit_due
        return self.unit_due - timedelta(days=1)

    def days_late(self, submitted_on):
        """Days after the last day on time (0 when on time)."""
        return max(0, (submitted_on - self.unit_last_day).days)

    def report_standing(self, first_submitted_at, *, today):
        """Where a unit's report stands on `today`, from its first submission (None: never).

        A report not submitted by its deadline is late, and stays late until it comes.
        """
        last = self.unit_last_day
        if first_submitted_at is not None:
            late = self.days_late(timezone.localdate(first_submitted_at))
            code = ReportStanding.LATE if late else ReportStanding.ON_TIME
            return ReportStanding(code, late, last)
        if today > last:
            return ReportStanding(ReportStanding.MISSING, (today - last).days, last)
        return ReportStanding(ReportStanding.NOT_DUE, (last - today).days, last)

    @property
    def unit_deadline_text(self):
        """ "trước ngày 10/03/2026 (gửi trong ngày 10/03/2026 vẫn đúng hạn)"."""
        named = f"{self.unit_due:%d/%m/%Y}"
        if self.plan.report_due_day_on_time:
            return _("trước ngày %(day)s (gửi trong ngày %(day)s vẫn đúng hạn)") % {"day": named}
        return _("trước ngày %(day)s (hạn cuối %(last)s)") % {
            "day": named,
            "last": f"{self.unit_last_day:%d/%m/%Y}",
        }

    @property
    def closes_on(self):
        """The last day the period is the one being reported on.

        The agency's deadline when the office has set it; otherwise the end of the month of the
        data window's end, as the agency's report always goes before then. Not a deadline: it
        is never shown as one.
        """
        if self.agency_due is not None:
            return self.agency_due
        end = self.ends_on
        return date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])

    # Which tasks the period judges, and on which day.

    def judged_bounds(self, periods=None):
        """(after, until): the period judges tasks due in (after, until]; None is open.

        `periods` is every period of the plan (read when not given: one query).
        """
        if periods is None:
            periods = list(self.plan.periods.all())
        earlier = [p.ends_on for p in periods if p.ends_on < self.ends_on]
        later = [p for p in periods if p.ends_on > self.ends_on]
        return (max(earlier) if earlier else None, self.ends_on if later else None)

    def judges(self, due_date, periods=None):
        if due_date is None:
            return False
        after, until = self.judged_bounds(periods)
        return (after is None or due_date > after) and (until is None or due_date <= until)

    @property
    def year_end(self):
        return date(self.plan.year, 12, 31)

    def is_last(self, periods=None):
        return self.judged_bounds(periods)[1] is None

    def judging_day(self, today, periods=None):
        """The day the period's figures are judged on: the end of its data window (or today).

        The last period (the year's) also judges the tasks due 15–31/12: its figures run to
        31/12, and read "tính đến ngày …" until then.
        """
        end = max(self.ends_on, self.year_end) if self.is_last(periods) else self.ends_on
        return min(today, end)

    def figures_are_final(self, today, periods=None):
        end = max(self.ends_on, self.year_end) if self.is_last(periods) else self.ends_on
        return today > end

    def state_day(self, today, periods=None):
        """The day to judge task states on (Task.state): the figures' day while it runs; once
        the period is over, the day after its end, so that a task still open at the end of its
        due date (31/12 for the year) counts as overdue."""
        return after_the_day(self.judging_day(today, periods), today)


def after_the_day(day, today):
    """`day`, or the next one once `today` is past it: figures "as of the end of `day`"."""
    return day + timedelta(days=1) if today > day else day


class Area(models.Model):
    """One of the plan's reform areas (I … VII), in the plan's order."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="areas", verbose_name=_("kế hoạch"))
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    numeral = models.CharField(_("số La Mã"), max_length=10, blank=True)
    title = models.CharField(_("lĩnh vực"), max_length=300)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="area_order_unique_in_plan"),
        ]

    def __str__(self):
        return f"{self.numeral}. {self.title}" if self.numeral else self.title


class Status(models.TextChoices):
    """What people record about a task. The rest of its state is computed from dates."""

    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANNOT_DO = "cannot_do", _("Không thực hiện được")


class State(models.TextChoices):
    """A task's state as of a day: its recorded status judged against its deadline."""

    OVERDUE = "overdue", _("Quá hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    ON_REQUEST = "on_request", _("Theo yêu cầu")
    UNDATED = "undated", _("Chưa xác định thời hạn")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    CANNOT_DO = "cannot_do", _("Không thực hiện được")


class Completion(models.TextChoices):
    """Where a unit's "done" stands on a plan whose completions the office confirms."""

    NONE = "", _("—")
    PENDING = "pending", _("Đã báo cáo hoàn thành — chờ xác nhận")
    RETURNED = "returned", _("Văn phòng trả lại báo cáo hoàn thành")


DEADLINE_KIND_LABELS = {
    DeadlineKind.DATE: _("Ngày cụ thể"),
    DeadlineKind.MONTH: _("Tháng"),
    DeadlineKind.QUARTER: _("Quý"),
    DeadlineKind.HALF: _("6 tháng"),
    DeadlineKind.YEAR: _("Năm"),
    DeadlineKind.RANGE: _("Giai đoạn"),
    DeadlineKind.CONTINUOUS: _("Thường xuyên"),
    DeadlineKind.ON_REQUEST: _("Theo yêu cầu"),
    DeadlineKind.UNKNOWN: _("Chưa đọc được"),
}


def state_conditions(today, soon_days=None):
    """The SQL condition of each computed state on `today`; together they partition all tasks."""
    if soon_days is None:
        soon_days = settings.PARTRACK_DUE_SOON_DAYS
    soon = today + timedelta(days=soon_days)
    is_open = ~Q(status__in=[Status.DONE, Status.CANNOT_DO])
    dated = Q(due_date__isnull=False)
    # A continuous task is judged per reporting period, never overdue as a whole.
    judged = dated & ~Q(deadline_kind=DeadlineKind.CONTINUOUS)
    # The day an open task is chased on: the extension the office granted, else the plan's date.
    plain = Q(extended_to__isnull=True)
    later = dated & (
        Q(deadline_kind=DeadlineKind.CONTINUOUS)
        | (plain & Q(due_date__gt=soon))
        | Q(extended_to__gt=soon)
    )
    return {
        State.DONE_ON_TIME: Q(status=Status.DONE)
        & (Q(done_on__isnull=True) | Q(due_date__isnull=True) | Q(done_on__lte=F("due_date"))),
        State.DONE_LATE: Q(status=Status.DONE, done_on__gt=F("due_date")),
        State.CANNOT_DO: Q(status=Status.CANNOT_DO),
        State.ON_REQUEST: is_open & Q(due_date__isnull=True, deadline_kind=DeadlineKind.ON_REQUEST),
        State.UNDATED: is_open
        & Q(due_date__isnull=True)
        & ~Q(deadline_kind=DeadlineKind.ON_REQUEST),
        State.OVERDUE: is_open
        & judged
        & ((plain & Q(due_date__lt=today)) | Q(extended_to__lt=today)),
        State.DUE_SOON: is_open
        & judged
        & (
            (plain & Q(due_date__gte=today, due_date__lte=soon))
            | Q(extended_to__gte=today, extended_to__lte=soon)
        ),
        State.IN_PROGRESS: is_open & later & Q(status=Status.IN_PROGRESS),
        State.NOT_STARTED: is_open & later & Q(status=Status.NOT_STARTED),
    }


class TaskQuerySet(models.QuerySet):
    def of_active_plans(self):
        """Tasks of plans being carried out: an archived plan's tasks are never chased."""
        return self.filter(plan__status=Plan.Status.ACTIVE, plan__archived_at__isnull=True)

    def for_listing(self):
        """What a task list shows: the area and the lead units, in the plan's order."""
        return (
            self.select_related("area")
            .prefetch_related("lead_units")
            .order_by("area__order", "order", "number")
        )

    def with_state(self, today):
        """Annotate `state_code`, the task's State as of `today`, computed in SQL."""
        whens = [When(cond, then=Value(state)) for state, cond in state_conditions(today).items()]
        return self.annotate(state_code=Case(*whens, output_field=models.CharField()))

    def in_state(self, state, today):
        return self.filter(state_conditions(today)[state])

    def overdue_first(self, today):
        """Overdue first, then the soonest due; tasks without a date last."""
        overdue = state_conditions(today)[State.OVERDUE]
        return self.annotate(
            overdue_rank=Case(When(overdue, then=Value(0)), default=Value(1))
        ).order_by("overdue_rank", F("due_date").asc(nulls_last=True), "area__order", "order")

    def reported_since(self, day):
        """Annotate `reported`: has the lead unit (or the office) recorded progress since `day`?"""
        updates = ProgressUpdate.objects.filter(
            task=OuterRef("pk"),
            kind__in=ProgressUpdate.REPORT_KINDS,
            created_at__date__gte=day,
        )
        return self.annotate(reported=Exists(updates))

    def open(self):
        return self.exclude(status__in=[Status.DONE, Status.CANNOT_DO])

    def judged_in(self, period, periods=None):
        """The tasks `period` judges (ReportingPeriod.judged_bounds): each dated task once."""
        after, until = period.judged_bounds(periods)
        tasks = self.filter(due_date__isnull=False)
        if after is not None:
            tasks = tasks.filter(due_date__gt=after)
        if until is not None:
            tasks = tasks.filter(due_date__lte=until)
        return tasks

    def finished(self):
        return self.filter(status__in=[Status.DONE, Status.CANNOT_DO])

    def with_working_due(self):
        """Annotate `working_due`: the day an open task is chased on (an extension, or the
        plan's date)."""
        return self.annotate(working_due=Coalesce("extended_to", "due_date"))

    def due_within(self, today, days):
        """Open tasks with a real deadline from today to `days` ahead, soonest first."""
        return (
            self.open()
            .exclude(deadline_kind=DeadlineKind.CONTINUOUS)
            .with_working_due()
            .filter(working_due__gte=today, working_due__lte=today + timedelta(days=days))
            .order_by("working_due", "area__order", "order")
        )

    def awaiting_confirmation(self):
        return self.filter(completion=Completion.PENDING)

    def led_by(self, unit):
        return self.filter(lead_units=unit)

    def coordinated_by(self, unit):
        """Tasks the unit coordinates: named, or one of "every unit of the agency"."""
        named = Task.coordinating_units.through.objects.filter(
            task_id=OuterRef("pk"), unit_id=unit.pk
        )
        every = Q(every_unit_coordinates=True, plan__agency_id=unit.agency_id)
        return self.filter(Exists(named) | every).exclude(lead_units=unit)

    def search(self, query):
        """Tasks holding every word of the query, ignoring case and diacritics."""
        tasks = self
        for word in fold(query).split():
            tasks = tasks.filter(search_text__contains=word)
        return tasks

    def state_counts(self, today):
        """{state: count} over the queryset, in one query."""
        conditions = state_conditions(today)
        totals = self.aggregate(
            **{state.value: Count("pk", filter=cond) for state, cond in conditions.items()}
        )
        return {state: totals[state.value] for state in conditions}

    def state_counts_by_area(self, today):
        """[{area_id, total, <state>: count, …}] in one query."""
        conditions = state_conditions(today)
        return list(
            self.order_by()
            .values("area_id")
            .annotate(
                total=Count("pk"),
                **{state.value: Count("pk", filter=cond) for state, cond in conditions.items()},
            )
        )


class Task(models.Model):
    """One row of the plan's appendix: what must be done, by whom, by when."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="tasks", verbose_name=_("kế hoạch"))
    area = models.ForeignKey(Area, models.CASCADE, related_name="tasks", verbose_name=_("lĩnh vực"))
    number = models.PositiveIntegerField(_("số thứ tự"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    content = models.TextField(_("nội dung, nhiệm vụ"))
    deliverable = models.TextField(_("sản phẩm"), blank=True)
    # The names as the plan writes them, kept verbatim; the units they match are below.
    lead_names = models.JSONField(_("cơ quan chủ trì (như văn bản)"), default=list, blank=True)
    coordinating_names = models.JSONField(
        _("cơ quan phối hợp (như văn bản)"), default=list, blank=True
    )
    lead_units = models.ManyToManyField(
        Unit, related_name="led_tasks", blank=True, verbose_name=_("đơn vị chủ trì")
    )
    coordinating_units = models.ManyToManyField(
        Unit, related_name="coordinated_tasks", blank=True, verbose_name=_("đơn vị phối hợp")
    )
    # The plan names every unit as coordinating ("Các phòng, đơn vị thuộc Sở"): that means
    # the agency's units of today, including those created after the plan was imported.
    every_unit_coordinates = models.BooleanField(default=False, editable=False)
    # Coordinating bodies outside the agency ("Các cơ quan, đơn vị có liên quan").
    outside_bodies = models.JSONField(_("cơ quan phối hợp bên ngoài"), default=list, blank=True)
    deadline_text = models.CharField(_("thời gian hoàn thành"), max_length=200, blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"),
        max_length=20,
        choices=list(DEADLINE_KIND_LABELS.items()),
        default=DeadlineKind.UNKNOWN,
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    condition = models.CharField(_("điều kiện"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Columns of the issued table that have no field here, under their own header.
    extra = models.JSONField(_("cột khác"), default=dict, blank=True)

    # The latest recorded progress (ProgressUpdate keeps the history).
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # Set by the sub-items (derive_status) unless the lead unit set it by hand, with a reason.
    status_set_by_hand = models.BooleanField(_("tình trạng do đơn vị đặt"), default=False)
    status_reason = models.TextField(_("lý do đặt tình trạng khác nội dung con"), blank=True)
    # A unit's "done" waiting for the office (Plan.done_needs_confirmation), or sent back.
    completion = models.CharField(
        _("xác nhận hoàn thành"), max_length=10, choices=Completion, blank=True, default=""
    )
    # The office's extension: the plan's due_date stays, and judges "done on time".
    extended_to = models.DateField(_("gia hạn đến"), null=True, blank=True)
    extension_requests_allowed = models.PositiveSmallIntegerField(
        _("số lần được đề nghị gia hạn"), default=1
    )
    # A task the office added after the import ("bổ sung"): revisions keep it.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người bổ sung"),
    )
    added_at = models.DateTimeField(_("thời điểm bổ sung"), null=True, blank=True)
    added_reason = models.TextField(_("lý do bổ sung"), blank=True)
    # Bumped on every write; a form carries it so that a stale save is refused, not lost.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    # Folded copy of the task's words, so that search ignores diacritics on every database.
    search_text = models.TextField(editable=False, default="")

    # A province's plan names agencies (Sở …, UBND các xã), not units, as its lead and
    # coordinating bodies (docs/domain.md, "The province's plan"); empty on an agency's plan.
    lead_agencies = models.ManyToManyField(
        Agency, related_name="led_province_tasks", blank=True, verbose_name=_("cơ quan chủ trì")
    )
    coordinating_agencies = models.ManyToManyField(
        Agency,
        related_name="coordinated_province_tasks",
        blank=True,
        verbose_name=_("cơ quan phối hợp"),
    )
    # The province task this agency task carries out (at most one), chosen by the agency's office.
    carries_out = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_out_by",
        verbose_name=_("thực hiện nhiệm vụ của Kế hoạch tỉnh"),
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "area__order", "order", "number"]
        indexes = [models.Index(fields=["plan", "due_date"])]

    def __str__(self):
        return f"{self.number}. {self.content[:80]}"

    def save(self, *args, **kwargs):
        self.derive_fields()
        if self.area_id and not self.plan_id:
            self.plan_id = self.area.plan_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return object_url("task_detail", self.pk)

    def derive_fields(self):
        """Fields kept in step with the task's words; bulk writes call this, as save() does."""
        self.search_text = self.build_search_text()
        self.every_unit_coordinates = any(
            fold_body_name(name) in EVERY_UNIT_PHRASES for name in self.coordinating_names
        )

    def build_search_text(self):
        parts = [
            str(self.number or ""),
            self.content,
            self.deliverable,
            *self.lead_names,
            *self.coordinating_names,
            self.deadline_text,
            self.note,
        ]
        return fold(" ".join(parts))

    def set_deadline(self, text, plan_year):
        """Keep the words as written and date them; text we cannot read stays undated."""
        deadline = parse_deadline(text, plan_year)
        self.deadline_text = text
        self.deadline_kind = deadline.kind
        self.due_date = deadline.due_date
        self.condition = deadline.condition

    def state(self, today, soon_days=None):
        """The task's State on `today` (the same rule as state_conditions, in Python)."""
        if soon_days is None:
            soon_days = settings.PARTRACK_DUE_SOON_DAYS
        if self.status == Status.DONE:
            if self.done_on and self.due_date and self.done_on > self.due_date:
                return State.DONE_LATE
            return State.DONE_ON_TIME
        if self.status == Status.CANNOT_DO:
            return State.CANNOT_DO
        if self.due_date is None:
            if self.deadline_kind == DeadlineKind.ON_REQUEST:
                return State.ON_REQUEST
            return State.UNDATED
        if self.deadline_kind != DeadlineKind.CONTINUOUS:
            # Done on time is judged against the plan's date (above); the office's extension
            # only moves the day the open task is chased on.
            due = self.working_due_date
            if due < today:
                return State.OVERDUE
            if due <= today + timedelta(days=soon_days):
                return State.DUE_SOON
        if self.status == Status.IN_PROGRESS:
            return State.IN_PROGRESS
        return State.NOT_STARTED

    @property
    def is_added(self):
        """Added by the office after the import ("bổ sung")."""
        return self.added_at is not None

    @property
    def working_due_date(self):
        """The day the open task is chased on: the granted extension, else the plan's date."""
        return self.extended_to or self.due_date

    @property
    def extension_text(self):
        """ "gia hạn từ 31/03/2026 đến 30/06/2026", or ""."""
        if not (self.extended_to and self.due_date):
            return ""
        return _("gia hạn từ %(start)s đến %(end)s") % {
            "start": f"{self.due_date:%d/%m/%Y}",
            "end": f"{self.extended_to:%d/%m/%Y}",
        }

    @property
    def awaits_confirmation(self):
        return self.completion == Completion.PENDING

    @property
    def lead_names_differ(self):
        """Whether the plan names the lead differently from the units it was matched to."""
        return self.lead_names != [unit.name for unit in self.lead_units.all()]

    def is_coordinated_by(self, unit_id):
        """Whether the unit coordinates the task (its lead units aside)."""
        if unit_id in {unit.pk for unit in self.lead_units.all()}:
            return False
        named = unit_id in {unit.pk for unit in self.coordinating_units.all()}
        return named or self.every_unit_coordinates

    @property
    def is_continuous(self):
        return self.deadline_kind == DeadlineKind.CONTINUOUS


class ProgressUpdateQuerySet(models.QuerySet):
    def for_history(self):
        return (
            self.select_related("author", "unit", "after_acceptance_of__plan")
            .prefetch_related("evidence", "cited__unit")
            .order_by("-created_at", "-pk")
        )

    def contributions(self):
        return self.filter(kind=ProgressUpdate.Kind.CONTRIBUTION).select_related("unit")


class ProgressUpdate(models.Model):
    """One entry of a task's history: a status report by its lead unit, or a contribution."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Cập nhật tiến độ")
        CONTRIBUTION = "contribution", _("Đóng góp của đơn vị phối hợp")
        REVISION = "revision", _("Điều chỉnh kế hoạch")
        ADDED = "added", _("Bổ sung nhiệm vụ")
        SUB_ITEMS = "sub_items", _("Nội dung con")
        EXTENSION = "extension", _("Gia hạn")
        COMPLETION = "completion", _("Báo cáo hoàn thành, chờ xác nhận")
        CONFIRMATION = "confirmation", _("Văn phòng xác nhận hoàn thành")
        RETURNED = "returned", _("Văn phòng trả lại báo cáo hoàn thành")

    task = models.ForeignKey(
        Task, models.CASCADE, related_name="updates", verbose_name=_("nhiệm vụ")
    )
    unit = models.ForeignKey(
        Unit,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_updates",
        verbose_name=_("đơn vị"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="progress_updates",
        verbose_name=_("người cập nhật"),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.UPDATE)
    # A contribution carries no status: only the lead unit (or the office) sets it.
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status, blank=True)
    previous_status = models.CharField(max_length=20, choices=Status, blank=True)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    previous_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    narrative = models.TextField(_("nội dung thực hiện"), blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # Why a task is done without evidence (docs/domain.md: done needs evidence or a written reason).
    no_evidence_reason = models.TextField(_("lý do không có minh chứng"), blank=True)
    # Set when the update changes what an accepted unit report of this period said: the
    # change is allowed, and both the history and the report show it.
    after_acceptance_of = models.ForeignKey(
        ReportingPeriod,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thay đổi sau khi báo cáo kỳ được chấp nhận"),
    )
    # Contributions of coordinating units that the lead unit's update draws on.
    cited = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="cited_by",
        verbose_name=_("đóng góp được trích dẫn"),
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    # Entries that set the task's recorded status (the consolidated report replays them).
    STATUS_KINDS = (Kind.UPDATE, Kind.CONFIRMATION)
    # Entries that count as the lead unit reporting on the task in a period.
    REPORT_KINDS = (Kind.UPDATE, Kind.COMPLETION)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.task_id} @ {self.created_at:%d/%m/%Y}"

    @property
    def changed_status(self):
        return bool(self.status) and self.status != self.previous_status


def evidence_path(evidence, filename):
    # Files live under the plan and task, with a random name so that a URL cannot be guessed,
    # ending in the extension of the type found in the file: never the uploader's `filename`.
    name = storage_name(evidence.file_type)
    return f"evidence/{evidence.task.plan_id}/{evidence.task_id}/{name}"


class Evidence(models.Model):
    """Proof of a task's progress: an official document (with or without its file), or a link."""

    task = models.ForeignKey(
        Task, models.CASCADE, related_name="evidence", verbose_name=_("nhiệm vụ")
    )
    # The history entry that added it; shown there, and cited in the unit's report.
    update = models.ForeignKey(
        ProgressUpdate,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+")
    # The sub-item it proves, when it proves one (it is the task's evidence all the same).
    sub_item = models.ForeignKey(
        "SubItem",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("nội dung con"),
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)
    file = models.FileField(_("tệp"), upload_to=evidence_path, blank=True, max_length=300)
    # As uploaded: shown to people, and the stem of the download's name (see download_name).
    file_name = models.CharField(max_length=255, blank=True)
    # What the file was found to be (plans/evidence.py): pdf, docx, xlsx, png, jpeg.
    file_type = models.CharField(max_length=10, blank=True)
    url = models.URLField(_("đường dẫn"), blank=True, max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["task", "issued_on", "pk"]

    def __str__(self):
        return self.citation()

    def get_absolute_url(self):
        return reverse("evidence_file", args=[self.pk])

    @property
    def content_type(self):
        """What the file is served as: from the type found in it, never from the uploader."""
        return content_type(self.file_type) or "application/octet-stream"

    @property
    def download_name(self):
        """The name as uploaded, ending in the extension of the type found in the file."""
        if self.file_type:
            return download_name(self.file_name, self.file_type)
        return "minh-chung"

    def citation(self):
        """How a report cites it: "Kế hoạch số 15/KH-SKHCN ngày 20/01/2026 về …"."""
        parts = []
        if self.number_symbol:
            parts.append(f"số {self.number_symbol}")
        if self.issued_on:
            parts.append(f"ngày {self.issued_on:%d/%m/%Y}")
        head = "Văn bản " + " ".join(parts) if parts else ""
        text = ": ".join(p for p in [head, self.summary] if p)
        return text or self.url or self.file_name


def derive_status(sub_items):
    """(status, percent, done_on) a task's sub-items give it, or None without sub-items.

    Every sub-item that can be done done: done, on the last one's day; none started: not
    started; every one impossible: cannot be done; otherwise in progress, the share done.
    """
    items = list(sub_items)
    if not items:
        return None
    doable = [i for i in items if i.status != Status.CANNOT_DO]
    if not doable:
        return Status.CANNOT_DO, 0, None
    done = [i for i in doable if i.status == Status.DONE]
    if len(done) == len(doable):
        days = [i.done_on for i in done if i.done_on]
        return Status.DONE, 100, max(days) if days else None
    if done or any(i.status == Status.IN_PROGRESS for i in doable):
        return Status.IN_PROGRESS, round(100 * len(done) / len(doable)), None
    return Status.NOT_STARTED, 0, None


class SubItem(models.Model):
    """One of several duties a task bundles (task 32: five), with its own status and evidence."""

    task = models.ForeignKey(
        Task, models.CASCADE, related_name="sub_items", verbose_name=_("nhiệm vụ")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    content = models.TextField(_("nội dung"))
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    note = models.TextField(_("kết quả thực hiện"), blank=True)

    class Meta:
        verbose_name = _("nội dung con")
        verbose_name_plural = _("nội dung con")
        ordering = ["task", "order", "pk"]

    def __str__(self):
        return f"{self.task_id}.{self.order} {self.content[:60]}"


class ExtensionRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ExtensionRequest.Status.PENDING)

    def for_listing(self):
        return self.select_related("unit", "requested_by", "decided_by").order_by(
            "-requested_at", "-pk"
        )


class ExtensionRequest(models.Model):
    """A lead unit's request for a later date; the office grants or refuses it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ Văn phòng xem xét")
        GRANTED = "granted", _("Đã chấp nhận")
        REFUSED = "refused", _("Không chấp nhận")

    task = models.ForeignKey(
        Task, models.CASCADE, related_name="extension_requests", verbose_name=_("nhiệm vụ")
    )
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("đơn vị")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người đề nghị")
    )
    requested_at = models.DateTimeField(_("thời điểm đề nghị"), default=timezone.now)
    # The day the task was due when asked (the plan's, or an earlier extension's).
    from_date = models.DateField(_("hạn hiện tại"))
    to_date = models.DateField(_("đề nghị gia hạn đến"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    comment = models.TextField(_("ý kiến của Văn phòng"), blank=True)

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One request waits at a time: a double click makes one.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="one_pending_extension_per_task",
            ),
        ]

    def __str__(self):
        return f"{self.task_id}: {self.from_date:%d/%m/%Y} → {self.to_date:%d/%m/%Y}"


# An evidence row deleted (by hand, or with its task when a revision removes it) takes its file
# with it once the deletion commits.
post_delete.connect(files.remove_files_after_delete, sender=Evidence)
