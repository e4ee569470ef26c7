"""Session events: every content change bumps its site's generation counter.

The counter is read with the site root on every request (same query), so
caches of rendered parts (navigation, blocks) are keyed by it and never serve
what a change has made stale, in this process or any other.

Sites touched are collected at each flush and the counter is bumped once, just
before commit: the row lock on ``sites`` is then held only for the commit itself,
not for the whole editing transaction.
"""

from __future__ import annotations

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from .models import LocalRole, Node, Site

_KEY = "portal.touched_sites"


@event.listens_for(Session, "before_flush")
def collect_touched_sites(session: Session, flush_context, instances) -> None:
    touched = session.info.setdefault(_KEY, set())
    role_nodes = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Node):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            if obj.site_id is not None:
                touched.add(obj.site_id)
        elif isinstance(obj, LocalRole):
            role_nodes.add(obj.node_id)
    if role_nodes:
        touched |= set(session.scalars(select(Node.site_id).where(Node.id.in_(role_nodes))))


@event.listens_for(Session, "before_commit")
def bump_generation(session: Session) -> None:
    session.flush()  # let before_flush see the last changes
    touched = session.info.pop(_KEY, None)
    if touched:
        # Sorted: two transactions touching the same sites lock them in one order.
        for site_id in sorted(touched):
            session.execute(update(Site).where(Site.id == site_id).values(generation=Site.generation + 1))


@event.listens_for(Session, "after_rollback")
def forget_touched_sites(session: Session) -> None:
    session.info.pop(_KEY, None)
