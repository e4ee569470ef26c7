"""Dossier lookup (/tra-cuu-ho-so): the citizen's page, the receipt QR, the staff list
and privacy. The importer, the command and the API are in test_dossiers_import.py."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal.citizen.dossiers import demo
from portal.citizen.dossiers.importer import import_items
from portal.citizen.dossiers.models import Dossier
from portal.citizen.dossiers.rules import (
    is_overdue,
    mask_name,
    normalize_code,
    normalize_secret,
    overdue_clause,
    status_code,
    today,
)
from portal.qr import qr_svg

CODE = "000.00.12.H12-261126-0001"
SECRET = "K7P2QX"
NAME = "Nguyễn Văn An"
ADDRESS = "Số 45 đường Trần Hưng Đạo"


def day(offset: int) -> str:
    return (today() + dt.timedelta(days=offset)).strftime("%d/%m/%Y")


def item(**over) -> dict:
    base = {
        "ma_ho_so": CODE,
        "ma_bi_mat": SECRET,
        "thu_tuc": "Thủ tục đăng ký khai sinh",
        "ma_thu_tuc": "1.001193",
        "nguoi_nop": NAME,
        "dia_chi": ADDRESS,
        "ngay_nhan": day(-3),
        "han_tra": day(2),
        "trang_thai": "Đang xử lý",
    }
    base.update(over)
    return base


@pytest.fixture
def add(db, root, registry):
    def _add(*items):
        outcome = import_items(db, root.site_id, registry.settings["portal.secret"], list(enumerate(items)))
        assert not outcome.errors, outcome.errors
        db.commit()
        return outcome

    return _add


def lookup_form(app):
    page = app.get("/tra-cuu-ho-so")
    return page.forms["deform"]


def submit(app, code=CODE, secret=SECRET, status="*", **fields):
    form = lookup_form(app)
    form["ma"], form["bm"] = code, secret
    for key, value in fields.items():
        form[key] = value
    return form.submit("tra_cuu", status=status)


# --- rules ------------------------------------------------------------------------------


def test_masked_names_keep_initials_only():
    assert mask_name("Nguyễn Văn An") == "N*** V** A*"
    assert mask_name("  Trần   Thị  Bích Ngọc ") == "T*** T** B*** N***"
    assert mask_name("") == ""


@pytest.mark.parametrize(
    ("text", "code"),
    [("Đang xử lý", "dang-xu-ly"), ("dang xu ly", "dang-xu-ly"), ("DA-TRA-KET-QUA", "da-tra-ket-qua"),
     ("Yêu cầu bổ sung", "yeu-cau-bo-sung"), ("đã xong", None), ("", None)],
)  # fmt: skip
def test_status_as_code_or_label(text, code):
    assert status_code(text) == code


def test_codes_and_secrets_are_normalised_or_refused():
    assert normalize_code(" 000.00.12.h12-261126-0001 ") == CODE
    assert normalize_code("A/B_C-1.2") == "A/B_C-1.2"
    for bad in ("", "-ABC", "A B", "Ã1", "A" * 65, "A;DROP", "ABC%"):
        assert normalize_code(bad) is None, bad
    assert normalize_secret("k7p2 qx") == SECRET
    for bad in ("abc", "x" * 33, "ab-cd", "ábcd"):
        assert normalize_secret(bad) is None, bad


ON = dt.date(2026, 11, 26)
CASES = [
    # status, due, returned, overdue on ON
    ("dang-xu-ly", dt.date(2026, 11, 25), None, True),
    ("dang-xu-ly", ON, None, False),  # due today: not yet late
    ("cho-xu-ly", None, None, False),
    ("yeu-cau-bo-sung", dt.date(2026, 11, 1), None, True),
    ("da-tra-ket-qua", dt.date(2026, 11, 20), dt.date(2026, 11, 22), True),  # returned late
    ("da-tra-ket-qua", dt.date(2026, 11, 20), dt.date(2026, 11, 20), False),
    ("tu-choi", dt.date(2026, 11, 1), dt.date(2026, 10, 30), False),
    ("cho-tra-ket-qua", dt.date(2026, 11, 20), None, True),
]


def test_overdue_in_python_and_sql_agree(db, root, registry):
    rows = []
    for i, (status, due, returned, late) in enumerate(CASES):
        assert is_overdue(status, due, returned, on=ON) is late, (status, due, returned)
        row = Dossier(
            site_id=root.site_id,
            code=f"T-{i}",
            secret_hash="0" * 64,
            procedure_title="x",
            received_on=dt.date(2026, 10, 1),
            due_on=due,
            status=status,
            returned_on=returned,
        )
        rows.append(row)
    db.add_all(rows)
    db.flush()
    late_codes = set(
        db.scalars(
            select(Dossier.code).where(Dossier.site_id == root.site_id, overdue_clause(Dossier, on=ON))
        )
    )
    assert late_codes == {f"T-{i}" for i, case in enumerate(CASES) if case[3]}


# --- the lookup page ------------------------------------------------------------------------


def test_lookup_page_shows_the_form_and_its_qr(app):
    page = app.get("/tra-cuu-ho-so")
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Mã hồ sơ" in page.text and "Mã tra cứu" in page.text
    assert 'class="honeypot' in page.text or "honeypot" in page.text
    assert "/tra-cuu-ho-so/qr.svg" in page.text
    assert app.get("/tra-cuu-ho-so/").status_int == 200
    qr = app.get("/tra-cuu-ho-so/qr.svg")
    assert qr.content_type == "image/svg+xml"
    assert qr.body == qr_svg("http://localhost/tra-cuu-ho-so")


def test_lookup_shows_progress_with_the_name_masked(app, add, make, root):
    folder = make("folder", root, "Thủ tục", state="published")
    proc = make("procedure", folder, "Thủ tục đăng ký khai sinh", state="published", code="1.001193")
    add(item())
    res = submit(app, code=CODE.lower(), secret="k7p2qx")
    assert res.status_int == 200
    text = res.text
    assert "Đang xử lý" in text
    assert day(-3) in text and day(2) in text
    assert "N*** V** A*" in text
    assert NAME not in text and "Nguyễn" not in text
    assert ADDRESS not in text and "Trần Hưng Đạo" not in text
    assert "Quá hạn" not in text
    assert f'href="http://localhost{proc.path}"' in text
    assert res.headers["Cache-Control"] == "no-store"
    assert res.headers["Referrer-Policy"] == "no-referrer"


def test_overdue_dossier_is_flagged_and_unpublished_procedure_not_linked(app, add, make, root):
    make("procedure", root, "Thủ tục đăng ký khai sinh", state="private", code="1.001193")
    add(item(han_tra=day(-1), ngay_nhan=day(-10)))
    res = submit(app)
    assert "Quá hạn" in res.text
    assert "Thủ tục đăng ký khai sinh" in res.text
    assert "thu-tuc-dang-ky-khai-sinh" not in res.text  # a private page is not linked


def test_status_changes_make_a_short_timeline(app, add, db):
    from portal.citizen.dossiers.models import DossierEvent

    add(item(trang_thai="cho-xu-ly", ngay_trang_thai=day(-3)))
    first = submit(app)
    assert "Quá trình xử lý" not in first.text  # one status: nothing to tell
    add(item(ma_bi_mat="", trang_thai="Đang xử lý", ngay_trang_thai=day(-2)))
    add(item(ma_bi_mat="", trang_thai="Đang xử lý"))  # unchanged: no new step
    add(item(ma_bi_mat="", trang_thai="Chờ trả kết quả", ngay_trang_thai=day(-1)))
    assert db.query(DossierEvent).count() == 3
    res = submit(app)
    timeline = res.text[res.text.index("Quá trình xử lý") :]
    steps = [f"{day(-3)}: Chờ xử lý", f"{day(-2)}: Đang xử lý", f"{day(-1)}: Chờ trả kết quả"]
    positions = [timeline.index(step) for step in steps]
    assert positions == sorted(positions)


def test_receipt_qr_url_does_the_same_lookup_without_csrf(app, add):
    add(item(trang_thai="da-tra-ket-qua", ngay_tra=day(0)))
    res = app.get("/tra-cuu-ho-so", params={"ma": CODE, "bm": SECRET})
    assert res.status_int == 200
    assert "Đã trả kết quả" in res.text and "N*** V** A*" in res.text
    assert res.headers["Cache-Control"] == "no-store"
    assert res.headers["Referrer-Policy"] == "no-referrer"


def _main(text: str) -> str:
    """The page's content, without the per-response CSRF token."""
    import re

    main = text[text.index("<main") : text.index("</main>")]
    return re.sub(r'name="csrf_token" value="[^"]*"', "", main)


