"""Which children a user sees in a listing, decided in SQL.

Anonymous visitors see what ``workflow.visible_clause`` allows. A logged-in
user also sees what they own and everything under a place where they hold a
role that may view content in any state. Listings select only the columns they
show, so they cost one query however long they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from .models import Node, utcnow
from .workflow import SIMPLE_PUBLICATION, visible_clause

LISTING_COLUMNS = (
    Node.id,
    Node.name,
    Node.path,
    Node.type,
    Node.title,
    Node.description,
    Node.state,
    Node.position,
    Node.effective,
    Node.modified,
    Node.owner_id,
    Node.exclude_from_nav,
)


def may_see_clause(request, entity=Node, now=None):
    clause = visible_clause(now, entity=entity)
    ident = request.identity_obj
    if ident is None:
        return clause
    viewer = SIMPLE_PUBLICATION.viewer_roles
    paths = sorted({path for path, role in ident.local_roles if role in viewer})
    extra = [entity.owner_id == ident.user.id]
    extra += [entity.path.startswith(p, autoescape=True) for p in paths]
    return or_(clause, *extra)


def children(
    request,
    parent: Node,
    *,
    columns=LISTING_COLUMNS,
    nav_only=False,
    limit=None,
    offset=0,
    now=None,
):
    q = (
        select(*columns)
        .where(Node.parent_id == parent.id, may_see_clause(request, now=now))
        .order_by(Node.position, Node.id)
    )
    if nav_only:
        q = q.where(Node.exclude_from_nav.is_(False))
    if limit:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    return request.dbsession.execute(q).all()


@dataclass
class Batch:
    items: list
    number: int  # 1-based
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


PAGE_PARAM = "trang"


def page_number(request) -> int:
    """The requested page (?trang=N); anything odd means the first page."""
    raw = request.params.get(PAGE_PARAM, "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 100_000)


def paged(request, query, per_page: int) -> Batch:
    """The requested page (?trang=N) of ``query`` in one query: one row more than shown
    says whether there is a next page."""
    number = page_number(request)
    rows = request.dbsession.execute(query.limit(per_page + 1).offset((number - 1) * per_page)).all()
    return Batch(items=rows[:per_page], number=number, has_next=len(rows) > per_page)


def children_batch(request, parent: Node, *, per_page: int = 50) -> Batch:
    """One page of children in one query: one row more than shown says if there is a next."""
    number = page_number(request)
    rows = children(request, parent, limit=per_page + 1, offset=(number - 1) * per_page)
    return Batch(items=rows[:per_page], number=number, has_next=len(rows) > per_page)


def next_change(request, parent: Node, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the anonymous view of ``parent``'s children next changes by itself:
    the nearest future effective or expiry date among its published children."""
    now = now or utcnow()
    public = (Node.parent_id == parent.id, Node.public.is_(True))
    starts = select(func.min(Node.public_from)).where(*public, Node.public_from > now)
    ends = select(func.min(Node.public_until)).where(*public, Node.public_until > now)
    times = [t for t in (request.dbsession.scalar(starts), request.dbsession.scalar(ends)) if t]
    # SQLite hands back naive values from aggregates: they are UTC.
    times = [t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in times]
    return min(times) if times else None
