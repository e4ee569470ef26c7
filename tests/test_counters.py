"""View counts: a page view writes nothing in its request; counts are written in batches."""

from sqlalchemy import event, select

from portal.models import ViewCount
from tests.conftest import login


def test_views_are_counted_without_writing_in_the_request(app, make, db, registry, connection):
    page = make("page", title="Thông báo", state="published")
    writes = []

    def log(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    event.listen(connection, "before_cursor_execute", log)
    try:
        for _ in range(3):
            app.get("/thong-bao/")
    finally:
        event.remove(connection, "before_cursor_execute", log)
    assert writes == []
    counter = registry["portal.view_counter"]
    assert counter.pending() == {page.id: 3}

    assert counter.flush() == 1
    assert db.scalar(select(ViewCount.count).where(ViewCount.node_id == page.id)) == 3
    app.get("/thong-bao/")
    counter.flush()
    db.expire_all()
    assert db.scalar(select(ViewCount.count).where(ViewCount.node_id == page.id)) == 4


def test_editors_previews_are_not_counted(app, make, registry):
    make("page", title="Bản nháp", state="private")
    login(app, "editor")
    app.get("/ban-nhap/")
    assert registry["portal.view_counter"].pending() == {}


def test_counts_for_a_deleted_item_do_not_break_the_flush(app, make, db, registry):
    page = make("page", title="Sẽ xóa", state="published")
    other = make("page", title="Còn lại", state="published")
    app.get("/se-xoa/")
    app.get("/con-lai/")
    db.delete(page)
    db.commit()
    counter = registry["portal.view_counter"]
    counter.flush()
    db.expire_all()
    assert db.scalar(select(ViewCount.count).where(ViewCount.node_id == other.id)) == 1