def test_wrong_secret_and_unknown_code_get_one_message(app, add):
    add(item())
    wrong_secret = submit(app, secret="ZZZZ99")
    unknown = submit(app, code="000.00.12.H12-261126-9999", secret=SECRET)
    assert wrong_secret.status_int == unknown.status_int == 404
    message = "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này"
    assert message in wrong_secret.text and message in unknown.text
    for res in (wrong_secret, unknown):
        assert "Đang xử lý" not in res.text and "N*** V** A*" not in res.text
    # What was typed stays in the form.
    assert 'value="ZZZZ99"' in wrong_secret.text
    assert 'value="000.00.12.H12-261126-9999"' in unknown.text
    # Nothing else tells them apart (the code typed aside).
    assert _main(wrong_secret.text).replace("ZZZZ99", "X") == _main(unknown.text).replace(
        "000.00.12.H12-261126-9999", CODE
    ).replace(SECRET, "X")
    # The receipt URL too, and odd values there are no 500.
    for params in (
        {"ma": CODE, "bm": "ZZZZ99"},
        {"ma": "x" * 5000, "bm": "\x00"},
        {"ma": "", "bm": ""},
        {"ma": CODE},
    ):
        res = app.get("/tra-cuu-ho-so", params=params, status=404)
        assert message in res.text


