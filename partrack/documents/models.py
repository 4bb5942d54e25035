"""An uploaded plan document, read and waiting for a person to check it before it is saved.

``ImportDraft.data`` holds a documents.structure.DraftData: the plan in the schema of the seed's
expected.json (plans.plan_data) with what the review needs kept alongside: every row read with
its kind, the reader's notes and its own warnings (DraftRow), and the reader's warnings on the
whole document and the headers that map to no field. ``contents()`` reads it.

Warnings that depend on the agency's units or on the row's current words (a lead that matches
no unit, a deadline that cannot be dated) are not stored: they are checked on every render.
Nothing touches Plan or Task until the draft is confirmed.
"""

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from partrack.documents.services import import_new_plan, same_year_plan
from partrack.documents.structure import TASK, DraftData
from partrack.org.models import Agency
from partrack.plans import services
from partrack.plans.deadlines import DeadlineKind, parse_deadline
from partrack.plans.models import DEADLINE_KIND_LABELS, Plan, Task
from partrack.plans.plan_data import PlanData
from partrack.plans.revision import plan_changes
from partrack.vietnamese import fold

# Where a task sits in the document, kept with the task (the Task model has no field for it).
LABEL_KEY, GROUP_KEY = "Số thứ tự trong văn bản", "Nhóm nhiệm vụ"

# Reader warnings about what the review checks itself on every render; kept, they would say
# the same thing twice, and stay after the person fixed the row.
_CHECKED_LIVE = ("thoi han", "thoi gian hoan thanh", "noi dung nhiem vu", "co quan chu tri")

# A coordinating body written like a unit of the agency: when it matches no unit, it is
# probably misspelt rather than outside the agency.
_UNIT_WORDS = ("phong ", "chi cuc ", "trung tam ", "bo phan ", "van phong so")


class AlreadyConfirmed(Exception):
    """The draft was confirmed already (a double click, a second tab)."""


class StaleDraft(Exception):
    """The draft was edited in another tab since this form was opened."""


class ImportDraftQuerySet(models.QuerySet):
    def pending_for(self, agency):
        """Drafts never confirmed, newest first, with what their list shows."""
        return (
            self.filter(agency=agency, plan__isnull=True)
            .select_related("uploaded_by", "target_plan")
            .defer("data", "source")
            .order_by("-created_at", "-pk")
        )


