"""Indexing that follows the database: the outbox, its session listeners and its replay.

At every flush the listener notes which nodes were added, changed or deleted
(a deleted folder: its whole subtree; a node whose state, dates or place changed:
its subtree, whose lineage visibility or paths changed with it). Just before commit
it writes one ``search_outbox`` row per node in the same transaction, like
``portal.events`` bumps the site generation.

After the commit the rows are applied (``apply_pending``): for a request, by an
after-commit hook on the request's transaction (pyramid_tm), so the change is
searchable when the response leaves; for other sessions (scripts, the CLI), at the
next start-up, the next search or ``portal reindex``. Applying reads each node in
its own session, writes the index, commits the index, then deletes the rows: a crash
anywhere in between leaves rows behind, and applying them again is harmless.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, event, exists, insert, inspect, select
from sqlalchemy.orm import Session, with_polymorphic

from portal.models import Node

from .engine import FAR_FUTURE, IndexDocument
from .models import DELETE, INDEX, TREE, SearchOutbox

log = logging.getLogger(__name__)

_KEY = "search.changes"
_HOOKED = "search.hooked"
_WATCHED = ("state", "effective", "expires", "parent_id", "path", "name")
BATCH = 200


@event.listens_for(Session, "before_flush")
def collect_changes(session: Session, flush_context, instances) -> None:
    changes = session.info.setdefault(_KEY, {"objs": {}, "ids": {}})
    found = False
    for obj in session.new:
        if isinstance(obj, Node):
            changes["objs"][obj] = INDEX
            found = True
    for obj in session.dirty:
        if isinstance(obj, Node) and session.is_modified(obj, include_collections=False):
            attrs = inspect(obj).attrs
            tree = any(attrs[name].history.has_changes() for name in _WATCHED)
            if tree or changes["objs"].get(obj) != TREE:
                changes["objs"][obj] = TREE if tree else changes["objs"].get(obj, INDEX)
            found = True
    for obj in session.deleted:
        if isinstance(obj, Node) and obj.id is not None:
            changes["ids"][obj.id] = DELETE
            # The database deletes the subtree (ON DELETE CASCADE): note it while it is there.
            below = select(Node.id).where(
                Node.site_id == obj.site_id, Node.path.startswith(obj.path, autoescape=True)
            )
            for node_id in session.scalars(below):
                changes["ids"][node_id] = DELETE
            found = True
    if found:
        _hook_request(session)


def _hook_request(session: Session) -> None:
    """Apply the outbox after a request's transaction commits."""
    request = session.info.get("request")
    if request is None or "portal.search" not in request.registry:
        return
    txn = request.tm.get()
    if session.info.get(_HOOKED) is txn:
        return
    session.info[_HOOKED] = txn
    registry = request.registry

    def after_commit(success: bool) -> None:
        if success:
            try:
                apply_pending(registry, wait=5.0)
            except Exception:  # the rows stay; the next start-up or search applies them
                log.exception("search: applying the outbox failed")

    txn.addAfterCommitHook(after_commit)


@event.listens_for(Session, "before_commit")
def write_outbox(session: Session) -> None:
    session.flush()  # let before_flush see the last changes
    changes = session.info.pop(_KEY, None)
    if not changes:
        return
    rows = dict(changes["ids"])
    for obj, action in changes["objs"].items():
        identity = inspect(obj).identity
        if identity is not None and rows.get(identity[0]) != DELETE:
            rows[identity[0]] = action
    if rows:
        session.execute(
            insert(SearchOutbox),
            [{"node_id": nid, "action": action, "created": _now()} for nid, action in sorted(rows.items())],
        )


@event.listens_for(Session, "after_rollback")
def forget_changes(session: Session) -> None:
    session.info.pop(_KEY, None)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- from nodes to index documents --------------------------------------------------------


def _ts(value: dt.datetime | None, default: int) -> int:
    if value is None:
        return default
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return int(value.timestamp())


def document_for(node: Node, types) -> IndexDocument | None:
    """The node's index document through its type's ``search=`` adapter; None when the
    type is not searched (the root, folders, links, images)."""
    info = types.get(node.type)
    adapter = info.extra.get("search") if info is not None else None
    if adapter is None:
        return None
    data = adapter(node) or {}
    year = data.get("year") or 0
    return IndexDocument(
        id=node.id,
        site_id=node.site_id,
        path=node.path,
        type=node.type,
        title=data.get("title", node.title) or "",
        description=data.get("description", node.description) or "",
        body=data.get("body", "") or "",
        owner_id=node.owner_id or 0,
        public=bool(node.public),
        public_from=_ts(node.public_from, 0),
        public_until=_ts(node.public_until, FAR_FUTURE),
        field=data.get("field", "") or "",
        agency=data.get("agency", "") or "",
        year=int(year) if str(year).isdigit() else 0,
        modified=_ts(node.modified, 0),
    )


