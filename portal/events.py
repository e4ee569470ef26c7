"""Session events: every content change bumps its site's generation counter.

The counter is read with the site root on every request (same query), so
caches of rendered parts (navigation, blocks) are keyed by it and never serve
what a change has made stale, in this process or any other.
"""

from __future__ import annotations

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from .models import LocalRole, Node, Site


@event.listens_for(Session, "before_flush")
def bump_generation(session: Session, flush_context, instances) -> None:
    site_ids: set[int] = set()
    role_node_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Node):
            if obj in session.dirty and not session.is_modified(obj, include_collections=False):
                continue
            if obj.site_id is not None:
                site_ids.add(obj.site_id)
        elif isinstance(obj, LocalRole):
            role_node_ids.add(obj.node_id)
    if not site_ids and not role_node_ids:
        return
    conn = session.connection()
    if role_node_ids:
        site_ids |= set(conn.scalars(select(Node.site_id).where(Node.id.in_(role_node_ids))))
    conn.execute(update(Site).where(Site.id.in_(site_ids)).values(generation=Site.generation + 1))


def bump(session: Session, site_id: int) -> None:
    """For changes made with bulk statements that bypass the flush."""
    session.execute(update(Site).where(Site.id == site_id).values(generation=Site.generation + 1))
