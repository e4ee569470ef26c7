"""Search, second increment (issue 4): facets and filters, "did you mean", titles as
you type and the header box, synonyms edited by administrators, zero-result queries
for editors. On both engines where the engine matters."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from search.analysis import _TOKEN, _spans, accented_field, both_fields, fold_token, folded_field
from search.models import SearchSynonym, SearchZeroResult
from search.spelling import Speller, distance
from search.synonyms import SynonymSet, parse_lines
from tests.conftest import csrf_from
from tests.test_search import search_engine_fixture  # noqa: F401  (``search_engine``, both engines)

API = "/api/v1/search"


def facet(data, name):
    return {v["title"]: v["count"] for v in data["facets"].get(name, [])}


@pytest.fixture
def procedures(make):
    def proc(title, field, agency, year, state="published", **kw):
        return make(
            "procedure",
            title=title,
            field=field,
            implementing_agency=agency,
            verified_on=dt.date(year, 3, 1),
            state=state,
            **kw,
        )

    proc("Thủ tục đăng ký khai sinh", "Hộ tịch", "UBND phường", 2024)
    proc("Thủ tục đăng ký kết hôn", "Hộ tịch", "UBND phường", 2023)
    proc("Thủ tục chứng thực bản sao", "Chứng thực", "Phòng Tư pháp", 2024)
    proc("Thủ tục giao đất riêng tư", "Đất đai", "Phòng Tài nguyên", 2022, state="private")
    make("page", title="Thủ tục cần biết", state="published")


# --- facets ---------------------------------------------------------------------------------------


def test_facet_counts_cover_only_what_the_reader_may_see(app, as_user, procedures, search_engine):
    data = app.get(API, params={"q": "thu tuc"}).json
    assert data["total"] == 4
    assert facet(data, "type") == {"Thủ tục hành chính": 3, "Trang": 1}
    assert data["facets"]["type"][0]["value"] == "procedure"
    assert facet(data, "field") == {"Hộ tịch": 2, "Chứng thực": 1}
    assert facet(data, "agency") == {"UBND phường": 2, "Phòng Tư pháp": 1}
    assert facet(data, "year") == {"2024": 2, "2023": 1}
    assert [v["value"] for v in data["facets"]["year"]] == ["2024", "2023"]  # newest first
    assert "Đất đai" not in app.get("/tim-kiem", params={"q": "thu tuc"}).text
    # An editor sees the private item, in the counts too.
    as_user("editor")
    data = app.get(API, params={"q": "thu tuc"}).json
    assert facet(data, "field") == {"Hộ tịch": 2, "Chứng thực": 1, "Đất đai": 1}


def test_facet_filters_narrow_and_combine(app, procedures, search_engine):
    data = app.get(API, params={"q": "thu tuc", "linh-vuc": "Hộ tịch"}).json
    assert sorted(h["title"] for h in data["hits"]) == [
        "Thủ tục đăng ký khai sinh",
        "Thủ tục đăng ký kết hôn",
    ]
    assert data["filters"] == {"linh-vuc": "Hộ tịch"}
    data = app.get(API, params={"q": "thu tuc", "linh-vuc": "Hộ tịch", "nam": "2024"}).json
    assert [h["title"] for h in data["hits"]] == ["Thủ tục đăng ký khai sinh"]
    data = app.get(API, params={"q": "thu tuc", "loai": "page"}).json
    assert [h["title"] for h in data["hits"]] == ["Thủ tục cần biết"]
    data = app.get(API, params={"q": "thu tuc", "co-quan": "Phòng Tư pháp"}).json
    assert [h["title"] for h in data["hits"]] == ["Thủ tục chứng thực bản sao"]
    # Filters that cannot be read are ignored, never an error.
    for odd in ({"nam": "abc"}, {"nam": "99999999999999999999"}, {"loai": "khong-co"}, {"linh-vuc": "\x00"}):
        res = app.get(API, params={"q": "thu tuc", **odd})
        assert res.status_int == 200 and res.json["total"] == 4


def test_facet_links_keep_the_query_and_the_other_filters(app, procedures, search_engine):
    page = app.get("/tim-kiem", params={"q": "thu tuc", "nam": "2024"})
    links = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page.text)]
    add = [u for u in links if "linh-vuc=H%E1%BB%99+t%E1%BB%8Bch" in u]
    assert add and all("q=thu+tuc" in u and "nam=2024" in u for u in add)
    # The chosen filter is shown and removable.
    assert "Đang lọc theo:" in page.text
    chip = page.html.select_one(".search-chosen a")
    assert "Năm: 2024" in chip.text
    removed = app.get(chip["href"])
    assert "nam=" not in chip["href"] and "q=thu+tuc" in chip["href"]
    assert removed.html.select_one(".search-total").text.strip().endswith("4")
    # Following a facet link narrows the results.
    narrowed = app.get(add[0])
    assert narrowed.html.select_one(".search-total").text.strip().endswith("1")


# --- did you mean -----------------------------------------------------------------------------------


def test_spelling_primitives():
    assert distance("tihc", "tich") == 1 and distance("ho", "hoa") == 1 and distance("abc", "xyz") == 3
    speller = Speller({"tich": 5, "tuc": 9, "thu": 9, "ho": 9, "tiec": 1})
    assert speller.correct("tihc") == "tich"
    assert speller.correct("tich") is None  # known and frequent


def test_did_you_mean_suggests_a_query_that_finds_something(app, make, search_engine):
    make("procedure", title="Thủ tục đăng ký lại hộ tịch", state="published")
    make("page", title="Hướng dẫn hộ tịch", state="published")
    page = app.get("/tim-kiem", params={"q": "thu tuc ho tihc"})
    assert "Có phải bạn muốn tìm:" in page.text
    link = page.html.select_one(".search-suggestion a")
    assert link.text == "thu tuc ho tich"
    assert [h["title"] for h in app.get(API, params={"q": "thu tuc ho tihc"}).json["hits"]] == []
    assert app.get(API, params={"q": "thu tuc ho tihc"}).json["suggestion"] == "thu tuc ho tich"
    followed = app.get(link["href"])
    assert "Thủ tục đăng ký lại hộ tịch" in followed.text
    # Nothing to suggest for a query that finds enough.
    assert "Có phải bạn muốn tìm" not in app.get("/tim-kiem", params={"q": "ho tich"}).text


def test_did_you_mean_never_reveals_private_words(app, make, search_engine):
    make("page", title="Kế hoạch bí mật", state="private")
    data = app.get(API, params={"q": "bi mta"}).json
    assert data["total"] == 0 and data["suggestion"] is None


# --- suggestions as you type --------------------------------------------------------------------------


def test_suggestions_are_visible_titles_matching_the_prefix(app, as_user, make, search_engine):
    make("procedure", title="Thủ tục đăng ký lại hộ tịch", state="published")
    make("procedure", title="Thủ tục hộ tịch riêng tư")  # private
    make("page", title="Lịch tiếp công dân", state="published")
    res = app.get("/tim-kiem/goi-y", params={"q": "thu tuc ho"})
    assert res.content_type == "application/json"
    assert [s["title"] for s in res.json] == ["Thủ tục đăng ký lại hộ tịch"]
    assert res.json[0]["url"].startswith("http://localhost/")
    assert [s["title"] for s in app.get("/tim-kiem/goi-y", params={"q": "lich tie"}).json] == [
        "Lịch tiếp công dân"
    ]
    as_user("admin")
    assert len(app.get("/tim-kiem/goi-y", params={"q": "thu tuc ho"}).json) == 2


@pytest.mark.parametrize(
    "q",
    ["", " ", "x" * 5000, '"', "(", "*", "\x00", "ho\u0323", "🙂", "a b c d e f g h i j k l m n o p q r s"],
)
def test_suggestions_take_any_input(app, make, search_engine, q):
    make("page", title="Hộ tịch", state="published")
    res = app.get("/tim-kiem/goi-y", params={"q": q})
    assert res.status_int == 200 and isinstance(res.json, list) and len(res.json) <= 8


def test_many_matches_give_eight_suggestions(app, make, search_engine):
    for i in range(12):
        make("page", title=f"Hộ tịch số {i}", state="published")
    assert len(app.get("/tim-kiem/goi-y", params={"q": "ho ti"}).json) == 8


def test_header_search_box_on_every_page(app, as_user, make):
    make("page", title="Giới thiệu", state="published")
    for url in ("/", "/tim-kiem", "/trang-khong-co"):
        page = app.get(url, status="*")
        form = page.html.select_one("form.header-search")
        if page.status_int == 404 and form is None:
            continue  # error pages may be minimal
        assert form["action"].endswith("/tim-kiem") and form["method"] == "get"
        box = form.select_one("input[name=q]")
        assert page.html.select_one(f"label[for={box['id']}]") is not None
        assert "search-suggest.js" in page.text
    assert "<script>" not in app.get("/").text  # the CSP allows no inline script


# --- synonyms -------------------------------------------------------------------------------------------


def test_synonym_lines_and_expansion():
    groups, bad = parse_lines("UBND | Ủy ban nhân dân\n\nCCCD ~ căn cước công dân\nchỉ một\nHĐND=HĐND")
    assert groups == [["UBND", "Ủy ban nhân dân"], ["CCCD", "căn cước công dân"]] and bad == [4, 5]
    from search.analysis import parse_query

    q = SynonymSet(groups).expand(parse_query("lịch uy ban nhan dan"))
    clauses = q.groups[0]
    assert [c.tokens for c in clauses] == [["lịch"], ["uy", "ban", "nhan", "dan"]]
    assert clauses[1].alternatives == [["ubnd"]]
    assert SynonymSet(groups).expand(parse_query("cccd")).groups[0][0].alternatives == [
        ["căn", "cước", "công", "dân"]
    ]


def _save_synonyms(app, text):
    form = app.get("/quan-tri/tu-dong-nghia").forms["deform"]
    form["groups"] = text
    return form.submit("save")


def test_admin_edits_synonyms_and_both_directions_match(app, as_user, make, db, root, search_engine):
    make("page", title="Lịch làm việc của Ủy ban nhân dân", state="published")
    make("page", title="Thông báo của HĐND phường", state="published")
    assert [h["title"] for h in app.get(API, params={"q": "UBND"}).json["hits"]] == []
    as_user("admin")
    res = _save_synonyms(app, "UBND | Ủy ban nhân dân\nHĐND | Hội đồng nhân dân")
    assert res.status_int == 302
    assert db.scalar(select(SearchSynonym.terms).where(SearchSynonym.site_id == root.site_id).limit(1))
    app.reset()  # anonymous again: the change holds right after the commit
    hits = app.get(API, params={"q": "UBND"}).json["hits"]
    assert [h["title"] for h in hits] == ["Lịch làm việc của Ủy ban nhân dân"]
    assert "<mark>Ủy</mark>" in hits[0]["title_html"]
    assert [h["title"] for h in app.get(API, params={"q": "hoi dong nhan dan"}).json["hits"]] == [
        "Thông báo của HĐND phường"
    ]
    # The saved list is shown back for editing.
    as_user("admin")
    assert "HĐND | Hội đồng nhân dân" in app.get("/quan-tri/tu-dong-nghia").text


def test_synonyms_page_is_for_administrators_with_csrf(app, as_user, search_engine):
    assert app.get("/quan-tri/tu-dong-nghia").status_int == 302  # to the log-in page
    as_user("editor")
    assert app.get("/quan-tri/tu-dong-nghia", status=403).status_int == 403
    assert app.post("/quan-tri/tu-dong-nghia", {"groups": "a | b"}, status=403).status_int == 403
    as_user("admin")
    page = app.get("/quan-tri/tu-dong-nghia")
    res = app.post(
        "/quan-tri/tu-dong-nghia", {"groups": "UBND | Ủy ban nhân dân", "save": "save"}, status=400
    )
    assert "Phiên làm việc đã hết hạn" in res.text
    token = csrf_from(page)
    bad = app.post(
        "/quan-tri/tu-dong-nghia", {"groups": "chỉ một", "csrf_token": token, "save": "save"}, status=400
    )
    assert "Dòng 1" in bad.text


# --- zero-result queries ------------------------------------------------------------------------------


def test_zero_result_queries_recorded_and_shown_to_editors(app, as_user, make, db, registry, search_engine):
    make("page", title="Hộ tịch", state="published")
    for _ in range(3):
        app.get("/tim-kiem", params={"q": "Giấy phép lái xe"})
    app.get(API, params={"q": "xyz khong co"})
    app.get("/tim-kiem", params={"q": "ho tich"})  # found: not recorded
    assert db.scalar(select(SearchZeroResult.id).limit(1)) is None  # nothing written by a search
    assert registry["portal.search.zero_results"].flush() == 2  # the batch, as the thread does
    counts = dict(db.execute(select(SearchZeroResult.query, SearchZeroResult.count)).all())
    assert counts == {"giay phep lai xe": 3, "xyz khong co": 1}
    assert app.get("/quan-tri/tim-kiem-khong-ket-qua").status_int == 302  # anonymous: log in
    as_user("contributor")
    app.get("/quan-tri/tim-kiem-khong-ket-qua", status=403)
    as_user("editor")
    page = app.get("/quan-tri/tim-kiem-khong-ket-qua")
    rows = [[c.text.strip() for c in tr.select("th, td")] for tr in page.html.select("tbody tr")]
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y")
    assert rows[0] == ["giay phep lai xe", "3", today, today]
    assert [r[0] for r in rows] == ["giay phep lai xe", "xyz khong co"]
    as_user("admin")
    assert "giay phep lai xe" in app.get("/quan-tri/tim-kiem-khong-ket-qua").text


def test_zero_results_flush_adds_up_and_survives_a_failed_write(registry, db, root, search_engine):
    recorder = registry["portal.search.zero_results"]
    recorder.record(root.site_id, "Hộ chiếu")
    recorder.record(root.site_id, "ho chieu")
    assert recorder.flush() == 1
    recorder.record(root.site_id, "HO CHIEU")
    assert recorder.flush() == 1
    assert db.scalar(select(SearchZeroResult.count).where(SearchZeroResult.query == "ho chieu")) == 3
    broken = type(recorder)(lambda: (_ for _ in ()).throw(RuntimeError("no database")), 0)
    broken.record(root.site_id, "a b")
    assert broken.flush() == 0 and broken.pending() == 1  # kept for the next flush


# --- the fast paths of analysis agree with the plain ones ------------------------------------------

VIETNAMESE = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ĐĂÂÊÔƠƯ.,-",
    max_size=60,
)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.one_of(VIETNAMESE, st.text(max_size=40)))
def test_indexing_fields_and_snippets_match_the_plain_analysis(text):
    assert both_fields(text) == (accented_field(text), folded_field(text))
    wanted = set(folded_field(text).split()[:3])
    # Snippets work on NFC text (the index stores it so); a composition such as U+FB2A
    # (one code point) becoming two shifts every offset after it.
    text = unicodedata.normalize("NFC", text)
    slow = [
        (m.start(), m.end(), w)
        for m in _TOKEN.finditer(text)
        if (w := fold_token(m.group().lower())) in wanted
    ]
    assert _spans(text, wanted) == slow