def _documents(db: Session, types, node_ids) -> tuple[list[IndexDocument], list[int]]:
    """Documents for the nodes that exist and are searched; ids to delete for the rest."""
    docs, deletes = [], []
    node_ids = sorted(set(node_ids))
    entity = with_polymorphic(Node, "*")
    for start in range(0, len(node_ids), BATCH):
        chunk = node_ids[start : start + BATCH]
        found = {n.id: n for n in db.scalars(select(entity).where(entity.id.in_(chunk)))}
        for node_id in chunk:
            node = found.get(node_id)
            doc = document_for(node, types) if node is not None else None
            if doc is None:
                deletes.append(node_id)
            else:
                docs.append(doc)
    return docs, deletes


def _bind(registry):
    # The app's bind (the engine; in tests the test's connection, joined by savepoints).
    return registry["dbsession_factory"].kw["bind"]


def has_pending(db: Session) -> bool:
    return bool(db.scalar(select(exists().where(SearchOutbox.id.is_not(None)))))


def apply_pending(registry, *, wait: float = 30.0) -> int:
    """Apply every outbox row to the index; the number of rows applied. Returns 0 at
    once if another process holds the index's writer lock beyond ``wait`` seconds.

    Each batch is read in one session, written to the index, then its rows are deleted
    in a short transaction of its own that starts with the write (on SQLite a read
    transaction that later writes fails if another connection committed meanwhile)."""
    engine = registry["portal.search"]
    types = registry["portal.types"]
    bind = _bind(registry)
    done = 0
    with engine.writer_lock(wait) as locked:
        if not locked:
            return 0
        while True:
            with Session(bind=bind, join_transaction_mode="create_savepoint") as db:
                rows = db.execute(
                    select(SearchOutbox.id, SearchOutbox.node_id, SearchOutbox.action)
                    .order_by(SearchOutbox.id)
                    .limit(BATCH)
                ).all()
                if not rows:
                    db.rollback()
                    return done
                ids = set()
                for row in rows:
                    ids.add(row.node_id)
                    if row.action == TREE:
                        ids |= set(_subtree_ids(db, row.node_id))
                docs, deletes = _documents(db, types, ids)
                db.rollback()
            engine.apply(docs, deletes)
            with Session(bind=bind, join_transaction_mode="create_savepoint") as db:
                db.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
                db.commit()
            done += len(rows)


def _subtree_ids(db: Session, node_id: int) -> list[int]:
    node = db.execute(select(Node.site_id, Node.path).where(Node.id == node_id)).first()
    if node is None:
        return []
    return list(
        db.scalars(
            select(Node.id).where(
                Node.site_id == node.site_id, Node.path.startswith(node.path, autoescape=True)
            )
        )
    )


def reindex_all(registry) -> int:
    """Rebuild the index from the database; the number of documents indexed."""
    engine = registry["portal.search"]
    types = registry["portal.types"]
    count = 0
    with engine.writer_lock(120.0) as locked:
        if not locked:
            raise RuntimeError("the search index is locked by another process")
        with Session(bind=_bind(registry), join_transaction_mode="create_savepoint") as db:
            # Rows written before the rebuild are covered by it.
            last = db.scalar(select(SearchOutbox.id).order_by(SearchOutbox.id.desc()).limit(1))
            engine.clear()
            ids = list(db.scalars(select(Node.id).order_by(Node.id)))
            for start in range(0, len(ids), 1000):
                docs, _deletes = _documents(db, types, ids[start : start + 1000])
                engine.apply(docs, [])
                count += len(docs)
            if last is not None:
                db.execute(delete(SearchOutbox).where(SearchOutbox.id <= last))
            db.commit()
    return count


def start_up(registry) -> None:
    """At start-up: a new (empty) index is built from the database; otherwise what a
    crash left in the outbox is applied."""
    try:
        if registry["portal.search"].is_new:
            reindex_all(registry)
        else:
            apply_pending(registry)
    except Exception:
        log.exception("search: start-up indexing failed; run: portal reindex")
