import hashlib
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from partrack.documents.access import get_draft_for, get_import_agency_for
from partrack.documents.errors import DocumentError
from partrack.documents.forms import ColumnsForm, ReviewForm, UploadForm
from partrack.documents.models import (
    AlreadyConfirmed,
    ColumnMapping,
    ImportDraft,
    StaleDraft,
    count_with_progress,
    deadline_label,
)
from partrack.documents.reading import read_plan
from partrack.documents.reading.table import NoTaskTable
from partrack.documents.services import SameYearPlan
from partrack.documents.structure import plan_from_json, split_row
from partrack.documents.writing import appendix_docx, appendix_xlsx
from partrack.org.models import Membership
from partrack.pagination import paginate
from partrack.plans.access import get_plan_for
from partrack.plans.bodies import Bodies
from partrack.plans.revision import COMPARED
from partrack.vietnamese import ascii_slug

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING_LIST_SIZE = 10
# Where the year that dates undated deadlines ("Thường xuyên", "Quý II") came from.
YEAR_SOURCES = {
    "title": _lazy("năm kế hoạch ghi trong tên văn bản"),
    "issued": _lazy("năm ban hành văn bản (tên văn bản không ghi năm của kế hoạch)"),
    "text": _lazy("năm ghi trong văn bản (không có ngày ban hành)"),
}


@login_required
def import_upload(request):
    agency = get_import_agency_for(request.user)
    return upload(request, agency=agency, target_plan=None)


@login_required
def import_revision(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    if not Membership.coordinates(request.user, plan.agency_id):
        raise PermissionDenied
    return upload(request, agency=plan.agency, target_plan=plan)


def upload(request, *, agency, target_plan):
    max_bytes = settings.PARTRACK_MAX_UPLOAD_MB * 1024 * 1024
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, max_bytes=max_bytes)
        if form.is_valid():
            document = form.cleaned_data["document"]
            content = document.read()
            mapping = ColumnMapping.of(agency)
            facts = {
                "agency": agency,
                "by": request.user,
                "filename": document.name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "target_plan": target_plan,
                "source": content,
            }
            try:
                parsed = read_plan(
                    content,
                    filename=document.name,
                    max_bytes=max_bytes,
                    mapping=mapping,
                    known_names=agency.unit_names,
                )
            except NoTaskTable as e:
                if not any(any(table["headers"]) for table in e.tables_seen):
                    form.add_error("document", e.message)
                else:
                    # Tables there are, but none the reader can tell: the office maps them.
                    draft = ImportDraft.start_unread(error=e, **facts)
                    return redirect("import_columns", draft.pk)
            except DocumentError as e:
                form.add_error("document", e.message)
            else:
                draft = ImportDraft.start(parsed=parsed, **facts)
                return redirect(draft)
        status = 400
    else:
        form = UploadForm(max_bytes=max_bytes)
    ctx = {
        "form": form,
        "target_plan": target_plan,
        "max_mb": settings.PARTRACK_MAX_UPLOAD_MB,
        "pending": ImportDraft.objects.pending_for(agency)[:PENDING_LIST_SIZE],
    }
    return render(request, "documents/upload.html", ctx, status=status)


@login_required
def import_drafts(request):
    """Every import never confirmed, each with a way to open or discard it."""
    agency = get_import_agency_for(request.user)
    drafts = ImportDraft.objects.pending_for(agency)
    ctx = {"page": paginate(request, drafts)}
    return render(request, "documents/drafts.html", ctx)


@login_required
@require_POST
def import_discard(request, draft_id):
    draft = get_draft_for(request.user, draft_id)
    if draft.is_confirmed:
        messages.info(request, _("Bản nhập này đã được xác nhận: không thể bỏ."))
        return redirect("import_drafts")
    draft.discard()
    messages.success(request, _("Đã bỏ bản nhập “%(name)s”.") % {"name": draft.filename})
    return redirect("import_drafts")


@login_required
@require_POST
def import_revise_instead(request, draft_id):
    """Turn the draft into a revised version of the plan of its year that the agency follows."""
    draft = get_draft_for(request.user, draft_id)
    if draft.is_confirmed:
        messages.info(request, _("Kế hoạch này đã được nhập."))
        return redirect(draft.plan)
    plan = draft.same_year_plan()
    if plan is None:
        return redirect(draft)
    try:
        draft.revise_instead(plan=plan, expected_version=int(request.POST.get("version", 0)))
    except (StaleDraft, ValueError):
        messages.error(request, _("Trang đã cũ so với bản nháp: hãy xem lại rồi làm tiếp."))
        return redirect(draft)
    except AlreadyConfirmed:
        messages.info(request, _("Kế hoạch này đã được nhập."))
        return redirect(draft.plan)
    messages.success(
        request,
        _("Bản nhập được xem như bản điều chỉnh của “%(title)s”: hãy xem các thay đổi.")
        % {"title": plan.title},
    )
    return redirect(draft)


