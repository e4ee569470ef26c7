"""The content-type registry, and the tree operations and traversal it serves.

* Declaring a type name or a model twice is a configuration conflict that stops
  start-up (portal/registry.py's promise).
* Renaming or moving a folder rewrites its subtree's paths with one UPDATE
  (portal/tree.py's promise).
* A nested URL resolves in one SELECT on ``nodes`` (portal/resources.py's promise).
"""

from __future__ import annotations

import re

import pytest
from pyramid.exceptions import ConfigurationConflictError
from pyramid.request import Request, apply_request_extensions
from sqlalchemy import event, select

from content_types.folder import Folder, FolderSchema
from content_types.page import Page, PageSchema
from portal import make_config, tree
from portal.models import Node, User
from portal.security import start_login_session
from tests.conftest import ADDABLE_IN_FOLDER, SHIPPED_TYPES

# --- configuration conflicts -------------------------------------------------


class NotAModel:
    """Stands in for a model where only the type *name* should clash."""


def _config(settings, engine):
    return make_config({**settings, "portal.db_bind": engine})


def _same_name(config):
    # A different model under the name "page": only the name clashes.
    config.add_content_type(NotAModel, name="page", title="Trang khác", schema=PageSchema)


def _same_model(config):
    # Page again under another name: only the model clashes.
    config.add_content_type(Page, name="trang", title="Trang", schema=PageSchema)


def _same_name_and_model(config):
    config.add_content_type(Page, title="Trang", schema=PageSchema)


CLASHES = {"same-name": _same_name, "same-model": _same_model, "same-name-and-model": _same_name_and_model}


def test_a_config_without_clashes_commits(settings, engine):
    config = _config(settings, engine)
    config.commit()
    assert sorted(info.name for info in config.registry["portal.types"]) == SHIPPED_TYPES


@pytest.mark.parametrize("clash", sorted(CLASHES))
def test_clash_from_an_included_package_stops_start_up(settings, engine, clash):
    # What an add-on package does: its includeme declares a type the core has.
    config = _config(settings, engine)
    with pytest.raises(ConfigurationConflictError):
        config.include(CLASHES[clash])
        config.make_wsgi_app()


@pytest.mark.parametrize("clash", sorted(CLASHES))
def test_clash_declared_on_the_application_config_stops_start_up(settings, engine, clash):
    # What a site's own main() does: make_config(), then one more declaration.
    # registry.py promises a conflict; Pyramid lets an including configurator
    # silently override the actions of what it included.
    config = _config(settings, engine)
    with pytest.raises(ConfigurationConflictError):
        CLASHES[clash](config)
        config.commit()


def test_declaring_the_same_type_twice_in_one_place_conflicts(settings, engine):
    def twice(config):
        config.add_content_type(Folder, name="chuyen-muc", title="Chuyên mục", schema=FolderSchema)
        config.add_content_type(Folder, name="chuyen-muc", title="Chuyên mục", schema=FolderSchema)

    config = _config(settings, engine)
    with pytest.raises(ConfigurationConflictError) as err:
        config.include(twice)
        config.commit()
    assert "chuyen-muc" in str(err.value)


# --- the registry ------------------------------------------------------------


def test_registry_lists_the_shipped_types(types):
    assert sorted(info.name for info in types) == SHIPPED_TYPES
    assert types["folder"].model is Folder and types["folder"].container
    assert types["page"].model is Page and not types["page"].container
    assert types.by_model[Page] is types["page"]
    assert types.get("nope") is None


def _request(registry, db, login: str | None) -> Request:
    request = Request.blank("/", base_url="http://localhost")
    request.registry = registry
    apply_request_extensions(request)
    request.environ["app.dbsession"] = db  # request.dbsession uses it
    if login is not None:
        user = db.scalar(select(User).where(User.login == login))
        request.headers["Cookie"] = "portal_session=stale"  # a session cookie is present
        request.session["token"] = start_login_session(request, user)
    return request


def test_addable_for_an_editor_at_a_folder(registry, types, db, make):
    folder = make("folder", title="Tin tức", state="published")
    request = _request(registry, db, "editor")
    assert request.user is not None and request.user.login == "editor"
    assert sorted(info.name for info in types.addable(request, folder)) == ADDABLE_IN_FOLDER


def test_addable_for_anonymous_is_empty(registry, types, db, make):
    folder = make("folder", title="Tin tức", state="published")
    request = _request(registry, db, None)
    assert request.user is None
    assert types.addable(request, folder) == []


def test_addable_in_a_page_is_empty_even_for_an_editor(registry, types, db, make):
    page = make("page", title="Giới thiệu", state="published")
    request = _request(registry, db, "editor")
    assert types.addable(request, page) == []


# --- rename / move: one UPDATE per subtree ----------------------------------


