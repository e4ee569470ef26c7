"""Lineage visibility: one condition on one row hides everything under a hidden folder."""

import datetime as dt

from sqlalchemy import select

from portal import tree
from portal.models import Node, utcnow
from portal.workflow import visible_clause
from tests.conftest import login


def visible_paths(db):
    db.expire_all()
    paths = set(db.scalars(select(Node.path).where(visible_clause())))
    db.commit()
    return paths


def test_published_page_in_a_private_folder_is_hidden_everywhere(app, db, make):
    folder = make("folder", title="Nội bộ", state="private")
    make("page", folder, title="Bảng lương", state="published")
    assert "/noi-bo/bang-luong/" not in visible_paths(db)
    app.get("/noi-bo/bang-luong/", status=404)

    login(app, "reviewer")
    assert app.get("/noi-bo/@@workflow").forms["deform"].submit("publish").status_int == 302
    app.reset()
    app.get("/noi-bo/bang-luong/", status=200)
    assert {"/noi-bo/", "/noi-bo/bang-luong/"} <= visible_paths(db)


def test_a_folders_window_bounds_everything_inside(db, make):
    start = utcnow() + dt.timedelta(days=1)
    end = utcnow() + dt.timedelta(days=10)
    folder = make("folder", title="Sắp mở", state="published", effective=start, expires=end)
    page = make("page", folder, title="Bên trong", state="published")
    db.expire_all()
    assert page.public and page.public_from == start and page.public_until == end
    assert "/sap-mo/ben-trong/" not in visible_paths(db)
    later = set(db.scalars(select(Node.path).where(visible_clause(start + dt.timedelta(hours=1)))))
    assert "/sap-mo/ben-trong/" in later
    after = set(db.scalars(select(Node.path).where(visible_clause(end + dt.timedelta(hours=1)))))
    assert "/sap-mo/ben-trong/" not in after


def test_moving_in_and_out_of_a_private_folder(db, make):
    hidden = make("folder", title="Kín", state="private")
    page = make("page", title="Tin", state="published")
    assert "/tin/" in visible_paths(db)
    tree.move(db, page, hidden)
    db.commit()
    assert "/kin/tin/" not in visible_paths(db)
    root = db.scalar(select(Node).where(Node.parent_id.is_(None)))
    tree.move(db, page, root)
    db.commit()
    assert "/tin/" in visible_paths(db)


def test_a_private_site_root_hides_the_whole_site(app, db, root, make):
    make("folder", title="Giới thiệu", state="published")
    root.state = "private"
    db.commit()
    app.get("/gioi-thieu/", status=404)
    assert "/gioi-thieu/" not in visible_paths(db)
