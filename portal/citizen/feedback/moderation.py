"""The moderation queue ``/quan-tri/phan-hoi``: pending feedback first, filtered by
status, paged; approve, reject or delete one item or those ticked ("chọn nhiều").

Staff see the e-mail here and only here. Every decision bumps the site's generation,
so cached article pages show (or stop showing) the feedback on the next request.
"""

from __future__ import annotations

from urllib.parse import quote

from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from sqlalchemy import case, func, select, update

from portal.i18n import _
from portal.listing import page_number, paged
from portal.models import Node, Site, utcnow
from portal.permissions import Permissions
from portal.text import row_id

from .models import APPROVED, PENDING, REJECTED, Feedback

PER_PAGE = 30
# A bulk action touches at most this many rows (a page holds 30).
MAX_IDS = 200
STATUS_PARAM = "trang-thai"
# URL words for the filter; anything else shows every status.
FILTERS = {"cho-duyet": PENDING, "da-duyet": APPROVED, "tu-choi": REJECTED}
STATUS_TITLES = {PENDING: _("Chờ duyệt"), APPROVED: _("Đã duyệt"), REJECTED: _("Đã từ chối")}
ACTIONS = {"approve": APPROVED, "reject": REJECTED, "delete": None}
DONE = {
    "approve": _("Đã duyệt ${n} phản hồi."),
    "reject": _("Đã từ chối ${n} phản hồi."),
    "delete": _("Đã xóa ${n} phản hồi."),
}


def _check(request) -> None:
    # The route's permission already asked this; a view is never only as safe as its route.
    if not request.has_permission(Permissions.ModerateFeedback, request.root_node):
        raise HTTPForbidden()


def _site_items(request):
    return select(Node.id).where(Node.site_id == request.root_node.site_id)


def _filter(request) -> str:
    value = request.params.get(STATUS_PARAM, "")
    return value if value in FILTERS else ""


def queue_url(request, status_filter: str = "", page: int = 1) -> str:
    query = {}
    if status_filter:
        query[STATUS_PARAM] = status_filter
    if page > 1:
        query["trang"] = str(page)
    return request.route_url("feedback_queue", _query=query)


def pending_count(request) -> int:
    return request.dbsession.scalar(
        select(func.count()).where(Feedback.status == PENDING, Feedback.node_id.in_(_site_items(request)))
    )


def queue_view(request):
    """Two queries whatever the page holds: the page of rows (with their items' title and
    path, joined) and the count per status."""
    _check(request)
    chosen = _filter(request)
    q = (
        select(
            Feedback.id,
            Feedback.name,
            Feedback.email,
            Feedback.content,
            Feedback.status,
            Feedback.created,
            Node.title,
            Node.path,
        )
        .join(Node, Node.id == Feedback.node_id)
        .where(Node.site_id == request.root_node.site_id)
        .order_by(case((Feedback.status == PENDING, 0), else_=1), Feedback.created.desc(), Feedback.id.desc())
    )
    if chosen:
        q = q.where(Feedback.status == FILTERS[chosen])
    batch = paged(request, q, PER_PAGE)
    counts = dict(
        request.dbsession.execute(
            select(Feedback.status, func.count())
            .where(Feedback.node_id.in_(_site_items(request)))
            .group_by(Feedback.status)
        ).all()
    )
    base = request.application_url
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "email": r.email,
            "lines": r.content.splitlines(),
            "status": r.status,
            "status_title": STATUS_TITLES.get(r.status, r.status),
            "created": r.created,
            "item_title": r.title,
            "item_url": base + quote(r.path, safe="/-._~"),
        }
        for r in batch.items
    ]
    filters = [{"key": "", "title": _("Tất cả"), "count": sum(counts.values()), "url": queue_url(request)}]
    for key, status in FILTERS.items():
        filters.append(
            {
                "key": key,
                "title": STATUS_TITLES[status],
                "count": counts.get(status, 0),
                "url": queue_url(request, key),
            }
        )
    return {
        "title": request.t(_("Phản hồi của bạn đọc")),
        "rows": rows,
        "batch": batch,
        "filters": filters,
        "chosen": chosen,
        "prev_url": queue_url(request, chosen, batch.number - 1) if batch.has_previous else None,
        "next_url": queue_url(request, chosen, batch.number + 1) if batch.has_next else None,
        "action_url": request.route_url("feedback_moderate"),
    }


def _requested(request) -> tuple[str, list[int]]:
    """(action, ids) from a row's own button ("mot" = "approve:12") or the bulk buttons
    with the ticked boxes; ids that are not ids are dropped."""
    one = request.POST.get("mot", "")
    if one:
        action, _sep, raw = one.partition(":")
        ids = [row_id(raw)]
    else:
        action = request.POST.get("action", "")
        ids = [row_id(v) for v in request.POST.getall("id")[:MAX_IDS]]
    return action, sorted({i for i in ids if i is not None})


def moderate_view(request):
    _check(request)
    action, ids = _requested(request)
    back_filter = _filter(request)
    back = queue_url(request, back_filter, page_number(request))
    if action not in ACTIONS or not ids:
        request.session.flash(request.t(_("Hãy chọn ít nhất một phản hồi và một thao tác.")))
        return HTTPSeeOther(back)
    db = request.dbsession
    # Only this site's feedback: an id from another site is simply not found.
    items = db.scalars(
        select(Feedback).where(Feedback.id.in_(ids), Feedback.node_id.in_(_site_items(request)))
    ).all()
    now = utcnow()
    for item in items:
        if ACTIONS[action] is None:
            db.delete(item)
        else:
            item.status = ACTIONS[action]
            item.moderated_at = now
            item.moderated_by = request.user.id
    if items:
        # Feedback rows are not nodes, so portal.events does not see them: bump here,
        # so every process's cached article pages are rebuilt on their next request.
        db.execute(
            update(Site).where(Site.id == request.root_node.site_id).values(generation=Site.generation + 1)
        )
    request.session.flash(request.t(DONE[action], n=len(items)))
    return HTTPSeeOther(back)


def includeme(config):
    config.add_admin_page(
        "feedback_queue",
        _("Phản hồi của bạn đọc"),
        _("Duyệt hoặc từ chối phản hồi gửi dưới các bài viết."),
        permission=Permissions.ModerateFeedback,
    )
    config.add_route("feedback_queue", "/quan-tri/phan-hoi")
    config.add_view(
        queue_view,
        route_name="feedback_queue",
        renderer="feedback_queue.html",
        permission=Permissions.ModerateFeedback,
        request_method=("GET", "HEAD"),
    )
    config.add_route("feedback_moderate", "/quan-tri/phan-hoi/xu-ly")
    config.add_view(
        moderate_view,
        route_name="feedback_moderate",
        permission=Permissions.ModerateFeedback,
        request_method="POST",  # Pyramid checks the CSRF token (require_csrf by default)
    )
