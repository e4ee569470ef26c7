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
its own session, writes the index, commits the index, then moves the index's cursor
(``search_cursors``): a crash anywhere in between leaves the cursor behind, and
applying the rows again is harmless (each node is read again from the database).

Every index (every machine, every data directory) has its own cursor, so several
indexes follow one outbox. Ids are allocated at insert but transactions commit in
another order, so a row with a smaller id can appear after a larger one: the cursor
only passes rows older than ``portal.search.reapply_seconds`` (60); younger rows above
it are remembered by the process that applied them (``_CursorState``) and applied by
others again, harmlessly. Rows are pruned (``prune``, at most every few minutes) once
every cursor seen within ``portal.search.cursor_max_age_days`` (7) has passed them; an
index whose cursor is below what was pruned is rebuilt from the database.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from sqlalchemy import delete, event, func, insert, inspect, select, update
from sqlalchemy.orm import Session, with_polymorphic

from portal.models import Node

from .engine import FAR_FUTURE, IndexDocument
from .models import DELETE, INDEX, TREE, SearchCursor, SearchOutbox

log = logging.getLogger(__name__)

_KEY = "search.changes"
_HOOKED = "search.hooked"
_WATCHED = ("state", "effective", "expires", "parent_id", "path", "name")
BATCH = 200
PRUNED = "__pruned__"  # the cursor row recording the highest id pruned
REAPPLY_SECONDS = 60.0  # portal.search.reapply_seconds
CURSOR_MAX_AGE_DAYS = 7.0  # portal.search.cursor_max_age_days
HOUSEKEEPING_SECONDS = 300.0  # heartbeat and pruning, at most this often per process
REBUILDING = "rebuilding"  # in the index directory while it is rebuilt from the database


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


# --- each index's cursor -------------------------------------------------------------------


@dataclass
class _CursorState:
    """What this process knows of its index's cursor (kept on the engine object)."""

    horizon: int | None = None  # the cursor as last read or written; None: unknown
    # Rows above the horizon already applied, with their ``created``: younger than the
    # re-apply window, a row with a smaller id may still commit, so the cursor stays below.
    recent: dict[int, dt.datetime] = field(default_factory=dict)
    next_housekeeping: float = 0.0  # time.monotonic(): heartbeat and pruning


def _state(engine) -> _CursorState:
    state = getattr(engine, "_outbox_cursor", None)
    if state is None:
        state = engine._outbox_cursor = _CursorState()
    return state


def _setting(registry, name: str, default: float) -> float:
    try:
        return float((registry.settings or {}).get(name, default))
    except (TypeError, ValueError):
        return default


def _window(registry) -> dt.timedelta:
    return dt.timedelta(seconds=_setting(registry, "portal.search.reapply_seconds", REAPPLY_SECONDS))


def _max_age(registry) -> dt.timedelta:
    return dt.timedelta(days=_setting(registry, "portal.search.cursor_max_age_days", CURSOR_MAX_AGE_DAYS))


def _session(bind) -> Session:
    return Session(bind=bind, join_transaction_mode="create_savepoint")


def _read_cursor(bind, name: str) -> tuple[int | None, int]:
    """(this index's last_id or None, the pruned horizon or 0)."""
    with _session(bind) as db:
        found = dict(
            db.execute(
                select(SearchCursor.name, SearchCursor.last_id).where(SearchCursor.name.in_([name, PRUNED]))
            ).all()
        )
        db.rollback()
    return found.get(name), found.get(PRUNED) or 0


def _write_cursor(bind, name: str, last_id: int) -> None:
    # Only this index's writer (under its lock) writes its row. Starts with the write.
    with _session(bind) as db:
        now = _now()
        changed = db.execute(
            update(SearchCursor).where(SearchCursor.name == name).values(last_id=last_id, seen_at=now)
        ).rowcount
        if not changed:
            db.add(SearchCursor(name=name, last_id=last_id, seen_at=now))
        db.commit()


def _nothing_pending(registry, engine, state: _CursorState) -> bool:
    """One small query: True when this process has applied every row above its cursor,
    nobody moved the cursor meanwhile and no pruning passed it (else: a full apply)."""
    horizon = state.horizon
    if horizon is None or time.monotonic() >= state.next_housekeeping:
        return False
    with _session(_bind(registry)) as db:
        above, mine, pruned = db.execute(
            select(
                select(func.count(SearchOutbox.id)).where(SearchOutbox.id > horizon).scalar_subquery(),
                select(SearchCursor.last_id).where(SearchCursor.name == engine.index_name).scalar_subquery(),
                select(SearchCursor.last_id).where(SearchCursor.name == PRUNED).scalar_subquery(),
            )
        ).one()
        db.rollback()
    return above == len(state.recent) and mine == horizon and (pruned or 0) <= horizon


