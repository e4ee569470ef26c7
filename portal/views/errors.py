"""Error pages in the theme: 404, 403 (or log-in for anonymous users), 400, 500.

No traceback is ever shown to a visitor; the 500 page is rendered without
touching the database, since the failure may have come from it.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from pyramid.csrf import BadCSRFOrigin, BadCSRFToken
from pyramid.httpexceptions import HTTPError, HTTPFound
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from sqlalchemy.exc import DBAPIError

from ..i18n import _

log = logging.getLogger(__name__)


def _page(request, status: int, title, message, minimal: bool = False) -> dict:
    request.response.status = status
    # Without a site root (e.g. a database never initialised) there is no navigation.
    minimal = minimal or "site_info" not in request.__dict__
    return {
        "title": request.t(title),
        "message": request.t(message) if message else "",
        "status": status,
        "minimal": minimal,
    }


@notfound_view_config(renderer="error.html", append_slash=False)
def not_found(exc, request):
    return _page(
        request,
        404,
        _("Không tìm thấy trang"),
        _("Trang bạn tìm không tồn tại hoặc đã được chuyển đi."),
    )


@forbidden_view_config(renderer="error.html")
def forbidden(exc, request):
    if request.user is None and request.method == "GET":
        query = urlencode({"came_from": request.path_qs})
        return HTTPFound(request.route_url("login") + "?" + query)
    message = exc.detail if isinstance(getattr(exc, "detail", None), str) and exc.detail else None
    return _page(
        request,
        403,
        _("Không có quyền truy cập"),
        message or _("Bạn không có quyền thực hiện thao tác này."),
    )


@exception_view_config(BadCSRFToken, renderer="error.html")
@exception_view_config(BadCSRFOrigin, renderer="error.html")
def bad_csrf(exc, request):
    return _page(
        request,
        400,
        _("Phiên làm việc đã hết hạn"),
        _("Vui lòng tải lại trang và thực hiện lại thao tác."),
    )


TITLES = {
    400: _("Yêu cầu không hợp lệ"),
    405: _("Phương thức không được hỗ trợ"),
    413: _("Dữ liệu gửi lên quá lớn"),
    429: _("Quá nhiều yêu cầu"),
}


@exception_view_config(HTTPError, renderer="error.html")
def http_error(exc, request):
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else None
    title = TITLES.get(exc.code, _("Lỗi ${code}", mapping={"code": exc.code}))
    return _page(request, exc.code, title, message, minimal=exc.code >= 500)


@exception_view_config(DBAPIError, renderer="error.html")
def database_unavailable(exc, request):
    """The database is down, or was never initialised (``portal init``): say so plainly."""
    log.exception("database error while serving %s", request.environ.get("PATH_INFO", "?"))
    return _page(request, 503, _("Hệ thống đang bảo trì"), _("Vui lòng quay lại sau ít phút."), minimal=True)


@exception_view_config(Exception, renderer="error.html")
def server_error(exc, request):
    log.exception("error while serving %s", request.environ.get("PATH_INFO", "?"))
    # The failure may have come from the database: leave the session alone (the
    # transaction is aborted after this view) and render nothing that needs it.
    return _page(
        request,
        500,
        _("Lỗi hệ thống"),
        _("Đã có lỗi xảy ra. Chúng tôi đã ghi nhận và sẽ khắc phục sớm."),
        minimal=True,
    )
