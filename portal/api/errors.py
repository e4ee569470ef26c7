"""JSON errors for everything under /api/: never an HTML page.

Every error body is ``{"error": code, "message": Vietnamese text, "fields": {...}}``.
The exception views here are registered for the same exception classes as the HTML
error pages (portal.views.errors) with one more predicate (``api_path``), so Pyramid
prefers them under /api/ and the site keeps its pages everywhere else.
"""

from __future__ import annotations

import logging

import colander
from pyramid.csrf import BadCSRFOrigin, BadCSRFToken
from pyramid.exceptions import PredicateMismatch
from pyramid.httpexceptions import HTTPError, HTTPForbidden, HTTPNotFound
from sqlalchemy.exc import DBAPIError

from ..i18n import _
from ..security import API_PREFIX, bearer_token

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message, fields: dict | None = None, headers=None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def invalid(request, exc: colander.Invalid) -> ApiError:
    """A colander failure as a 422 whose ``fields`` name each field in Vietnamese."""
    fields = {}
    for key, message in exc.asdict(translate=request.localizer.translate).items():
        # The schema's own validator (CSRF aside, cross-field checks) has no field name.
        fields[key or "_"] = message
    return ApiError(422, "invalid", _("Dữ liệu không hợp lệ."), fields)


class ApiPathPredicate:
    """``api_path=True``: the request is for a URL under /api/."""

    def __init__(self, value, config):
        self.value = bool(value)

    def text(self):
        return f"api_path = {self.value}"

    phash = text

    def __call__(self, context, request) -> bool:
        return request.path_info.startswith(API_PREFIX) == self.value


def error_response(request, status: int, code: str, message, fields=None, headers=None):
    response = request.response
    response.status = status
    response.content_type = "application/json"
    response.cache_control = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    translate = request.localizer.translate
    return {
        "error": code,
        "message": translate(message) if message else "",
        "fields": {k: translate(v) for k, v in (fields or {}).items()},
    }


def api_error(exc: ApiError, request):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields, exc.headers)


def not_found(exc, request):
    if isinstance(exc, PredicateMismatch):
        # Our routes' only predicate is the method: the URL exists, the method does not.
        return error_response(request, 405, "method_not_allowed", _("Phương thức không được hỗ trợ."))
    return error_response(request, 404, "not_found", _("Không tìm thấy."))


def forbidden(exc, request):
    if request.environ.get("portal.bad_token"):
        return unauthorized(request)
    if request.user is None:
        return unauthorized(request, bad_token=False)
    return error_response(request, 403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))


def unauthorized(request, bad_token: bool = True):
    message = (
        _("Mã truy cập API không hợp lệ hoặc đã bị thu hồi.")
        if bad_token
        else _("Cần đăng nhập hoặc gửi mã truy cập API (Authorization: Bearer).")
    )
    header = 'Bearer realm="portal"' + (', error="invalid_token"' if bad_token else "")
    return error_response(request, 401, "unauthorized", message, headers={"WWW-Authenticate": header})


def bad_csrf(exc, request):
    return error_response(
        request,
        403,
        "csrf",
        _("Thiếu hoặc sai mã CSRF (gửi tiêu đề X-CSRF-Token, hoặc dùng mã truy cập API)."),
    )


CODES = {400: "bad_request", 405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}


def http_error(exc, request):
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else _("Yêu cầu không hợp lệ.")
    return error_response(request, exc.code, CODES.get(exc.code, f"http_{exc.code}"), message)


def database_unavailable(exc, request):
    log.exception("database error while serving %s", request.environ.get("PATH_INFO", "?"))
    return error_response(request, 503, "unavailable", _("Hệ thống đang bảo trì. Vui lòng thử lại sau."))


def server_error(exc, request):
    log.exception("error while serving %s", request.environ.get("PATH_INFO", "?"))
    return error_response(request, 500, "server_error", _("Đã có lỗi xảy ra. Chúng tôi đã ghi nhận."))


def bad_token_deriver(view, info):
    """Every view under /api/ (search's too): a bearer token that matches no live token
    is a 401, never an anonymous request that would quietly see less."""

    if info.exception_only:
        return view  # error views answer whatever happened, the 401 included

    def wrapped(context, request):
        if getattr(request, "exception", None) is not None:
            return view(context, request)
        if request.path_info.startswith(API_PREFIX) and bearer_token(request) is not None:
            if request.identity_obj is None:
                raise ApiError(
                    401,
                    "unauthorized",
                    _("Mã truy cập API không hợp lệ hoặc đã bị thu hồi."),
                    headers={"WWW-Authenticate": 'Bearer realm="portal", error="invalid_token"'},
                )
        return view(context, request)

    return wrapped


def includeme(config):
    config.add_view_predicate("api_path", ApiPathPredicate)
    config.add_view_deriver(bad_token_deriver)
    add = config.add_exception_view
    add(api_error, context=ApiError, renderer="json")
    add(not_found, context=HTTPNotFound, renderer="json", api_path=True)
    add(forbidden, context=HTTPForbidden, renderer="json", api_path=True)
    add(bad_csrf, context=BadCSRFToken, renderer="json", api_path=True)
    add(bad_csrf, context=BadCSRFOrigin, renderer="json", api_path=True)
    add(http_error, context=HTTPError, renderer="json", api_path=True)
    add(database_unavailable, context=DBAPIError, renderer="json", api_path=True)
    add(server_error, context=Exception, renderer="json", api_path=True)