def pending_count(registry, engine=None) -> int:
    """Outbox rows this index has not applied, as far as this process knows (rows above
    its cursor that this process applied are not counted)."""
    engine = engine or registry["portal.search"]
    state = _state(engine)
    cursor, _pruned = _read_cursor(_bind(registry), engine.index_name)
    cursor = cursor or 0
    with _session(_bind(registry)) as db:
        ids = set(db.scalars(select(SearchOutbox.id).where(SearchOutbox.id > cursor)))
        db.rollback()
    if state.horizon == cursor:
        ids -= set(state.recent)
    return len(ids)


def apply_pending(registry, *, wait: float = 30.0, engine=None) -> int:
    """Apply the outbox rows this index has not applied yet; the number applied. Returns 0
    at once if nothing is pending (one small query), or if another process holds the
    index's writer lock beyond ``wait`` seconds.

    Rows above the cursor are read in batches in one session each, written to the index,
    and the cursor is moved in a short transaction of its own that starts with the write
    (on SQLite a read transaction that later writes fails if another connection committed
    meanwhile). Rows are not deleted: other indexes may still need them (``prune``).
    An index whose cursor fell behind pruned rows is rebuilt from the database."""
    engine = engine or registry["portal.search"]
    state = _state(engine)
    if _nothing_pending(registry, engine, state):
        return 0
    with engine.writer_lock(wait) as locked:
        if not locked:
            return 0
        done = _apply_locked(registry, engine, state)
        if time.monotonic() >= state.next_housekeeping:
            state.next_housekeeping = time.monotonic() + HOUSEKEEPING_SECONDS
            try:
                prune(registry)
            except Exception:  # another machine pruned at the same time: next time
                log.warning("search: pruning the outbox failed", exc_info=True)
        return done


def _apply_locked(registry, engine, state: _CursorState, *, may_rebuild: bool = True) -> int:
    bind = _bind(registry)
    types = registry["portal.types"]
    cursor, pruned = _read_cursor(bind, engine.index_name)
    cursor = cursor or 0
    if pruned > cursor:
        if may_rebuild:
            log.warning(
                "search: index %s is behind the pruned outbox (%s < %s): rebuilding it",
                engine.index_name, cursor, pruned,
            )  # fmt: skip
            _rebuild(registry, engine, state)
            return 0
        log.error("search: index %s is behind the pruned outbox; run: portal reindex", engine.index_name)
    if state.horizon != cursor:  # another process moved it, or the first time
        state.horizon, state.recent = cursor, {}
    window = _window(registry)
    done = 0
    after = cursor
    while True:
        with _session(bind) as db:
            rows = db.execute(
                select(SearchOutbox.id, SearchOutbox.node_id, SearchOutbox.action, SearchOutbox.created)
                .where(SearchOutbox.id > after)
                .order_by(SearchOutbox.id)
                .limit(BATCH)
            ).all()
            if not rows:
                db.rollback()
                break
            after = rows[-1].id
            todo = [row for row in rows if row.id not in state.recent]
            ids = set()
            for row in todo:
                ids.add(row.node_id)
                if row.action == TREE:
                    ids |= set(_subtree_ids(db, row.node_id))
            docs, deletes = _documents(db, types, ids)
            db.rollback()
        if todo:
            engine.apply(docs, deletes)
        for row in rows:
            state.recent[row.id] = row.created
        done += len(todo)
        if len(rows) == BATCH:  # a long backlog: keep the progress
            _advance(bind, engine, state, window)
    _advance(bind, engine, state, window)
    return done


def _advance(bind, engine, state: _CursorState, window: dt.timedelta) -> None:
    """Move the cursor to the highest applied id older than the re-apply window (every
    row up to it is applied, and none below it can still commit); heartbeat."""
    limit = _now() - window
    settled = [i for i, created in state.recent.items() if created is None or created < limit]
    horizon = max([state.horizon or 0, *settled])
    _write_cursor(bind, engine.index_name, horizon)
    state.horizon = horizon
    state.recent = {i: c for i, c in state.recent.items() if i > horizon}