class StatementLog:
    def __init__(self, connection):
        self.connection = connection
        self.statements: list[tuple[str, object]] = []

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append((" ".join(statement.split()), parameters))

    def __enter__(self):
        event.listen(self.connection, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc):
        event.remove(self.connection, "before_cursor_execute", self._before)

    def matching(self, pattern: str) -> list[tuple[str, object]]:
        rx = re.compile(pattern, re.IGNORECASE)
        return [(s, p) for s, p in self.statements if rx.search(s)]

    @property
    def sql(self) -> list[str]:
        """Statements without the savepoint bookkeeping of the test harness."""
        return [s for s, _ in self.statements if not re.match(r"(RELEASE |ROLLBACK TO )?SAVEPOINT", s)]


def _values(parameters) -> list[str]:
    """Bound values as strings, whatever the driver's parameter style."""
    if not parameters:
        return []
    if isinstance(parameters, dict):
        parameters = parameters.values()
    return [str(v) for v in parameters]


UPDATE_NODES = r"^UPDATE nodes\b"
UPDATE_PATH = r"^UPDATE nodes SET path\s*="


def _subtree(make, title: str, depth: int, width: int):
    """A published folder with ``width`` pages and a chain of ``depth`` sub-folders."""
    top = make("folder", title=title, state="published")
    parent = top
    for level in range(depth):
        for i in range(width):
            make("page", parent, title=f"Trang {level}-{i}", state="published")
        parent = make("folder", parent, title=f"Cấp {level}", state="published")
    return top


def _paths_under(db, prefix: str) -> list[str]:
    db.expire_all()
    return sorted(db.scalars(select(Node.path).where(Node.path.startswith(prefix, autoescape=True))))


def test_rename_rewrites_the_subtree_with_one_update(db, make, connection):
    top = _subtree(make, "Tin tức", depth=3, width=2)
    neighbour = make("folder", title="Tin tức cũ", state="published")  # "/tin-tuc-cu/": a prefix trap
    make("page", neighbour, title="Bài", state="published")
    before = _paths_under(db, "/tin-tuc/")
    assert len(before) == 1 + 3 * 3  # top, 3 levels of 2 pages + 1 folder

    with StatementLog(connection) as log:
        assert tree.rename(db, top, "Tin hoạt động") == "tin-hoat-dong"

    path_updates = log.matching(UPDATE_PATH)
    assert len(path_updates) == 1, log.sql
    # Besides the path rewrite, only the renamed row itself is updated (name, modified).
    others = [s for s, _ in log.matching(UPDATE_NODES) if not re.match(UPDATE_PATH, s)]
    assert all(re.search(r"WHERE nodes\.id = ", s) for s in others), others
    assert len(log.matching(UPDATE_NODES)) <= 2

    assert _paths_under(db, "/tin-tuc/") == []
    after = _paths_under(db, "/tin-hoat-dong/")
    assert after == sorted(p.replace("/tin-tuc/", "/tin-hoat-dong/", 1) for p in before)
    assert _paths_under(db, "/tin-tuc-cu/") == ["/tin-tuc-cu/", "/tin-tuc-cu/bai/"]
    deepest = db.scalar(select(Node).where(Node.path == "/tin-hoat-dong/cap-0/cap-1/cap-2/"))
    assert deepest is not None and deepest.name == "cap-2"
    assert db.get(Node, top.id).name == "tin-hoat-dong"


def _load_subtree(db, top) -> list[Node]:
    """Load every node of ``top``'s subtree into the session (and keep them alive)."""
    return list(db.scalars(select(Node).where(Node.path.startswith(top.path, autoescape=True))))


def _rename_cost(db, connection, top_id: int, new_name: str) -> StatementLog:
    db.expunge_all()  # a fresh session state for each measurement
    top = db.get(Node, top_id)
    loaded = _load_subtree(db, top)
    with StatementLog(connection) as log:
        tree.rename(db, top, new_name)
    assert len(loaded) >= 1
    return log


def test_rename_costs_the_same_whatever_the_subtree_size(db, make, connection):
    small = _subtree(make, "Nhỏ", depth=1, width=1).id
    big = _subtree(make, "Lớn", depth=4, width=5).id
    log_small = _rename_cost(db, connection, small, "Nhỏ mới")
    log_big = _rename_cost(db, connection, big, "Lớn mới")
    assert len(log_big.sql) == len(log_small.sql), (log_small.sql, log_big.sql)
    assert len(_paths_under(db, "/lon-moi/")) == 1 + 4 * 6