def test_bad_input_is_explained_and_kept(app):
    res = submit(app, code="", secret="")
    assert res.status_int == 400
    assert "Bắt buộc" in res.text or "bắt buộc" in res.text
    res = submit(app, code="MÃ SAI;", secret="ab")
    assert res.status_int == 400
    assert "Mã hồ sơ chỉ gồm chữ, số và . - _ /" in res.text
    assert "Mã tra cứu gồm 4 đến 32 chữ cái hoặc chữ số." in res.text
    assert 'value="MÃ SAI;"' in res.text and 'value="ab"' in res.text
    res = submit(app, code="A" * 100_000, secret="B" * 100_000)
    assert res.status_int == 400


def test_lookup_form_needs_its_csrf_token(app, add):
    add(item())
    form = lookup_form(app)
    form["ma"], form["bm"] = CODE, SECRET
    form["csrf_token"] = "forged"
    res = form.submit("tra_cuu", status=400)
    assert "Phiên làm việc đã hết hạn" in res.text
    assert "N*** V** A*" not in res.text
    assert f'value="{CODE}"' in res.text


def test_honeypot_filled_is_refused(app, add):
    add(item())
    res = submit(app, website="http://spam.example")
    assert res.status_int == 400
    assert "phải để trống" in res.text
    assert "N*** V** A*" not in res.text


