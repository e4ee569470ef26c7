"""/tim-kiem (HTML) and /api/v1/search (JSON): ranked results, snippets, paging,
facets with counts and filters, "did you mean"; /tim-kiem/goi-y: titles as you type.

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

from .analysis import clean_query, parse_query
from .engine import Access, Results
from .outbox import apply_pending
from .spelling import suggest
from .synonyms import synonyms_for

log = logging.getLogger(__name__)

PER_PAGE = 10
MAX_PAGE = 100  # deep pages of a relevance ranking help nobody and cost the most
FEW = 3  # with fewer results, a spelling correction is looked for
SUGGESTIONS = 8
MAX_SUGGEST_CHARS = 100  # of what is typed in the box
MAX_FILTER_CHARS = 255

# Facet -> its query parameter (Vietnamese, like every public URL) and its heading.
FILTER_PARAMS = {"type": "loai", "field": "linh-vuc", "agency": "co-quan", "year": "nam"}
FACET_TITLES = {
    "type": _("Loại nội dung"),
    "field": _("Lĩnh vực"),
    "agency": _("Cơ quan"),
    "year": _("Năm"),
}


def access_for(request) -> Access:
    now = int(time.time())
    ident = request.identity_obj
    if ident is None:
        return Access(now=now)
    viewer = SIMPLE_PUBLICATION.viewer_roles
    paths = tuple(sorted({path for path, role in ident.local_roles if role in viewer}))
    return Access(now=now, owner_id=ident.user.id, paths=paths)


def _param(request, name: str) -> str:
    value = request.GET.get(name, "")
    return value if isinstance(value, str) else ""


def read_filters(request) -> dict:
    """The facet filters of the URL; anything unknown or malformed is ignored."""
    filters = {}
    kind = _param(request, "loai")
    if kind and request.content_types.get(kind) is not None:
        filters["type"] = kind
    for name in ("field", "agency"):
        value = clean_query(_param(request, FILTER_PARAMS[name]))[:MAX_FILTER_CHARS]
        if value:
            filters[name] = value
    year = _param(request, "nam").strip()
    if year.isascii() and year.isdigit() and 1900 <= int(year) <= 9999:
        filters["year"] = int(year)
    return filters


def _search(request, query, filters, page, *, facets=False, per_page=PER_PAGE):
    return request.registry["portal.search"].search(
        query,
        site_id=request.root_node.site_id,
        access=access_for(request),
        filters=filters,
        page=page,
        per_page=per_page,
        facets=facets,
    )


def _did_you_mean(request, query, filters, total: int) -> str | None:
    """A corrected query that finds more of what this reader may see, or None."""
    try:
        corrected = suggest(request.registry["portal.search"], query)
        if corrected is None:
            return None
        better = synonyms_for(request).expand(parse_query(corrected))
        if _search(request, better, filters, 1, per_page=1).total > total:
            return corrected
    except Exception:
        log.exception("search: spelling suggestion failed for %r", query.text)
    return None


def run_search(request) -> dict:
    raw = _param(request, "q")
    query = parse_query(raw)
    page = min(page_number(request), MAX_PAGE)
    filters = read_filters(request)
    results = Results(page=page, per_page=PER_PAGE)
    message = ""
    suggestion = None
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
            expanded = synonyms_for(request).expand(query)
            results = _search(request, expanded, filters, page, facets=True)
        except Exception:
            log.exception("search failed for %r", query.text)
            message = request.t(_("Tìm kiếm đang tạm thời gián đoạn. Xin vui lòng thử lại sau."))
        else:
            if results.total < FEW:
                suggestion = _did_you_mean(request, query, filters, results.total)
            if results.total == 0:
                message = request.t(_("Không tìm thấy kết quả nào. Hãy thử từ khóa khác hoặc ít từ hơn."))
                if not filters:
                    registry["portal.search.zero_results"].record(request.root_node.site_id, query.text)
            elif not results.hits:
                message = request.t(_("Trang này không có kết quả; hãy quay lại trang đầu."))
    return {
        "raw": raw,
        "query": query,
        "results": results,
        "message": message,
        "filters": filters,
        "suggestion": suggestion,
    }


def search_url(request, q: str, filters: dict, page: int = 1) -> str:
    """/tim-kiem with the query, the filters and the page (the first one: left out)."""
    params = {"q": q}
    for name, param in FILTER_PARAMS.items():
        if name in filters:
            params[param] = filters[name]
    if page > 1:
        params["trang"] = page
    return request.route_url("search") + "?" + urlencode(params)


def _page_url(request, data, number):
    params = {"q": data["query"].text}
    for name, param in FILTER_PARAMS.items():
        if name in data["filters"]:
            params[param] = data["filters"][name]
    if number > 1:
        params["trang"] = number
    return request.route_url(request.matched_route.name) + "?" + urlencode(params)


def _type_title(request, name):
    info = request.content_types.get(name)
    return request.t(info.title) if info is not None else name


def _value_title(request, facet: str, value) -> str:
    return _type_title(request, value) if facet == "type" else str(value)


def facet_blocks(request, data) -> list[dict]:
    """For the page: each facet's values with counts and links that add (or, for the
    value chosen, remove) the filter, keeping the query and the other filters."""
    q, filters = data["query"].text, data["filters"]
    blocks = []
    for name, values in data["results"].facets.items():
        items = []
        for value, count in values:
            chosen = str(filters.get(name, "")) == str(value)
            changed = {k: v for k, v in filters.items() if k != name}
            if not chosen:
                changed[name] = value
            items.append(
                {
                    "title": _value_title(request, name, value),
                    "count": count,
                    "chosen": chosen,
                    "url": search_url(request, q, changed),
                }
            )
        blocks.append({"name": name, "title": request.t(FACET_TITLES[name]), "values": items})
    return blocks


def chosen_filters(request, data) -> list[dict]:
    q, filters = data["query"].text, data["filters"]
    return [
        {
            "facet": request.t(FACET_TITLES[name]),
            "title": _value_title(request, name, value),
            "remove_url": search_url(request, q, {k: v for k, v in filters.items() if k != name}),
        }
        for name, value in filters.items()
    ]


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
        "facets": facet_blocks(request, data),
        "chosen": chosen_filters(request, data),
        "suggestion_url": (
            search_url(request, data["suggestion"], data["filters"]) if data["suggestion"] else None
        ),
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
        "filters": {FILTER_PARAMS[k]: v for k, v in data["filters"].items()},
        "suggestion": data["suggestion"],
        "facets": {
            name: [
                {"value": value, "title": _value_title(request, name, value), "count": count}
                for value, count in values
            ]
            for name, values in results.facets.items()
        },
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


def suggest_titles(request):
    """/tim-kiem/goi-y?q=: up to 8 titles the requester may see, for what is being typed."""
    text = clean_query(_param(request, "q"))[:MAX_SUGGEST_CHARS]
    if not text.strip():
        return []
    try:
        apply_pending(request.registry, wait=0)  # as for a search: what scripts committed
    except Exception:
        log.exception("search: applying the outbox failed")
    try:
        found = request.registry["portal.search"].suggest_titles(
            text, site_id=request.root_node.site_id, access=access_for(request), limit=SUGGESTIONS
        )
    except Exception:
        log.exception("search: suggestions failed for %r", text)
        return []
    return [{"title": f["title"], "url": request.application_url + f["path"]} for f in found]


def includeme(config):
    get_json = {"renderer": "json", "permission": Permissions.View}
    config.add_fixed_page("search_suggest", "/tim-kiem/goi-y", suggest_titles, **get_json)
    config.add_fixed_page(
        "search", "/tim-kiem", search_page, renderer="search.html", permission=Permissions.View
    )
    config.add_fixed_page("search_api", "/api/v1/search", search_api, **get_json)
