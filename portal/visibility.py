"""Keeps ``nodes.public``, ``public_from`` and ``public_until`` true after every flush.

A node is public when it and every ancestor are in a public workflow state; it
is visible from the latest ``effective`` and until the earliest ``expires`` along
its lineage. A private folder therefore hides everything inside it, in the
traverser and in any query across the tree, through one condition on one row
(``workflow.visible_clause``).

Any flush that adds a node or changes its state, dates or place recomputes that
node's subtree: one SELECT of the subtree's columns and one executemany UPDATE of
the rows whose values changed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session
from zope.sqlalchemy import mark_changed

from .models import Node
from .workflow import PUBLIC_STATES

_KEY = "portal.visibility_roots"
_WATCHED = ("state", "effective", "expires", "parent_id", "path")


@event.listens_for(Session, "before_flush")
def collect(session: Session, flush_context, instances) -> None:
    pending = session.info.setdefault(_KEY, set())
    for obj in session.new:
        if isinstance(obj, Node):
            pending.add(obj)
    for obj in session.dirty:
        if isinstance(obj, Node):
            attrs = inspect(obj).attrs
            if any(attrs[name].history.has_changes() for name in _WATCHED):
                pending.add(obj)


@event.listens_for(Session, "after_flush_postexec")
def refresh(session: Session, flush_context) -> None:
    pending = session.info.pop(_KEY, None)
    if not pending:
        return
    live = [n for n in pending if inspect(n).persistent]
    # Only the topmost changed nodes: their subtrees cover the rest.
    tops: dict[tuple[int, str], Node] = {}
    for node in sorted(live, key=lambda n: n.path):
        if not any(node.site_id == s and node.path.startswith(p) for s, p in tops):
            tops[(node.site_id, node.path)] = node
    for node in tops.values():
        refresh_subtree(session, node)


def _lineage_start(session: Session, node: Node):
    """(public, from, until) of the node's parent; a root starts public and unbounded."""
    if node.parent_id is None:
        return True, None, None
    row = session.execute(
        select(Node.public, Node.public_from, Node.public_until).where(Node.id == node.parent_id)
    ).first()
    return tuple(row) if row else (False, None, None)


def refresh_subtree(session: Session, node: Node) -> None:
    conn = session.connection()
    start = _lineage_start(session, node)
    parent_path = node.path.rsplit("/", 2)[0] + "/" if node.parent_id is not None else None
    rows = conn.execute(
        select(
            Node.id, Node.path, Node.state, Node.effective, Node.expires,
            Node.public, Node.public_from, Node.public_until,
        )
        .where(Node.site_id == node.site_id, Node.path.startswith(node.path, autoescape=True))
        .order_by(Node.path)
    ).all()  # fmt: skip
    computed: dict[str, tuple] = {}
    if parent_path is not None:
        computed[parent_path] = start
    changes = []
    for row in rows:
        up_path = row.path.rsplit("/", 2)[0] + "/" if row.path != "/" else None
        up_public, up_from, up_until = computed.get(up_path, (True, None, None))
        effective, expires = _utc(row.effective), _utc(row.expires)
        public = bool(up_public) and row.state in PUBLIC_STATES
        public_from = max((t for t in (_utc(up_from), effective) if t), default=None)
        public_until = min((t for t in (_utc(up_until), expires) if t), default=None)
        computed[row.path] = (public, public_from, public_until)
        if (bool(row.public), _utc(row.public_from), _utc(row.public_until)) != (
            public,
            public_from,
            public_until,
        ):
            changes.append({"nid": row.id, "pub": public, "pfrom": public_from, "puntil": public_until})
    if not changes:
        return
    table = Node.__table__
    conn.execute(
        update(table)
        .where(table.c.id == bindparam("nid"))
        .values(public=bindparam("pub"), public_from=bindparam("pfrom"),
                public_until=bindparam("puntil")),
        changes,
    )  # fmt: skip
    mark_changed(session)
    changed = {c["nid"] for c in changes}
    for obj in session.identity_map.values():
        if isinstance(obj, Node) and obj.__dict__.get("id") in changed:
            session.expire(obj, ["public", "public_from", "public_until"])


def _utc(value):
    """Values read through Core on SQLite come back naive; they are UTC."""
    if value is None or isinstance(value, str):
        return value
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
