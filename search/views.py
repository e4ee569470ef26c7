"""/tim-kiem (HTML) and /api/v1/search (JSON): ranked results, snippets, paging.

Any input gives a page with results or a message: the query parser never raises, and
an engine failure is logged and shown as a message, never a 500.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

from markupsafe import Markup

from portal.i18n import _
from portal.listing import page_number
from portal.permissions import Permissions
from portal.workflow import SIMPLE_PUBLICATION

from .analysis import parse_query
from .engine import Access, Results
from .outbox import apply_pending

log = logging.getLogger(__name__)

PER_PAGE = 10
MAX_PAGE = 100  # deep pages of a relevance ranking help nobody and cost the most


def access_for(request) -> Access:
    now = int(time.time())
    ident = request.identity_obj
    if ident is None:
        return Access(now=now)
    viewer = SIMPLE_PUBLICATION.viewer_roles
    paths = tuple(sorted({path for path, role in ident.local_roles if role in viewer}))
    return Access(now=now, owner_id=ident.user.id, paths=paths)


def run_search(request) -> dict:
    raw = request.GET.get("q", "")
    raw = raw if isinstance(raw, str) else ""
    query = parse_query(raw)
    page = min(page_number(request), MAX_PAGE)
    filters = {}
    kind = request.GET.get("loai", "")
    if isinstance(kind, str) and request.content_types.get(kind) is not None:
        filters["type"] = kind
    results = Results(page=page, per_page=PER_PAGE)
    message = ""
    if not raw.strip():
        message = request.t(_("Hãy nhập từ khóa cần tìm, ví dụ: thủ tục hộ tịch."))
    elif query.empty:
        message = request.t(
            _("Không tìm được gì với từ khóa này. Hãy nhập một vài từ có nghĩa, ví dụ: đăng ký khai sinh.")
        )
    else:
        registry = request.registry
        try:
            # Changes committed by scripts or other processes, not applied yet.
            apply_pending(registry, wait=0)
        except Exception:
            log.exception("search: applying the outbox failed")
        try:
            results = registry["portal.search"].search(
                query,
                site_id=request.root_node.site_id,
                access=access_for(request),
                filters=filters,
                page=page,
                per_page=PER_PAGE,
            )
        except Exception:
            log.exception("search failed for %r", query.text)
            message = request.t(_("Tìm kiếm đang tạm thời gián đoạn. Xin vui lòng thử lại sau."))
        else:
            if results.total == 0:
                message = request.t(_("Không tìm thấy kết quả nào. Hãy thử từ khóa khác hoặc ít từ hơn."))
            elif not results.hits:
                message = request.t(_("Trang này không có kết quả; hãy quay lại trang đầu."))
    return {"raw": raw, "query": query, "results": results, "message": message, "filters": filters}


def _page_url(request, data, number):
    params = {"q": data["query"].text}
    if "type" in data["filters"]:
        params["loai"] = data["filters"]["type"]
    if number > 1:
        params["trang"] = number
    return request.route_url(request.matched_route.name) + "?" + urlencode(params)


def _type_title(request, name):
    info = request.content_types.get(name)
    return request.t(info.title) if info is not None else name


def search_page(request):
    data = run_search(request)
    results = data["results"]
    for hit in results.hits:
        hit.url = request.application_url + hit.path
        hit.type_title = _type_title(request, hit.type)
        hit.title_markup = Markup(hit.title_html)  # escaped by the highlighter but for <mark>
        hit.snippet_markup = Markup(hit.snippet_html)
    last = min(results.pages, MAX_PAGE)
    return {
        **data,
        "title": request.t(_("Tìm kiếm")),
        "q": data["query"].text if data["raw"].strip() else "",
        "prev_url": _page_url(request, data, results.page - 1) if results.page > 1 else None,
        "next_url": _page_url(request, data, results.page + 1) if results.page < last else None,
    }


def search_api(request):
    data = run_search(request)
    results = data["results"]
    return {
        "query": data["query"].text,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "pages": results.pages,
        "message": data["message"],
        "hits": [
            {
                "id": h.id,
                "title": h.title,
                "url": request.application_url + h.path,
                "type": h.type,
                "type_title": _type_title(request, h.type),
                "title_html": h.title_html,
                "snippet_html": h.snippet_html,
                "field": h.field,
                "agency": h.agency,
                "year": h.year or None,
                "score": round(h.score, 4),
            }
            for h in results.hits
        ],
    }


def includeme(config):
    config.add_route("search", "/tim-kiem")
    config.add_route("search_api", "/api/v1/search")
    config.add_view(
        search_page,
        route_name="search",
        renderer="search.html",
        permission=Permissions.View,
        request_method=("GET", "HEAD"),
    )
    config.add_view(
        search_api,
        route_name="search_api",
        renderer="json",
        permission=Permissions.View,
        request_method=("GET", "HEAD"),
    )
