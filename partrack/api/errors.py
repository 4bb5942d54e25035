"""Every API error has one shape: {"error": {"code": …, "message": …}} with a Vietnamese message."""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.errors import HttpError as NinjaHttpError
from ninja.errors import ValidationError as NinjaValidationError

from partrack.plans.services import StaleTask
from partrack.reporting.services import StaleReport

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An answer other than success, with its HTTP status, a stable code and words for people."""

    def __init__(self, status, code, message, *, fields=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields
        self.headers = headers or {}


def error_response(status, code, message, *, fields=None, headers=None):
    body = {"error": {"code": code, "message": str(message)}}
    if fields:
        body["error"]["fields"] = {name: [str(m) for m in msgs] for name, msgs in fields.items()}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_message(item):
    """A pydantic error in Vietnamese, by its type; the rest say what was wrong in general."""
    kind = item.get("type", "")
    context = item.get("ctx") or {}
    if kind == "missing":
        return _("Thiếu trường này.")
    if kind in ("enum", "literal_error"):
        return _("Giá trị không hợp lệ; chỉ nhận: %(values)s.") % {
            "values": context.get("expected", "")
        }
    if kind == "less_than_equal":
        return _("Không được lớn hơn %(n)s.") % {"n": context.get("le")}
    if kind == "greater_than_equal":
        return _("Không được nhỏ hơn %(n)s.") % {"n": context.get("ge")}
    if kind.startswith("int_"):
        return _("Phải là số nguyên.")
    if kind.startswith("date_"):
        return _("Phải là ngày dạng YYYY-MM-DD.")
    if kind == "string_too_long":
        return _("Dài quá %(n)s ký tự.") % {"n": context.get("max_length")}
    if kind == "value_error" and item.get("loc", ())[-1:] == ("url",):
        return _("Đường dẫn phải bắt đầu bằng http:// hoặc https://.")
    if kind.startswith("json_") or kind == "model_attributes_type":
        return _("Nội dung gửi lên phải là JSON.")
    return _("Giá trị không hợp lệ.")


def not_found_message():
    return _("Không tìm thấy, hoặc bạn không có quyền xem.")


def install(api):
    """Route every exception the API may meet to the one error shape."""

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return error_response(
            exc.status, exc.code, exc.message, fields=exc.fields, headers=exc.headers
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return error_response(
            401,
            "unauthorized",
            _(
                "Thiếu mã truy cập, hoặc mã không đúng hay đã bị thu hồi. "
                "Gửi kèm tiêu đề Authorization: Bearer <mã truy cập>."
            ),
            headers={"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(404, "not_found", not_found_message())

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return error_response(403, "forbidden", _("Bạn không có quyền làm việc này."))

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request, exc):
        fields = {}
        for item in exc.errors:
            # ("body", "payload", "percent") → "percent"; ("query", "page") → "page".
            loc = list(item.get("loc", ()))
            loc = loc[2:] if loc[:1] == ["body"] else loc[1:]
            name = ".".join(str(part) for part in loc) or "request"
            fields.setdefault(name, []).append(field_message(item))
        return error_response(
            422, "invalid_request", _("Dữ liệu gửi lên không đúng định dạng."), fields=fields
        )

    @api.exception_handler(DjangoValidationError)
    def rule_broken(request, exc):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
        return error_response(
            400, "invalid", " ".join(m for msgs in fields.values() for m in msgs), fields=fields
        )

    @api.exception_handler(StaleTask)
    def stale_task(request, exc):
        return error_response(
            409,
            "stale_version",
            _(
                "Nhiệm vụ vừa được người khác cập nhật: hãy đọc lại nhiệm vụ "
                "(trường version) rồi gửi lại."
            ),
        )

    @api.exception_handler(StaleReport)
    def stale_report(request, exc):
        return error_response(
            409, "already_submitted", _("Báo cáo này đã được gửi hoặc đang được xem xét.")
        )

    @api.exception_handler(NinjaHttpError)
    def http_error(request, exc):
        return error_response(exc.status_code, "http_error", str(exc))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API error on %s", request.path)
        return error_response(500, "server_error", _("Lỗi máy chủ. Hãy thử lại sau."))