def prune(registry) -> int:
    """Delete the rows every index seen recently has applied (cursors not seen within
    ``portal.search.cursor_max_age_days`` do not count) and older than the re-apply
    window, keeping the newest row (SQLite would reuse its id); record the highest id
    pruned in the ``__pruned__`` cursor. The number of rows deleted."""
    bind = _bind(registry)
    now = _now()
    young = now - _window(registry)
    with _session(bind) as db:
        bound = db.scalar(
            select(func.min(SearchCursor.last_id)).where(
                SearchCursor.name != PRUNED, SearchCursor.seen_at >= now - _max_age(registry)
            )
        )
        newest = db.scalar(select(func.max(SearchOutbox.id)))
        top = None
        if bound is not None and newest is not None:
            top = db.scalar(
                select(func.max(SearchOutbox.id)).where(
                    SearchOutbox.id <= bound, SearchOutbox.id < newest, SearchOutbox.created < young
                )
            )
        db.rollback()
    if top is None:
        return 0
    with _session(bind) as db:
        # Starts with the write; the horizon first, so no index misses that it fell behind.
        raised = db.execute(
            update(SearchCursor)
            .where(SearchCursor.name == PRUNED, SearchCursor.last_id < top)
            .values(last_id=top, seen_at=now)
        ).rowcount
        if not raised and db.get(SearchCursor, PRUNED) is None:
            db.add(SearchCursor(name=PRUNED, last_id=top, seen_at=now))
            db.flush()
        deleted = db.execute(
            delete(SearchOutbox).where(SearchOutbox.id <= top, SearchOutbox.created < young)
        ).rowcount
        db.commit()
    return deleted


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


def _rebuild(registry, engine, state: _CursorState) -> int:
    """Rebuild the index from the database (callers hold ``writer_lock``); the number of
    documents indexed. The cursor is taken before the nodes are read (the highest row
    older than the re-apply window, or the pruned horizon), so what commits during the
    rebuild is replayed after it."""
    bind = _bind(registry)
    types = registry["portal.types"]
    count = 0
    _cursor, pruned = _read_cursor(bind, engine.index_name)
    with _session(bind) as db:
        settled = db.scalar(
            select(func.max(SearchOutbox.id)).where(SearchOutbox.created < _now() - _window(registry))
        )
        db.rollback()
    start = max(settled or 0, pruned)
    # Written first: pruning waits for this index while it is rebuilt. Until the rebuild
    # is done, a marker says the index is incomplete (rebuilt again after a crash).
    marker = engine.directory / REBUILDING
    marker.touch()
    _write_cursor(bind, engine.index_name, start)
    state.horizon, state.recent = start, {}
    with _session(bind) as db:
        engine.clear()
        ids = list(db.scalars(select(Node.id).order_by(Node.id)))
        for first in range(0, len(ids), 1000):
            docs, _deletes = _documents(db, types, ids[first : first + 1000])
            engine.apply(docs, [])
            count += len(docs)
        db.rollback()
    marker.unlink(missing_ok=True)
    # Pruned past ``start`` before the cursor was written (so before the nodes were read):
    # the rebuild covers those rows.
    _cursor, pruned = _read_cursor(bind, engine.index_name)
    if pruned > start:
        _write_cursor(bind, engine.index_name, pruned)
        state.horizon, state.recent = pruned, {}
    _apply_locked(registry, engine, state, may_rebuild=False)
    return count


def reindex_all(registry, engine=None) -> int:
    """Rebuild the index from the database and set its cursor; the number of documents
    indexed. Rows stay in the outbox: other indexes may need them."""
    engine = engine or registry["portal.search"]
    with engine.writer_lock(120.0) as locked:
        if not locked:
            raise RuntimeError("the search index is locked by another process")
        return _rebuild(registry, engine, _state(engine))


def start_up(registry, engine=None) -> None:
    """At start-up: a new (empty) index is built from the database; otherwise the rows
    it has not applied are (what a crash left, what other machines committed), or, if
    it was away so long that rows it needed were pruned, it is rebuilt."""
    engine = engine or registry["portal.search"]
    try:
        if engine.is_new or (engine.directory / REBUILDING).exists():
            reindex_all(registry, engine)
        else:
            apply_pending(registry, engine=engine)
    except Exception:
        log.exception("search: start-up indexing failed; run: portal reindex")