class ImportDraft(models.Model):
    """A plan read from an uploaded document, waiting for review and confirmation."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="import_drafts", verbose_name=_lazy("cơ quan")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="import_drafts",
        verbose_name=_lazy("người tải lên"),
    )
    filename = models.CharField(_lazy("tên tệp"), max_length=255)
    sha256 = models.CharField(_lazy("mã SHA-256"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_lazy("thời điểm tải lên"), default=timezone.now)
    data = models.JSONField(_lazy("nội dung đọc được"))
    # When the upload is a revised version of a plan already tracked.
    target_plan = models.ForeignKey(
        Plan,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="revision_drafts",
        verbose_name=_lazy("kế hoạch được điều chỉnh"),
    )
    # The plan it created or revised; set, with confirmed_at, in the confirming transaction.
    plan = models.ForeignKey(
        Plan,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
        verbose_name=_lazy("kế hoạch đã nhập"),
    )
    confirmed_at = models.DateTimeField(_lazy("thời điểm xác nhận"), null=True, blank=True)
    # Bumped on every saved edit; the review form carries it so that a stale save is refused.
    version = models.PositiveIntegerField(default=1)
    # The uploaded file, to read again once the office has said what the columns hold.
    source = models.BinaryField(_lazy("tệp tải lên"), null=True, blank=True, editable=False)

    objects = ImportDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _lazy("bản nhập kế hoạch")
        verbose_name_plural = _lazy("bản nhập kế hoạch")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("import_review", args=[self.pk])

    @classmethod
    def start(cls, *, parsed, agency, by, filename, sha256, target_plan=None, source=None):
        """Save what the reader found in the upload, with its warnings, for review."""
        return cls.objects.create(
            agency=agency,
            uploaded_by=by,
            filename=filename[:255],
            sha256=sha256,
            data=draft_data(parsed),
            target_plan=target_plan,
            source=source,
        )

    @classmethod
    def start_unread(cls, *, error, agency, by, filename, sha256, source, target_plan=None):
        """Keep an upload in which no task table was found, for the office to map its columns."""
        data = DraftData(warnings=[error.message], tables_seen=list(error.tables_seen))
        return cls.objects.create(
            agency=agency,
            uploaded_by=by,
            filename=filename[:255],
            sha256=sha256,
            data=data.to_dict(),
            target_plan=target_plan,
            source=source,
        )

    # What `data` was when contents() last read it.
    _contents_of = None

    def contents(self):
        """``data`` as DraftData, read once for each value ``data`` takes; not to be changed
        in place (``DraftData.from_dict(draft.data)`` gives a copy to edit)."""
        if self._contents_of is not self.data:
            self._contents, self._contents_of = DraftData.from_dict(self.data), self.data
        return self._contents

    @property
    def needs_columns(self):
        """Whether the reader found no task table: the office must say what the columns hold."""
        return not self.contents().sections

    def read_again(self, *, parsed):
        """Replace what was read with a new reading of the same file (columns mapped by hand)."""
        ImportDraft.objects.filter(pk=self.pk, plan__isnull=True).update(
            data=draft_data(parsed), version=models.F("version") + 1
        )
        self.refresh_from_db(fields=["data", "version"])

    @property
    def is_confirmed(self):
        return self.plan_id is not None

    @property
    def year(self):
        if self.target_plan_id:
            return self.target_plan.year
        return self.contents().head.year

    def rows(self):
        """Every row read, as stored (the dicts of ``data``): tasks and the rows the reader (or
        a person) took for no task. ``contents().rows`` has them typed."""
        return PlanData.rows_of(self.data)

    def task_count(self):
        return sum(1 for row in self.contents().rows if row.kind == TASK)

    def plan_data(self, data=None):
        """The plan (PlanData) as the plans services take it: each section's rows made into
        tasks as their kinds say (group rows name the tasks' group…). ``data``: a DraftData
        to use instead of the saved one."""
        plan = (self.contents() if data is None else data).plan_data()
        for task in plan.tasks:
            _kept(task)
        return plan

    def checked_sections(self, units):
        """[(section, [(row, warnings, outside_bodies)])]: each row with what a person should check.

        `units` is the agency's plans.bodies.Bodies, loaded once for every row.
        """
        checked = []
        for section in self.contents().sections:
            rows = []
            for row in section.tasks:
                if row.kind != TASK:
                    rows.append((row, [], []))
                    continue
                warnings, outside = check_row(row, units)
                rows.append((row, [*row.warnings, *warnings], outside))
            checked.append((section, rows))
        return checked

    def changes(self):
        """What confirming this revision would change in its target plan (nothing is saved)."""
        return plan_changes(self.target_plan, self.plan_data())

    def save_edits(self, *, data, expected_version):
        """Store the person's edits (a DraftData); refused (StaleDraft) when another tab saved
        first."""
        stored = data.to_dict()
        saved = ImportDraft.objects.filter(
            pk=self.pk, version=expected_version, plan__isnull=True
        ).update(data=stored, version=models.F("version") + 1)
        if not saved:
            self._refuse()
        self.data, self.version = stored, expected_version + 1

    def confirm(self, *, data, by, expected_version, second_plan_reason="", now=None):
        """Save the reviewed plan (``data``, a DraftData), or revise the target plan; returns
        (plan, PlanChanges or None).

        The filtered update claims the draft, so that a second confirmation (a double click,
        another tab) matches nothing and raises AlreadyConfirmed instead of saving twice. A new
        plan of a year the agency already follows raises SameYearPlan (nothing saved) unless
        `second_plan_reason` says why.
        """
        now = now or timezone.now()
        stored = data.to_dict()
        with transaction.atomic():
            claimed = ImportDraft.objects.filter(
                pk=self.pk, plan__isnull=True, version=expected_version
            ).update(data=stored, confirmed_at=now, version=models.F("version") + 1)
            if not claimed:
                self._refuse()
            plan_data = self.plan_data(data)
            if self.target_plan_id:
                plan = self.target_plan
                changes = services.revise_plan(plan=plan, data=plan_data, by=by, now=now)
            else:
                plan, _unmatched = import_new_plan(
                    agency=self.agency,
                    data=plan_data,
                    by=by,
                    filename=self.filename,
                    second_plan_reason=second_plan_reason,
                    now=now,
                )
                changes = None
            ImportDraft.objects.filter(pk=self.pk).update(plan=plan)
        self.data, self.plan, self.confirmed_at = stored, plan, now
        self.version = expected_version + 1
        return plan, changes

    def revise_instead(self, *, plan, expected_version):
        """Make this draft a revised version of `plan` (the plan of its year already followed)."""
        saved = ImportDraft.objects.filter(
            pk=self.pk, version=expected_version, plan__isnull=True, agency=plan.agency_id
        ).update(target_plan=plan, version=models.F("version") + 1)
        if not saved:
            self._refuse()
        self.target_plan, self.version = plan, expected_version + 1

    def discard(self):
        """Drop a draft never confirmed; a confirmed one stays as the record of its import."""
        ImportDraft.objects.filter(pk=self.pk, plan__isnull=True).delete()

    def same_year_plan(self):
        """The agency's current plan of the draft's year, when the draft would make a second."""
        if self.target_plan_id:
            return None
        return same_year_plan(agency=self.agency, year=self.contents().head.year)

    def _refuse(self):
        """Say why a filtered update matched nothing: confirmed already, or edited elsewhere."""
        self.refresh_from_db(fields=["plan", "version"])
        if self.is_confirmed:
            raise AlreadyConfirmed
        raise StaleDraft


class ColumnMapping(models.Model):
    """What the columns of an agency's task tables hold, as its office said when the reader
    could not tell: {header as folded text: field}. Used for the agency's next uploads."""

    agency = models.OneToOneField(
        Agency, models.CASCADE, related_name="column_mapping", verbose_name=_lazy("cơ quan")
    )
    fields = models.JSONField(_lazy("cột và trường"), default=dict)
    updated_at = models.DateTimeField(_lazy("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _lazy("cách đọc cột bảng nhiệm vụ")
        verbose_name_plural = _lazy("cách đọc cột bảng nhiệm vụ")

    def __str__(self):
        return str(self.agency)

    @classmethod
    def of(cls, agency):
        """The agency's mapping, {} when its office never made one."""
        mapping = cls.objects.filter(agency=agency).values_list("fields", flat=True).first()
        return mapping or {}

    @classmethod
    def remember(cls, *, agency, fields):
        """Add ``fields`` to the agency's mapping (a header mapped again takes the new field)."""
        with transaction.atomic():
            mapping, _created = cls.objects.select_for_update().get_or_create(agency=agency)
            mapping.fields = {**mapping.fields, **fields}
            mapping.save()
        return mapping


def draft_data(parsed):
    """What a draft keeps of a reading (as stored): the plan, every row with its kind and
    notes, and what the review shows beside them."""
    data = parsed.draft_data()
    for row in data.rows:
        row.warnings = [w for w in row.warnings if not _checked_live(w)]
    return data.to_dict()


def _kept(task):
    """The task as saved: its number as written and its group kept among its other columns."""
    if task.label or task.group:
        task.extra = {
            **({LABEL_KEY: task.label} if task.label else {}),
            **({GROUP_KEY: task.group} if task.group else {}),
            **task.extra,
        }
    task.label = task.group = ""


def _checked_live(warning):
    folded = fold(warning)
    return any(words in folded for words in _CHECKED_LIVE)


def check_row(row, units):
    """(warnings, outside bodies) of one row (DraftRow), against the agency's bodies
    (plans.bodies.Bodies: its units, and a province's agencies)."""
    warnings = []
    if not row.content.strip():
        warnings.append(_("Dòng này không có nội dung nhiệm vụ."))
    lead = row.lead
    if not lead:
        warnings.append(_("Chưa ghi cơ quan chủ trì."))
    _units, _agencies, unmatched = units.resolve(lead)
    if unmatched and units.is_province:
        warnings.append(
            _("Cơ quan chủ trì không khớp cơ quan nào của tỉnh (sẽ giữ nguyên như văn bản): %s")
            % "; ".join(unmatched)
        )
    elif unmatched:
        warnings.append(
            _("Cơ quan chủ trì không khớp đơn vị nào của Sở (sẽ giữ nguyên như văn bản): %s")
            % "; ".join(unmatched)
        )
    _units, _agencies, outside = units.resolve(row.coordinators)
    misspelt = [name for name in outside if fold(name).startswith(_UNIT_WORDS)]
    if misspelt:
        warnings.append(
            _("Cơ quan phối hợp không khớp đơn vị nào của Sở: %s") % "; ".join(misspelt)
        )
    text = row.deadline_text
    if not text.strip():
        warnings.append(_("Chưa ghi thời gian hoàn thành."))
    elif row.deadline_kind == DeadlineKind.UNKNOWN:
        warnings.append(
            _("Chưa hiểu thời hạn “%s”: hãy sửa lại, ví dụ “Quý II/2026” hoặc “30/6/2026”.") % text
        )
    return warnings, [name for name in outside if name not in misspelt]


def date_row(row, year):
    """Date the row's deadline from its words, as the plans services will when saving."""
    deadline = parse_deadline(row.deadline_text, year)
    row.deadline_kind, row.due_date = str(deadline.kind), deadline.due_date


def deadline_label(row):
    return DEADLINE_KIND_LABELS.get(row.deadline_kind or DeadlineKind.UNKNOWN, "")


def count_with_progress(tasks):
    """How many of these tasks have recorded progress (one query)."""
    return (
        Task.objects.filter(pk__in=[t.pk for t in tasks], updates__isnull=False).distinct().count()
    )