def test_a_second_rename_in_the_same_session_does_not_reload_the_subtree(db, make, connection):
    # The first rename expires the cached paths of the loaded descendants;
    # the next one must not load each of them back, one SELECT per node.
    top = _subtree(make, "Lớn", depth=4, width=5)
    loaded = _load_subtree(db, top)
    assert len(loaded) == 1 + 4 * 6
    with StatementLog(connection) as first:
        tree.rename(db, top, "Lớn 1")
    with StatementLog(connection) as second:
        tree.rename(db, top, "Lớn 2")
    # At most one more statement: reading the renamed folder's own expired path.
    assert len(second.sql) <= len(first.sql) + 1, (first.sql, second.sql)
    # The objects held in the session see their new paths.
    assert sorted(n.path for n in loaded) == _paths_under(db, "/lon-2/")
    assert "/lon-2/cap-0/cap-1/cap-2/cap-3/" in {n.path for n in loaded}


def test_move_rewrites_the_subtree_with_one_update(db, make, connection):
    top = _subtree(make, "Chỉ đạo điều hành", depth=2, width=2)
    target = make("folder", title="Tin tức", state="published")
    before = _paths_under(db, "/chi-dao-dieu-hanh/")

    with StatementLog(connection) as log:
        tree.move(db, top, target)

    assert len(log.matching(UPDATE_PATH)) == 1, log.sql
    assert _paths_under(db, "/chi-dao-dieu-hanh/") == []
    after = _paths_under(db, "/tin-tuc/chi-dao-dieu-hanh/")
    assert after == sorted("/tin-tuc" + p for p in before)
    moved = db.get(Node, top.id)
    assert moved.parent_id == target.id and moved.path == "/tin-tuc/chi-dao-dieu-hanh/"
    child = db.scalar(select(Node).where(Node.path == "/tin-tuc/chi-dao-dieu-hanh/cap-0/"))
    assert child is not None and child.parent_id == top.id


def test_move_into_its_own_descendant_is_refused(db, make):
    top = _subtree(make, "Giới thiệu", depth=2, width=1)
    descendant = db.scalar(select(Node).where(Node.path == "/gioi-thieu/cap-0/cap-1/"))
    before = _paths_under(db, "/gioi-thieu/")
    with pytest.raises(tree.TreeError):
        tree.move(db, top, descendant)
    with pytest.raises(tree.TreeError):
        tree.move(db, top, top)
    assert _paths_under(db, "/gioi-thieu/") == before
    assert db.get(Node, top.id).parent_id is not None


# --- traversal: one SELECT on nodes for the whole URL -----------------------


def test_nested_url_resolves_in_one_select(app, make, connection):
    news = make("folder", title="Tin tức", state="published")
    section = make("folder", news, title="Tin hoạt động", state="published")
    make("page", section, title="Hội nghị sơ kết quý III", state="published", body="<p>Nội dung hội nghị</p>")
    make("page", title="Liên hệ", state="published", body="<p>Địa chỉ</p>")
    app.get("/")  # fill the navigation cache: compare steady states

    with StatementLog(connection) as nested:
        res = app.get("/tin-tuc/tin-hoat-dong/hoi-nghi-so-ket-quy-iii/")
    assert res.status_int == 200
    assert "Hội nghị sơ kết quý III" in res.text and "Nội dung hội nghị" in res.text

    lookups = nested.matching(r"FROM nodes .*\bnodes\.path IN\b")
    assert len(lookups) == 1, nested.sql
    values = _values(lookups[0][1])
    for path in ("/tin-tuc/", "/tin-tuc/tin-hoat-dong/", "/tin-tuc/tin-hoat-dong/hoi-nghi-so-ket-quy-iii/"):
        assert path in values
    # No other statement looks up a level of the URL.
    others = [p for s, p in nested.statements if (s, p) != lookups[0]]
    assert not any("/tin-tuc/tin-hoat-dong/" in _values(p) for p in others), nested.sql

    with StatementLog(connection) as shallow:
        assert app.get("/lien-he/").status_int == 200
    # The cost of a page does not depend on how deep it is.
    assert len(nested.statements) == len(shallow.statements), (nested.sql, shallow.sql)
    print(f"\nnested page request: {len(nested.statements)} statements, {len(nested.sql)} without savepoints")
    for statement in nested.sql:
        print("   ", statement[:160])


def test_schemas_cannot_drop_csrf_or_write_core_columns(settings, engine):
    import colander
    from pyramid.exceptions import ConfigurationError

    from portal.schemas import BaseContentSchema

    with pytest.raises(TypeError):

        class Sneaky(BaseContentSchema):  # noqa: F811
            def validator(self, node, appstruct):
                pass

    class Stateful(BaseContentSchema):
        state = colander.SchemaNode(colander.String())

    class Item(Node):
        __mapper_args__ = {"polymorphic_identity": "test-stateful"}

    config = _config(settings, engine)
    with pytest.raises(ConfigurationError):
        config.add_content_type(Item, title="Thử", schema=Stateful)
