"""Failures a clerk can read: database, disk, object store or a file gone, in Vietnamese.

A database outage, a full disk or a read-only media folder are not the clerk's mistake and not a
bug in a view: they answer a 503 page that says what happened and what to do, and a missing
evidence or report file answers a 410 page. The pages render without the database (no request
context, no context processors), so they still work while it is down. When the request was a
form, the page repeats the text the person typed so nothing is lost.
"""

import errno
import logging
import sys
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE = "database"
DISK_FULL = "disk_full"
READ_ONLY = "read_only"
FILE_MISSING = "file_missing"
STORAGE = "storage"  # the object store (S3) is unreachable or refuses

# The errno values that mean "the media folder cannot take this file", not a programming error.
DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}

# Fields never repeated back on the failure page.
HIDDEN_FIELDS = {"csrfmiddlewaretoken", "version", "lock_version", "password", "cited"}
# How the failure page names what was typed; it cannot reach the forms' own labels.
LABELS = {
    "narrative": "Kết quả thực hiện",
    "percent": "Tiến độ (%)",
    "done_on": "Ngày hoàn thành",
    "evidence_number": "Số, ký hiệu văn bản",
    "evidence_date": "Ngày văn bản",
    "evidence_summary": "Trích yếu",
    "evidence_url": "Đường dẫn minh chứng",
    "no_evidence_reason": "Lý do không có minh chứng",
    "results": "Kết quả đạt được",
    "difficulties": "Khó khăn, vướng mắc và nguyên nhân",
    "proposals": "Đề xuất, kiến nghị",
    "comment": "Ý kiến của Văn phòng",
}


def kind_of(exc):
    """Which outside failure `exc` is (DATABASE, DISK_FULL, READ_ONLY, FILE_MISSING), or None."""
    if isinstance(exc, OperationalError | InterfaceError):
        return DATABASE
    storage = _object_store_failure(exc)
    if storage:
        return storage
    if isinstance(exc, FileNotFoundError):
        # Only a stored file that has gone; a missing template or module is a bug.
        return FILE_MISSING if _under_media(exc.filename) else None
    if isinstance(exc, OSError):
        if exc.errno in DISK_FULL_ERRNOS:
            return DISK_FULL
        if exc.errno in READ_ONLY_ERRNOS and _under_media(exc.filename):
            return READ_ONLY
        if exc.errno == errno.EROFS:
            return READ_ONLY
    return None


def _object_store_failure(exc):
    """STORAGE or FILE_MISSING for an error of the object store (direct or wrapped), else None."""
    if "botocore" not in sys.modules:
        return None  # never imported: no object store in use, nothing of it failed
    from botocore.exceptions import BotoCoreError, ClientError

    from partrack.files import StorageUnavailable

    if isinstance(exc, FileNotFoundError) and isinstance(exc.__context__, ClientError):
        return FILE_MISSING  # django-storages' "File does not exist" for a missing key
    cause = exc.__cause__ if isinstance(exc, StorageUnavailable) else exc
    if isinstance(cause, ClientError):
        code = cause.response.get("Error", {}).get("Code")
        return FILE_MISSING if code in ("404", "NoSuchKey", "NotFound") else STORAGE
    if isinstance(exc, StorageUnavailable) or isinstance(cause, BotoCoreError):
        return STORAGE
    return None


def _under_media(filename):
    if not filename:
        return False
    try:
        return Path(str(filename)).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    except (OSError, ValueError):
        return False


def message_for(kind):
    """One Vietnamese sentence saying what happened and what to do, for a form's message."""
    return {
        DATABASE: _(
            "Chưa lưu được: máy chủ tạm thời không kết nối được cơ sở dữ liệu. "
            "Nội dung bạn nhập vẫn còn bên dưới; hãy thử lưu lại sau vài phút."
        ),
        DISK_FULL: _(
            "Chưa lưu được: ổ đĩa của máy chủ đã đầy. Nội dung bạn nhập vẫn còn bên dưới; "
            "hãy báo quản trị hệ thống giải phóng dung lượng rồi lưu lại."
        ),
        READ_ONLY: _(
            "Chưa lưu được: máy chủ không ghi được tệp vào thư mục lưu trữ. Nội dung bạn nhập "
            "vẫn còn bên dưới; hãy báo quản trị hệ thống rồi lưu lại."
        ),
        STORAGE: _(
            "Chưa lưu được: máy chủ không kết nối được kho lưu trữ tệp. Chưa có gì thay đổi; "
            "nội dung bạn nhập vẫn còn bên dưới. Hãy thử lưu lại sau vài phút; nếu vẫn lỗi, "
            "hãy báo quản trị hệ thống."
        ),
        FILE_MISSING: _(
            "Tệp này không còn trên máy chủ. Hãy báo Văn phòng Sở hoặc quản trị hệ thống "
            "để tải lại hoặc khôi phục từ bản sao lưu."
        ),
    }[kind]


def save_failure_message(exc):
    """The message for a form whose save failed for an outside reason; None for anything else."""
    kind = kind_of(exc)
    if kind in (DATABASE, DISK_FULL, READ_ONLY, STORAGE):
        return message_for(kind)
    return None


PAGES = {
    DATABASE: ("503.html", 503),
    DISK_FULL: ("503.html", 503),
    READ_ONLY: ("503.html", 503),
    STORAGE: ("503.html", 503),
    FILE_MISSING: ("410.html", 410),
}


def failure_response(request, kind):
    """The Vietnamese page for `kind`, rendered without the database."""
    template, status = PAGES[kind]
    typed = []
    if request is not None and request.method == "POST":
        typed = [
            (label_of(name), value)
            for name, value in request.POST.items()
            if name not in HIDDEN_FIELDS and value.strip()
        ]
    context = {"kind": kind, "typed": typed, **_page_assets()}
    response = HttpResponse(get_template(template).render(context), status=status)
    if status == 503:
        response["Retry-After"] = "120"
    return response


def label_of(name):
    if name.startswith("entry-"):
        return _("Kết quả thực hiện trong kỳ của một nhiệm vụ")
    return _(LABELS[name]) if name in LABELS else name


def _page_assets():
    # The failure pages must render even when the static manifest is missing or broken.
    try:
        return {
            "bootstrap_css": static("vendor/bootstrap-5.3.8/bootstrap.min.css"),
            "app_css": static("partrack/app.css"),
        }
    except ValueError:
        return {"bootstrap_css": "", "app_css": ""}


class FailureMiddleware:
    """Turns a view's outside failure (database, disk, file gone) into its Vietnamese page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        kind = kind_of(exception)
        if kind is None:
            return None
        logger.error("%s %s failed: %s", request.method, request.path, kind, exc_info=exception)
        return failure_response(request, kind)


def server_error(request):
    """handler500: the same pages for a failure outside any view (a middleware, a handler)."""
    kind = kind_of(sys.exc_info()[1])
    if kind is not None:
        return failure_response(request, kind)
    context = _page_assets()
    return HttpResponse(get_template("500.html").render(context), status=500)
