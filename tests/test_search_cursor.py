"""Several indexes on one outbox (issue 4): each index (machine, data directory) follows
the outbox with its own cursor; rows are pruned once every index seen recently has
applied them; an index away longer than the cursor max age is rebuilt at its next
start; a row committed late with a smaller id is still applied; ``reindex`` sets the
cursor and deletes nothing. On both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, insert, select, update

from portal.models import Node, utcnow
from search.engine import default_index_name, make_engine
from search.models import INDEX, SearchCursor, SearchOutbox
from search.outbox import PRUNED, apply_pending, pending_count, prune, reindex_all, start_up
from tests.conftest import login
from tests.test_search import engine_titles, search_engine_fixture, titles  # noqa: F401


@pytest.fixture
def two(registry, db, search_engine, tmp_path):
    """Index A (the app's, fed by requests) and index B (another machine's: another
    directory, another name) on the same database, each with its cursor registered."""
    other = make_engine(search_engine.name, tmp_path / "other" / search_engine.name)
    assert other.index_name != search_engine.index_name
    # Cursors of indexes outside this test (the session's app index) must not hold pruning.
    db.execute(delete(SearchCursor))
    db.commit()
    age_outbox(db, hours=1)  # rows from before this test: settled, as in a long test run
    apply_pending(registry, engine=search_engine)
    apply_pending(registry, engine=other)
    return search_engine, other


def cursor(db, engine_or_name) -> int | None:
    name = getattr(engine_or_name, "index_name", engine_or_name)
    db.expire_all()
    return db.scalar(select(SearchCursor.last_id).where(SearchCursor.name == name))


def outbox_ids(db) -> list[int]:
    return list(db.scalars(select(SearchOutbox.id).order_by(SearchOutbox.id)))


def age_outbox(db, **ago) -> None:
    """Make every row older than the re-apply window (as if written minutes ago)."""
    db.execute(update(SearchOutbox).values(created=utcnow() - dt.timedelta(**(ago or {"minutes": 5}))))
    db.commit()


def test_default_names_differ_by_directory_and_the_setting_names_the_index(settings, tmp_path):
    from search import build_engine

    assert default_index_name(tmp_path / "a") != default_index_name(tmp_path / "b")
    engine = build_engine(
        {**settings, "portal.search.index_dir": str(tmp_path), "portal.search.index_name": "web-2"}
    )
    assert engine.index_name == "web-2"


def test_two_indexes_each_apply_a_change_and_rows_wait_for_both(registry, make, db, root, two):
    a, b = two
    make("procedure", title="Thủ tục đăng ký hộ tịch", state="published")
    age_outbox(db)
    rows = outbox_ids(db)
    mine = [i for i in rows if i > cursor(db, b)]  # this change's rows
    assert mine and pending_count(registry, a) > 0 and pending_count(registry, b) > 0

    assert apply_pending(registry, engine=a) > 0
    assert engine_titles(a, "ho tich", root) == ["Thủ tục đăng ký hộ tịch"]
    assert cursor(db, a) == rows[-1]  # older than the re-apply window: the cursor passed them
    assert engine_titles(b, "ho tich", root) == []
    prune(registry)
    assert set(mine) <= set(outbox_ids(db))  # B has not applied them

    assert apply_pending(registry, engine=b) > 0
    assert engine_titles(b, "ho tich", root) == ["Thủ tục đăng ký hộ tịch"]
    assert cursor(db, b) == rows[-1]
    assert apply_pending(registry, engine=a) == 0  # nothing pending: the cheap check

    # Both passed them: pruned, but for the newest (SQLite would reuse its id).
    prune(registry)
    assert outbox_ids(db) == rows[-1:]
    assert cursor(db, PRUNED) == rows[-2]
    # Neither index is behind: nothing rebuilt, the next change reaches both.
    make("procedure", title="Thủ tục chứng thực hộ tịch", state="published")
    for engine in (a, b):
        apply_pending(registry, engine=engine)
        assert sorted(engine_titles(engine, "ho tich", root)) == [
            "Thủ tục chứng thực hộ tịch",
            "Thủ tục đăng ký hộ tịch",
        ]


def test_rows_younger_than_the_reapply_window_are_not_pruned(registry, make, db, two):
    a, b = two
    make("page", title="Trang mới", state="published")
    apply_pending(registry, engine=a)
    apply_pending(registry, engine=b)
    rows = outbox_ids(db)
    # Fresh rows: the cursors stay below them, they are not pruned.
    assert cursor(db, a) < rows[-1] and cursor(db, b) < rows[-1]
    fresh = [i for i in rows if i > max(cursor(db, a), cursor(db, b))]
    assert fresh
    prune(registry)
    assert set(fresh) <= set(outbox_ids(db))
    assert pending_count(registry, a) == 0 and pending_count(registry, b) == 0


def test_stale_cursor_does_not_hold_pruning_and_that_index_is_rebuilt_at_start(
    registry, make, db, root, two, tmp_path
):
    a, b = two
    make("page", title="Trang cho máy B", state="published")  # B is searched: not a new index at restart
    age_outbox(db)
    apply_pending(registry, engine=b)
    # B's machine is switched off for longer than the max age (7 days by default).
    db.execute(
        update(SearchCursor)
        .where(SearchCursor.name == b.index_name)
        .values(seen_at=utcnow() - dt.timedelta(days=8))
    )
    db.commit()
    make("procedure", title="Thủ tục đăng ký hộ tịch", state="published")
    make("page", title="Trang mới nhất", state="published")
    age_outbox(db)
    apply_pending(registry, engine=a)
    pruned = prune(registry)
    assert pruned > 0  # B's stale cursor did not hold it back
    horizon = cursor(db, PRUNED)
    assert cursor(db, b) < horizon

    # B's machine starts again: the same index directory, a new process.
    restarted = make_engine(b.name, b.directory)
    assert not restarted.is_new
    assert engine_titles(restarted, "trang", root) == ["Trang cho máy B"]
    start_up(registry, engine=restarted)
    assert engine_titles(restarted, "ho tich", root) == ["Thủ tục đăng ký hộ tịch"]
    assert sorted(engine_titles(restarted, "trang", root)) == ["Trang cho máy B", "Trang mới nhất"]
    assert cursor(db, restarted) >= horizon
    assert pending_count(registry, restarted) == 0


def test_row_committed_late_with_a_smaller_id_is_applied(registry, make, db, root, two):
    a, _b = two
    late = make("procedure", title="Thủ tục giao dịch chậm", state="published")
    other = make("procedure", title="Thủ tục hộ tịch", state="published")
    # The first transaction has not committed yet (hide its rows); the later one, with
    # larger ids, committed first and is applied.
    hidden = db.execute(select(SearchOutbox.id, SearchOutbox.node_id, SearchOutbox.action)).all()
    hidden = [r for r in hidden if r.node_id == late.id]
    db.execute(delete(SearchOutbox).where(SearchOutbox.node_id == late.id))
    db.commit()
    newest = db.scalar(select(func.max(SearchOutbox.id)))
    assert newest > max(r.id for r in hidden)
    apply_pending(registry, engine=a)
    assert engine_titles(a, "thu tuc", root) == ["Thủ tục hộ tịch"]
    # Now the slow transaction commits: its row's id is below what A applied.
    db.execute(
        insert(SearchOutbox),
        [{"id": r.id, "node_id": r.node_id, "action": r.action, "created": utcnow()} for r in hidden],
    )
    db.commit()
    assert cursor(db, a) < min(r.id for r in hidden)  # the cursor waits for the window
    assert pending_count(registry, a) == len(hidden)
    apply_pending(registry, engine=a)
    assert sorted(engine_titles(a, "thu tuc", root)) == ["Thủ tục giao dịch chậm", "Thủ tục hộ tịch"]
    assert other.id


def test_late_row_after_the_cursor_moved_past_older_rows(registry, make, db, root, two):
    a, _b = two
    make("page", title="Trang cũ", state="published")
    age_outbox(db)
    apply_pending(registry, engine=a)
    settled = cursor(db, a)
    assert settled == db.scalar(select(func.max(SearchOutbox.id)))
    node = make("news", title="Tin hộ tịch mới", state="published")
    make("page", title="Trang khác", state="published")
    # The news item's transaction commits late: its rows are above the cursor but
    # below rows already applied.
    hidden = [r.id for r in db.execute(select(SearchOutbox.id).where(SearchOutbox.node_id == node.id))]
    db.execute(delete(SearchOutbox).where(SearchOutbox.node_id == node.id))
    db.commit()
    apply_pending(registry, engine=a)
    assert engine_titles(a, "ho tich", root) == []
    assert settled < min(hidden) and max(hidden) < db.scalar(select(func.max(SearchOutbox.id)))
    db.execute(
        insert(SearchOutbox),
        [{"id": i, "node_id": node.id, "action": INDEX, "created": utcnow()} for i in hidden],
    )
    db.commit()
    apply_pending(registry, engine=a)
    assert engine_titles(a, "ho tich", root) == ["Tin hộ tịch mới"]


def test_reindex_sets_the_cursor_and_deletes_no_rows(registry, make, db, root, two):
    a, b = two
    make("procedure", title="Thủ tục đăng ký hộ tịch", state="published")
    age_outbox(db)
    rows = outbox_ids(db)
    assert reindex_all(registry, engine=a) == 1
    assert engine_titles(a, "ho tich", root) == ["Thủ tục đăng ký hộ tịch"]
    assert cursor(db, a) == rows[-1]
    assert outbox_ids(db) == rows  # B still needs them
    assert cursor(db, b) < rows[-1]
    apply_pending(registry, engine=b)
    assert engine_titles(b, "ho tich", root) == ["Thủ tục đăng ký hộ tịch"]


def test_edit_over_http_is_searchable_at_once_and_reaches_the_other_index(app, registry, db, root, two):
    a, b = two
    login(app, "admin")
    form = app.get("/@@add?type=page").forms["deform"]
    form["title"] = "Thông báo đăng ký hộ tịch"
    res = form.submit("save")
    assert res.status_int == 302
    assert app.get(res.location + "@@workflow").forms["deform"].submit("publish").status_int == 302
    # Index A: applied by the request's after-commit hook.
    assert engine_titles(a, "ho tich", root) == ["Thông báo đăng ký hộ tịch"]
    assert pending_count(registry, a) == 0
    app.reset()
    assert titles(app, "ho tich") == ["Thông báo đăng ký hộ tịch"]
    # Index B (another machine): its rows are waiting, applied at its next apply.
    assert pending_count(registry, b) > 0
    assert engine_titles(b, "ho tich", root) == []
    apply_pending(registry, engine=b)
    assert engine_titles(b, "ho tich", root) == ["Thông báo đăng ký hộ tịch"]
    found = select(func.count()).select_from(Node).where(Node.title == "Thông báo đăng ký hộ tịch")
    assert db.scalar(found) == 1


def test_nothing_pending_costs_one_small_query(registry, make, connection, two):
    from sqlalchemy import event

    a, _b = two
    make("page", title="Trang", state="published")
    apply_pending(registry, engine=a)
    seen = []

    def log(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            seen.append(statement)

    event.listen(connection, "before_cursor_execute", log)
    try:
        assert apply_pending(registry, engine=a, wait=0) == 0
    finally:
        event.remove(connection, "before_cursor_execute", log)
    assert len(seen) == 1, seen


def test_rebuild_interrupted_by_a_crash_is_done_again_at_start(registry, make, db, root, two):
    from search.outbox import REBUILDING

    _a, b = two
    make("procedure", title="Thủ tục đăng ký hộ tịch", state="published")
    apply_pending(registry, engine=b)
    with b.writer_lock():
        b.clear()  # the rebuild had emptied the index when the process died
    (b.directory / REBUILDING).touch()
    restarted = make_engine(b.name, b.directory)
    start_up(registry, engine=restarted)
    assert engine_titles(restarted, "ho tich", root) == ["Thủ tục đăng ký hộ tịch"]
    assert not (b.directory / REBUILDING).exists()