def test_lookups_are_rate_limited_per_address(app, add, registry, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.limits.dossier_lookup", "2/600")
    add(item())
    assert submit(app).status_int == 200
    assert submit(app, secret="WRONG1").status_int == 404
    res = submit(app, secret="GUESS2")
    assert res.status_int == 429
    assert 0 < int(res.headers["Retry-After"]) <= 600
    assert "quá nhiều lần" in res.text
    assert 'value="GUESS2"' in res.text and f'value="{CODE}"' in res.text
    # The receipt URL counts in the same bucket, even with the right secret.
    res = app.get("/tra-cuu-ho-so", params={"ma": CODE, "bm": SECRET}, status=429)
    assert "N*** V** A*" not in res.text and f'value="{CODE}"' in res.text
    # Another address has its own allowance.
    other = app.get(
        "/tra-cuu-ho-so", params={"ma": CODE, "bm": SECRET}, extra_environ={"REMOTE_ADDR": "198.51.100.9"}
    )
    assert "N*** V** A*" in other.text


def test_dossiers_stay_out_of_search_feeds_sitemap_and_content_api(app, add):
    add(item())
    urls = ["/tim-kiem?q=khai+sinh", "/tim-kiem?q=Nguyen+Van+An", "/rss.xml", "/atom.xml", "/feed.json"]
    urls += ["/sitemap.xml", "/api/v1/content/", "/api/v1/search?q=khai+sinh", "/tim-kiem/goi-y?q=nguyen"]
    for url in urls:
        res = app.get(url, status="*")
        assert res.status_int < 500, url
        for secret_text in (CODE, NAME, "N*** V** A*", ADDRESS):
            assert secret_text not in res.text, (url, secret_text)


# --- QR for receipts, staff list ---------------------------------------------------------------


def test_receipt_qr_is_for_dossier_managers_only(as_user):
    params = {"ma": CODE.lower(), "bm": "k7p2qx"}
    app = as_user("anonymous")
    res = app.get("/tra-cuu-ho-so/bien-nhan-qr.svg", params=params, status="*")
    assert res.status_int in (302, 403) and res.content_type != "image/svg+xml"
    app = as_user("editor")
    app.get("/tra-cuu-ho-so/bien-nhan-qr.svg", params=params, status=403)
    app = as_user("admin")
    res = app.get("/tra-cuu-ho-so/bien-nhan-qr.svg", params=params)
    assert res.content_type == "image/svg+xml"
    assert res.body == qr_svg(f"http://localhost/tra-cuu-ho-so?ma={CODE}&bm={SECRET}")
    assert "no-store" in res.headers["Cache-Control"]
    app.get("/tra-cuu-ho-so/bien-nhan-qr.svg", params={"ma": "x y", "bm": "k7p2qx"}, status=400)
    app.get("/tra-cuu-ho-so/bien-nhan-qr.svg", status=400)


def test_staff_list_masks_names_and_filters(as_user, add):
    add(
        item(),
        item(
            ma_ho_so="HS-2", ma_bi_mat="AAAA11", nguoi_nop="Lê Thị Bình", han_tra=day(-1), ngay_nhan=day(-5)
        ),
        item(ma_ho_so="HS-3", ma_bi_mat="AAAA22", trang_thai="Từ chối", ngay_tra=day(-1)),
    )
    as_user("editor").get("/quan-tri/ho-so", status=403)
    app = as_user("admin")
    res = app.get("/quan-tri/ho-so")
    assert CODE in res.text and "HS-2" in res.text and "HS-3" in res.text
    assert "N*** V** A*" in res.text and NAME not in res.text and ADDRESS not in res.text
    res = app.get("/quan-tri/ho-so", params={"qua-han": "1"})
    assert "HS-2" in res.text and CODE not in res.text and "HS-3" not in res.text
    res = app.get("/quan-tri/ho-so", params={"trang-thai": "tu-choi"})
    assert "HS-3" in res.text and "HS-2" not in res.text
    res = app.get("/quan-tri/ho-so", params={"ma": "hs-"})
    assert "HS-2" in res.text and CODE not in res.text
    for params in ({"trang": "x"}, {"trang": "99999999999"}, {"trang-thai": "<b>"}, {"ma": "%"}):
        assert app.get("/quan-tri/ho-so", params=params).status_int == 200


def test_staff_list_queries_do_not_grow_with_the_page(as_user, add, count_statements):
    app = as_user("admin")
    add(*[item(ma_ho_so=f"A-{i}", ma_bi_mat="SECRET1") for i in range(3)])
    few = count_statements("/quan-tri/ho-so")
    add(*[item(ma_ho_so=f"B-{i}", ma_bi_mat="SECRET1") for i in range(60)])
    many = count_statements("/quan-tri/ho-so")
    assert few == many
    assert "trang=2" in app.get("/quan-tri/ho-so").text


# --- demo ---------------------------------------------------------------------------------------


def test_demo_dossiers_are_loaded_once_and_work(app, db, types, root):
    codes = select(Dossier.code).where(Dossier.site_id == root.site_id)
    assert demo.seed_demo(db, types, root, None) == 0  # `portal demo` counts content items only
    assert len(db.scalars(codes).all()) == len(demo.DOSSIERS)
    demo.seed_demo(db, types, root, None)
    assert len(db.scalars(codes).all()) == len(demo.DOSSIERS)
    db.commit()
    res = app.get("/tra-cuu-ho-so", params={"ma": demo.PREFIX + "0007", "bm": "QH1234"})
    assert "Quá hạn" in res.text and "Đ*** T** G***" in res.text
    assert "Lê Lợi" not in res.text
    assert "Quá trình xử lý" in res.text  # arrived waiting, then moved on


def test_service_links_may_point_to_the_lookup_page():
    import colander

    from content_types.service_link import service_url_validator

    node = colander.SchemaNode(colander.String())
    service_url_validator(node, "/tra-cuu-ho-so")  # a page of this site
    for bad in ("//evil.example/x", "/a b", "javascript:alert(1)", "tra-cuu-ho-so"):
        with pytest.raises(colander.Invalid):
            service_url_validator(node, bad)