@login_required
def import_review(request, draft_id):
    draft = get_draft_for(request.user, draft_id)
    if draft.is_confirmed:
        messages.info(request, _("Kế hoạch này đã được nhập."))
        return redirect(draft.plan)
    if draft.needs_columns:
        return redirect("import_columns", draft.pk)
    form = ReviewForm(
        draft, request.POST if request.method == "POST" else None, page=page_number(request)
    )
    status = 200
    if form.is_bound:
        if not form.matches_draft():
            messages.error(request, _("Trang đã cũ so với bản nháp: hãy xem lại rồi làm tiếp."))
            return redirect(review_url(draft, form.page))
        if form.is_valid():
            return save_review(request, draft, form)
        status = 400
    return render_review(request, draft, form, status=status)


@login_required
def import_columns(request, draft_id):
    """The tables found in the upload, with their header cells: the office chooses the task
    table and says what each column holds, then the file is read again that way. The choice is
    remembered for the agency's next uploads."""
    draft = get_draft_for(request.user, draft_id)
    if draft.is_confirmed:
        messages.info(request, _("Kế hoạch này đã được nhập."))
        return redirect(draft.plan)
    tables = [table for table in draft.contents().tables_seen if any(table["headers"])]
    form = ColumnsForm(tables, request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                parsed = read_plan(
                    bytes(draft.source or b""),
                    filename=draft.filename,
                    mapping={**ColumnMapping.of(draft.agency), **form.mapping},
                    table=form.table["number"],
                    known_names=draft.agency.unit_names,
                )
            except DocumentError as e:
                form.add_error(None, e.message)
            else:
                ColumnMapping.remember(agency=draft.agency, fields=form.mapping)
                draft.read_again(parsed=parsed)
                messages.success(
                    request,
                    _("Đã đọc lại bảng theo các cột đã chọn; Sở sẽ dùng cách đọc này cho lần sau."),
                )
                return redirect(draft)
    ctx = {"draft": draft, "form": form, "tables": form.tables_with_fields()}
    return render(request, "documents/columns.html", ctx, status=status)


def save_review(request, draft, form):
    """Store the edits and check again, or confirm: save the plan and go to it."""
    data = form.edited_data()
    try:
        if "confirm" not in request.POST:
            split = form.split_index(request.POST.get("split"))
            if split is not None:
                # Two tasks the reader took for one row: two rows, each then edited.
                split_row(data.sections, split)
            draft.save_edits(data=data, expected_version=form.version)
            dropped = form.dropped
            if split is not None:
                messages.success(request, _("Đã tách thành hai dòng: hãy sửa từng dòng."))
                page, prefix = form.page_of(split)
                return redirect(f"{review_url(draft, page)}#row-{prefix}")
            if "goto" in request.POST:
                # Moving to another page of rows saves this page's edits first.
                return redirect(review_url(draft, page_number(request, request.POST["goto"])))
            message = _("Đã lưu các sửa đổi và kiểm tra lại.")
            if dropped:
                message += " " + ngettext("Đã bỏ %(n)d dòng.", "Đã bỏ %(n)d dòng.", dropped) % {
                    "n": dropped
                }
            messages.success(request, message)
            return redirect(review_url(draft, form.page))
        plan, changes = draft.confirm(
            data=data,
            by=request.user,
            expected_version=form.version,
            second_plan_reason=form.second_plan_reason,
        )
    except SameYearPlan:
        # Nothing was saved: keep the edits of this page, and ask for the explicit choice.
        draft.save_edits(data=data, expected_version=form.version)
        messages.error(
            request,
            _(
                "Sở đã có kế hoạch năm này đang theo dõi. Hãy nhập tệp này làm bản điều chỉnh "
                "của kế hoạch đó, hoặc chọn tạo kế hoạch thứ hai và ghi lý do."
            ),
        )
        return redirect(review_url(draft, form.page))
    except AlreadyConfirmed:
        messages.info(request, _("Kế hoạch này đã được nhập."))
        return redirect(draft.plan)
    except StaleDraft:
        messages.error(
            request,
            _(
                "Bản nháp vừa được sửa ở một cửa sổ khác. Đây là bản mới nhất: "
                "hãy xem lại rồi kiểm tra hoặc xác nhận."
            ),
        )
        return redirect(draft)
    total = plan.tasks.count()
    if changes is None:
        message = ngettext(
            "Đã nhập kế hoạch với %(n)d nhiệm vụ.", "Đã nhập kế hoạch với %(n)d nhiệm vụ.", total
        ) % {"n": total}
    else:
        message = _(
            "Đã điều chỉnh kế hoạch: thêm %(added)d, bỏ %(removed)d, sửa %(changed)d nhiệm vụ; "
            "kế hoạch có %(total)d nhiệm vụ."
        ) % {
            "added": len(changes.added),
            "removed": len(changes.removed),
            "changed": len(changes.changed),
            "total": total,
        }
    messages.success(request, message)
    return redirect(plan)


def page_number(request, value=None):
    try:
        return int(value if value is not None else request.GET.get("page", 1))
    except ValueError:
        return 1


def review_url(draft, page):
    url = draft.get_absolute_url()
    return f"{url}?page={page}" if page > 1 else url


def render_review(request, draft, form, *, status=200):
    # Evaluated once here, so that checking every row's names runs no further query.
    units = Bodies(draft.agency)
    forms = form.formset.forms
    sections = []
    flagged = []
    index = -1
    for section, rows in draft.checked_sections(units):
        items = []
        for row, warnings, outside in rows:
            index += 1
            page, prefix = form.page_of(index)
            if warnings:
                place = ".".join(str(p) for p in (section.numeral, row.number) if p)
                anchor = f"#row-{prefix}"
                if page != form.page:
                    anchor = f"{review_url(draft, page)}{anchor}"
                flagged.append((place or str(len(flagged) + 1), anchor))
            if page != form.page:
                continue
            form_of_row = forms[index - form.first]
            items.append(
                {
                    "form": form_of_row,
                    "row": row,
                    "warnings": warnings,
                    "outside": outside,
                    "deadline_label": deadline_label(row),
                    "due_date": row.due_date,
                }
            )
        if items:
            sections.append({"section": section, "items": items, "total": len(rows)})
    changes = lost = None
    if draft.target_plan_id:
        changes = draft.changes()
        lost = count_with_progress([c.task for c in changes.removed]) if changes.removed else 0
        for change in changes.changed:
            change.lines = change_lines(change)
    earlier = (
        ImportDraft.objects.filter(agency=draft.agency, sha256=draft.sha256, plan__isnull=False)
        .exclude(pk=draft.pk)
        .select_related("plan")
        .first()
    )
    ctx = {
        "draft": draft,
        "form": form,
        "sections": sections,
        "task_total": draft.task_count(),
        "row_total": len(form.rows),
        "year_source": YEAR_SOURCES.get(draft.contents().year_source),
        "area_total": len(draft.contents().sections),
        "pages": range(1, form.page_count + 1),
        "same_year_plan": draft.same_year_plan(),
        "flagged": flagged,
        "changes": changes,
        "lost": lost,
        "earlier": earlier,
    }
    return render(request, "documents/review.html", ctx, status=status)


def change_lines(change):
    """[(label, before, after)] of a changed task, lists written out as the plan writes them."""
    lines = []
    for name, (before, after) in change.fields.items():
        if isinstance(before, list):
            before, after = "; ".join(before), "; ".join(after)
        lines.append((COMPARED[name], before, after))
    return lines


@login_required
def plan_export_docx(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    agency = plan.agency
    content = appendix_docx(
        appendix_of(plan),
        parent_body=agency.parent_body,
        agency_upper=agency.masthead_name.upper(),
        place=agency.place_name,
    )
    return download(content, export_filename(plan, "docx"), DOCX_TYPE)


@login_required
def plan_export_xlsx(request, plan_id):
    plan = get_plan_for(request.user, plan_id)
    return download(appendix_xlsx(appendix_of(plan)), export_filename(plan, "xlsx"), XLSX_TYPE)


def appendix_of(plan):
    appendix = plan_from_json(plan.plan_data())
    appendix.issued_on = plan.issued_on
    # A number not known yet is left blank the Decree 30 way: "Số:      /KH-SKHCN".
    appendix.symbol = plan.symbol or f"/KH-{plan.agency.short_name}"
    return appendix


def download(content, filename, content_type):
    return FileResponse(
        BytesIO(content), as_attachment=True, filename=filename, content_type=content_type
    )


def export_filename(plan, extension):
    """ "ke-hoach-cchc-2026-SKHCN.docx": plain ASCII, so every browser and mail client keeps it."""
    return f"ke-hoach-cchc-{plan.year}-{ascii_slug(plan.agency.short_name, 'co-quan')}.{extension}"
