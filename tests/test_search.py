"""Full-text search (issue 4), on both engines: Vietnamese matching and ranking, what
each reader may see, the outbox (after commit, after a crash, ``portal reindex``) and
inputs that must never break the pages."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.models import Node, utcnow
from search.analysis import clean_query, folded_field, highlight, parse_query
from search.engine import Access, make_engine
from search.models import SearchCursor, SearchOutbox
from search.outbox import apply_pending, pending_count, start_up
from tests.conftest import login

ENGINES = ["tantivy", "whoosh"]


@pytest.fixture(params=ENGINES, name="search_engine")
def search_engine_fixture(request, wsgi_app, connection, tmp_path):
    """The app's engine for this test: a fresh index in the test's own directory (the
    test's database work is rolled back; its index goes with tmp_path)."""
    from search.synonyms import clear_cache

    registry = wsgi_app.registry
    previous = registry["portal.search"]
    engine = make_engine(request.param, tmp_path / "index" / request.param)
    registry["portal.search"] = engine
    # Rolled-back tests repeat site generations: nothing cached may outlive its test.
    clear_cache(registry)
    registry["portal.search.zero_results"].discard()
    yield engine
    registry["portal.search"] = previous
    clear_cache(registry)
    registry["portal.search.zero_results"].discard()


def titles(app, q, url="/api/v1/search", **params):
    res = app.get(url, params={"q": q, **params})
    assert res.status_int == 200
    return [h["title"] for h in res.json["hits"]]


def engine_titles(engine, q, root, access=None):
    """Straight from the index, without the view's catch-up of pending outbox rows."""
    access = access or Access(now=int(time.time()))
    return [h.title for h in engine.search(parse_query(q), site_id=root.site_id, access=access).hits]


def pending(db) -> int:
    return db.scalar(select(func.count()).select_from(SearchOutbox))


# --- analysis -------------------------------------------------------------------------------


def test_analysis_folds_and_tokenises():
    assert folded_field("Đăng ký HỘ TỊCH, năm 2025!") == "dang ky ho tich nam 2025"
    decomposed = unicodedata.normalize("NFD", "hộ tịch")  # typed with combining marks
    assert [c.tokens for c in parse_query(decomposed).groups[0]] == [["hộ"], ["tịch"]]
    assert clean_query("a\x00b\u200bc\n" + "x" * 10_000).startswith("a b c")
    assert len(clean_query("x " * 10_000)) <= 256


@pytest.mark.parametrize(
    "raw",
    ['"ho tich', "AND", "OR OR", "NOT", "-", "(", ")(", '"""', "\x00\x01", "x" * 10_240, "a " * 5000,
     "ho\u0323 ti\u0323ch", "<script>", "*", "~1", "title:abc", "\ud800", "🙂", ""],
)  # fmt: skip
def test_parser_never_raises(raw):
    q = parse_query(raw)
    assert isinstance(q.empty, bool)
    for group in q.groups:
        assert any(not c.negated for c in group)


def test_highlight_escapes_everything_but_marks():
    out = highlight("<b>Thủ tục</b> hộ tịch & khai sinh", {"ho", "tich"}, whole=True)
    assert out == "&lt;b&gt;Thủ tục&lt;/b&gt; <mark>hộ</mark> <mark>tịch</mark> &amp; khai sinh"


# --- matching and ranking ---------------------------------------------------------------------


def test_unaccented_query_finds_accented_titles(app, make, search_engine):
    make("procedure", title="Thủ tục đăng ký lại hộ tịch có yếu tố nước ngoài", state="published")
    make("page", title="Lịch tiếp công dân", state="published")
    found = titles(app, "thu tuc ho tich")
    assert found == ["Thủ tục đăng ký lại hộ tịch có yếu tố nước ngoài"]
    html = app.get("/tim-kiem", params={"q": "thu tuc ho tich"}).text
    assert "<mark>hộ</mark> <mark>tịch</mark>" in html


def test_exact_accents_rank_above_folded_matches(app, make, search_engine):
    make("page", title="Hướng dẫn về họ tích", state="published")
    make("page", title="Hướng dẫn về hộ tịch", state="published")
    assert titles(app, "hộ tịch") == ["Hướng dẫn về hộ tịch", "Hướng dẫn về họ tích"]
    assert titles(app, "họ tích") == ["Hướng dẫn về họ tích", "Hướng dẫn về hộ tịch"]
    assert set(titles(app, "ho tich")) == {"Hướng dẫn về hộ tịch", "Hướng dẫn về họ tích"}


def test_body_text_is_searched_and_html_stripped(app, make, search_engine):
    make(
        "news", title="Tin phường", body="<p>Đăng ký <b>khai</b>&nbsp;sinh trực tuyến</p>", state="published"
    )
    res = app.get("/api/v1/search", params={"q": "khai sinh"}).json
    assert [h["title"] for h in res["hits"]] == ["Tin phường"]
    assert "<b>" not in res["hits"][0]["snippet_html"]
    assert "<mark>khai</mark>" in res["hits"][0]["snippet_html"]


# --- visibility -------------------------------------------------------------------------------


def test_anonymous_sees_only_what_is_live(app, make, root, search_engine):
    now = utcnow()
    make("page", title="Hộ tịch công khai", state="published")
    make("page", title="Hộ tịch riêng tư")
    make("page", title="Hộ tịch chờ duyệt", state="pending")
    make("page", title="Hộ tịch sắp đăng", state="published", effective=now + dt.timedelta(days=2))
    make("page", title="Hộ tịch hết hạn", state="published", expires=now - dt.timedelta(days=1))
    folder = make("folder", title="Thư mục riêng")
    make("page", folder, title="Hộ tịch trong thư mục riêng", state="published")
    assert titles(app, "ho tich") == ["Hộ tịch công khai"]
    # Scheduled items appear on time: the window is checked at query time.
    later = Access(now=int(time.time()) + 3 * 86400)
    assert set(engine_titles(search_engine, "ho tich", root, later)) == {
        "Hộ tịch công khai",
        "Hộ tịch sắp đăng",
    }


def test_users_see_their_own_drafts_and_what_their_roles_allow(app, make, search_engine):
    make("page", title="Hộ tịch của cộng tác viên", owner="contributor")
    make("page", title="Hộ tịch của quản trị")
    login(app, "contributor")
    assert titles(app, "ho tich") == ["Hộ tịch của cộng tác viên"]
    app.reset()
    login(app, "editor")  # Editor on the site root views every state
    assert set(titles(app, "ho tich")) == {"Hộ tịch của cộng tác viên", "Hộ tịch của quản trị"}
    app.reset()
    assert titles(app, "ho tich") == []


# --- the outbox ---------------------------------------------------------------------------------


def test_change_through_the_ui_is_searchable_after_the_request(app, make, db, root, search_engine):
    folder = make("folder", title="Tin tức", state="published")
    apply_pending(app.app.registry)
    login(app, "admin")
    form = app.get("/tin-tuc/@@add?type=page").forms["deform"]
    form["title"] = "Thông báo đăng ký hộ tịch"
    res = form.submit("save")
    assert res.status_int == 302
    url = res.location
    wf = app.get(url + "@@workflow").forms["deform"]
    assert wf.submit("publish").status_int == 302
    # Applied by the after-commit hook: straight from the index, nothing left pending.
    assert pending_count(app.app.registry) == 0
    assert engine_titles(search_engine, "ho tich", root) == ["Thông báo đăng ký hộ tịch"]

    # Retracting the folder hides its subtree at once.
    wf = app.get("/tin-tuc/@@workflow").forms["deform"]
    assert wf.submit("retract").status_int == 302
    assert engine_titles(search_engine, "ho tich", root) == []
    assert folder.id


def test_deleted_node_disappears(app, make, db, search_engine):
    folder = make("folder", title="Thư mục", state="published")
    make("page", folder, title="Hộ tịch sẽ bị xóa", state="published")
    assert titles(app, "ho tich") == ["Hộ tịch sẽ bị xóa"]
    db.delete(db.get(Node, folder.id))
    db.commit()
    assert titles(app, "ho tich") == []


def test_crash_between_commit_and_indexing_heals_at_start_up(app, make, db, root, search_engine):
    # A script's commit writes outbox rows and applies nothing: as if the process died.
    make("procedure", title="Thủ tục chứng thực hộ tịch", state="published")
    assert pending_count(app.app.registry) > 0
    assert engine_titles(search_engine, "ho tich", root) == []
    start_up(app.app.registry)  # what the app factory runs
    assert pending_count(app.app.registry) == 0
    assert engine_titles(search_engine, "ho tich", root) == ["Thủ tục chứng thực hộ tịch"]


def test_engine_chosen_by_setting(settings, tmp_path):
    from search import build_engine

    engine = build_engine(
        {**settings, "portal.search.engine": "whoosh", "portal.search.index_dir": str(tmp_path)}
    )
    assert engine.name == "whoosh" and engine.directory == tmp_path / "whoosh"


# --- any input gives a page ------------------------------------------------------------------------

BAD = ['"ho tich', "AND", "OR", "NOT", "(ho", "ho)", "x" * 10_240, "\x00\x07 ho", "-ho", '""', "%",
       "\ufffd", unicodedata.normalize("NFD", "hộ tịch")]  # fmt: skip


@pytest.mark.parametrize("q", BAD)
def test_bad_queries_give_results_or_a_message(app, make, search_engine, q):
    make("page", title="Hộ tịch", state="published")
    page = app.get("/tim-kiem", params={"q": q, "trang": "x"})
    assert page.status_int == 200
    assert 'class="search-hit"' in page.text or 'class="search-message"' in page.text
    data = app.get("/api/v1/search", params={"q": q, "trang": "999999"}).json
    assert data["hits"] or data["message"]


def test_empty_query_and_paging(app, make, search_engine):
    assert "Hãy nhập từ khóa" in app.get("/tim-kiem").text
    for i in range(12):
        make("page", title=f"Hộ tịch số {i}", state="published")
    first = app.get("/api/v1/search", params={"q": "ho tich"}).json
    second = app.get("/api/v1/search", params={"q": "ho tich", "trang": "2"}).json
    assert (first["total"], len(first["hits"]), len(second["hits"]), second["page"]) == (12, 10, 2, 2)
    html = app.get("/tim-kiem", params={"q": "ho tich"}).text
    assert 'rel="next"' in html and "trang=2" in html
    assert '<label for="tim-kiem-q">' in html


# --- portal reindex ------------------------------------------------------------------------------------

_script = Path(sys.executable).with_name("portal")
PORTAL = [str(_script)] if _script.exists() else [sys.executable, "-m", "portal.cli"]


@pytest.mark.parametrize("name", ENGINES)
def test_portal_reindex_rebuilds_from_the_database(tmp_path, name):
    import os

    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_DATA_DIR=str(data_dir), PORTAL_SEARCH_ENGINE=name, PORTAL_ADMIN_PASSWORD="mat-khau-01")

    def run(*args):
        res = subprocess.run([*PORTAL, *args], env=env, capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        return res.stdout

    run("init")
    # Content written by a script: its outbox rows are never applied by a running app.
    from sqlalchemy.orm import Session

    from content_types.procedure import Procedure
    from portal import tree
    from portal.db import make_engine as make_db_engine

    db_engine = make_db_engine(f"sqlite:///{data_dir / 'portal.sqlite'}")
    try:
        with Session(db_engine) as db, db.begin():
            root = db.scalar(select(Node).where(Node.parent_id.is_(None)))
            site_id = root.site_id
            for title in ["Thủ tục đăng ký hộ tịch", "Thủ tục chứng thực", "Lịch tiếp dân"]:
                node = Procedure(title=title, state="published", effective=utcnow(), field="Hộ tịch")
                node.created = node.modified = utcnow()
                tree.add_child(db, root, node)
        with Session(db_engine) as db:
            assert pending(db) >= 3
        out = run("reindex")
        # The index's cursor is set; the rows stay for other indexes (pruned later).
        from search.engine import default_index_name

        with Session(db_engine) as db:
            assert pending(db) >= 3
            name_of_index = default_index_name(data_dir / "index" / name)
            assert db.get(SearchCursor, name_of_index) is not None
    finally:
        db_engine.dispose()
    assert f"({name}): 3 mục" in out
    engine = make_engine(name, data_dir / "index" / name)
    assert engine.count() == 3
    hits = engine.search(parse_query("ho tich"), site_id=site_id, access=Access(now=int(time.time()))).hits
    assert [h.title for h in hits] == ["Thủ tục đăng ký hộ tịch"]
    assert hits[0].field == "Hộ tịch" and hits[0].path.startswith("/")


# --- any input, generated ------------------------------------------------------------------------------

OPERATORS = st.sampled_from(['"', "(", ")", " AND ", " OR ", " NOT ", "-", "*", ":", "\x00", "\u0323", "đ"])


@pytest.mark.parametrize("name", ENGINES)
def test_any_input_gives_a_query_or_nothing_on_both_engines(name, tmp_path_factory):
    engine = make_engine(name, tmp_path_factory.mktemp(name))
    with engine.writer_lock():
        from search.engine import IndexDocument

        engine.apply([IndexDocument(1, 1, "/a/", "page", "Thủ tục hộ tịch", body="Đăng ký", public=True)], [])
    access = Access(now=int(time.time()))

    @hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.one_of(st.text(max_size=30), OPERATORS), max_size=12).map("".join))
    def check(raw):
        query = parse_query(raw)
        results = engine.search(query, site_id=1, access=access)
        assert results.total >= len(results.hits)
        for hit in results.hits:
            assert "<" not in hit.snippet_html.replace("<mark>", "").replace("</mark>", "")

    check()


def test_search_pages_answer_with_and_without_the_trailing_slash(app):
    for path in ("/tim-kiem", "/tim-kiem/"):
        assert app.get(path, {"q": "ho tich"}).status_int == 200
    assert app.get("/tim-kiem/goi-y/", {"q": "ho"}).json == app.get("/tim-kiem/goi-y", {"q": "ho"}).json
    app.post("/tim-kiem", {"q": "ho"}, status=404)  # GET and HEAD only
