"""Dossier statuses coming in: the CSV importer, ``portal dossiers import|qr`` (a real
subprocess) and POST /api/v1/dossiers."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.citizen.dossiers.importer import describe, import_csv
from portal.citizen.dossiers.models import Dossier
from portal.citizen.dossiers.rules import secret_hash
from portal.db import make_engine
from portal.qr import qr_svg

from .openapi_check import check

HEADER = "ma_ho_so,ma_bi_mat,thu_tuc,nguoi_nop,dia_chi,ngay_nhan,han_tra,trang_thai,ngay_tra"
GOOD = (
    HEADER + "\n"
    "000.00.12.H12-261126-0001,K7P2QX,Thủ tục đăng ký khai sinh,Nguyễn Văn An,Số 45 Trần Hưng Đạo,"
    "20/11/2026,25/11/2026,Đang xử lý,\n"
    "000.00.12.H12-261126-0002,AB12CD,Thủ tục đăng ký kết hôn,Trần Thị Bình,,2026-11-21,2026-11-28,"
    "da-tra-ket-qua,27/11/2026\n"
)


def count(db, site_id) -> int:
    return db.scalar(select(func.count()).select_from(Dossier).where(Dossier.site_id == site_id))


def run(db, root, registry, text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_csv(db, root.site_id, registry.settings["portal.secret"], data)


# --- the importer ------------------------------------------------------------------------------


def test_valid_csv_is_imported_then_updated(db, root, registry, make):
    proc = make("procedure", root, "Thủ tục đăng ký kết hôn", code="1.000894")
    outcome = run(db, root, registry, "\ufeff" + GOOD)  # Excel's BOM
    assert (outcome.created, outcome.updated, outcome.errors) == (2, 0, [])
    rows = {d.code: d for d in db.scalars(select(Dossier).where(Dossier.site_id == root.site_id))}
    first = rows["000.00.12.H12-261126-0001"]
    assert first.applicant_name == "Nguyễn Văn An" and first.status == "dang-xu-ly"
    assert first.received_on.isoformat() == "2026-11-20" and first.due_on.isoformat() == "2026-11-25"
    # The secret is kept only as the keyed hash; the address nowhere.
    assert first.secret_hash == secret_hash(registry.settings["portal.secret"], first.code, "K7P2QX")
    assert "K7P2QX" not in repr(vars(first)) and "Trần Hưng Đạo" not in repr(vars(first))
    assert rows["000.00.12.H12-261126-0002"].procedure_id == proc.id  # matched by title
    assert rows["000.00.12.H12-261126-0002"].returned_on.isoformat() == "2026-11-27"
    # Again, with a changed status and no secret: updated, secret kept.
    again = (
        HEADER.replace(",ma_bi_mat", "")
        + "\n000.00.12.H12-261126-0001,Thủ tục đăng ký khai sinh,A,,20/11/2026,,từ chối,21/11/2026\n"
    )
    outcome = run(db, root, registry, again)
    assert (outcome.created, outcome.updated, outcome.errors) == (0, 1, [])
    db.expire_all()
    first = db.get(Dossier, first.id)
    assert first.status == "tu-choi" and first.due_on is None
    assert first.secret_hash == secret_hash(registry.settings["portal.secret"], first.code, "K7P2QX")


def test_semicolons_crlf_and_unnamed_columns_are_read(db, root, registry):
    text = GOOD.replace(",", ";").replace("\n", ";\r\n")  # a trailing separator on every line
    assert run(db, root, registry, text).created == 2


def test_bad_lines_are_all_reported_and_nothing_is_imported(db, root, registry):
    text = (
        GOOD
        + "BAD CODE,K7P2QX,Thủ tục,An,,20/11/2026,,Đang xử lý,\n"  # line 4
        + "HS-5,,Thủ tục,An,,31/02/2026,,Đang xử lý,\n"  # line 5: new code without secret, bad date
        + "HS-6,K7P2QX,,An,,20/11/2026,19/11/2026,Xong rồi,\n"  # line 6
        + "HS-7,K7P2QX,Thủ tục,An,,20/11/2026\n"  # line 7: too few cells
        + "000.00.12.h12-261126-0001,ZZZZ11,Thủ tục,An,,20/11/2026,,cho-xu-ly,\n"  # line 8: duplicate of 2
    )
    outcome = run(db, root, registry, text)
    assert count(db, root.site_id) == 0
    lines = [label for label, _ in outcome.errors]
    assert lines == [4, 5, 6, 7]  # the duplicate is found once the lines themselves are fine
    report = describe(outcome.errors)
    assert report[0].startswith("dòng 4: ma_ho_so: Mã hồ sơ chỉ gồm chữ, số")
    assert "ngay_nhan: Ngày không hợp lệ" in report[1]
    assert report[2] == (
        "dòng 6: thu_tuc: Bắt buộc; trang_thai: Trạng thái không hợp lệ (Chờ xử lý, Đang xử lý, "
        "Yêu cầu bổ sung, Từ chối, Chờ trả kết quả, Đã trả kết quả); han_tra: Hạn trả trước ngày nhận."
    )
    assert report[3] == "dòng 7: Có 6 ô, cần 9."
    # Once those lines are fixed, the duplicate and the missing secret are reported.
    fixed = (
        GOOD
        + "HS-5,,Thủ tục,An,,20/11/2026,,Đang xử lý,\n"
        + "000.00.12.h12-261126-0001,ZZZZ11,Thủ tục,An,,20/11/2026,,cho-xu-ly,\n"
    )
    outcome = run(db, root, registry, fixed)
    assert count(db, root.site_id) == 0
    assert [label for label, _ in outcome.errors] == [4, 5]
    report = describe(outcome.errors)
    assert report == ["dòng 4: ma_bi_mat: Bắt buộc với hồ sơ mới.", "dòng 5: ma_ho_so: Trùng mã hồ sơ với 2."]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "Tệp trống."),
        (b"ma_ho_so,thu_tuc,ngay_nhan,trang_thai,so_dien_thoai\n", "Cột không được hỗ trợ: so_dien_thoai."),
        (b"ma_ho_so,thu_tuc,ngay_nhan\n", "Thiếu cột: trang_thai."),
        (b"ma_ho_so,thu_tuc,ngay_nhan,trang_thai,thu_tuc\n", "Có cột trùng tên."),
        (GOOD.encode("utf-16"), "Tệp không phải UTF-8."),
    ],
)
def test_bad_files_are_refused_with_the_reason(db, root, registry, data, reason):
    outcome = run(db, root, registry, data)
    assert outcome.errors and reason in describe(outcome.errors)[0]
    assert count(db, root.site_id) == 0


def test_error_list_is_capped():
    errors = [(n, {"ma_ho_so": "x"}) for n in range(2, 200)]
    report = describe(errors)
    assert len(report) == 51 and report[-1] == "… và 148 dòng lỗi khác."


def test_ten_thousand_lines_import_in_seconds(db, root, registry, connection):
    from sqlalchemy import event

    lines = [HEADER] + [
        f"HS-{i:05d},SECRET{i % 97},Thủ tục đăng ký khai sinh,Nguyễn Văn {i},,20/11/2026,,dang-xu-ly,"
        for i in range(10_000)
    ]
    text = "\n".join(lines) + "\n"
    statements = []

    def log(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", log)
    try:
        start = time.perf_counter()
        assert run(db, root, registry, text).created == 10_000
        first = time.perf_counter() - start
        start = time.perf_counter()
        assert run(db, root, registry, text).updated == 10_000
        second = time.perf_counter() - start
    finally:
        event.remove(connection, "before_cursor_execute", log)
    assert first < 10 and second < 10, (first, second)
    # No query per line: existing codes, procedures, then one executemany per kind of write.
    assert len(statements) < 20, len(statements)
    assert count(db, root.site_id) == 10_000


def test_prune_deletes_only_dossiers_finished_long_ago(db, root, registry):
    from portal.citizen.dossiers.models import DossierEvent
    from portal.citizen.dossiers.retention import prune
    from portal.citizen.dossiers.rules import today

    def ago(days):
        return (today() - dt.timedelta(days=days)).isoformat()

    text = (
        HEADER
        + f"\nOLD-DONE,AAAA11,Thủ tục,An,,{ago(400)},,da-tra-ket-qua,{ago(380)}"
        + f"\nRECENT-DONE,AAAA11,Thủ tục,An,,{ago(400)},,da-tra-ket-qua,{ago(10)}"
        + f"\nOLD-OPEN,AAAA11,Thủ tục,An,,{ago(400)},,dang-xu-ly,"
        + f"\nOLD-REFUSED,AAAA11,Thủ tục,An,,{ago(400)},,tu-choi,{ago(390)}\n"
    )
    assert run(db, root, registry, text).created == 4
    assert prune(db, root.site_id, 365) == 2
    left = set(db.scalars(select(Dossier.code).where(Dossier.site_id == root.site_id)))
    assert left == {"RECENT-DONE", "OLD-OPEN"}
    assert db.scalar(select(func.count()).select_from(DossierEvent)) == 2
    assert prune(db, root.site_id, 365) == 0


# --- the command -------------------------------------------------------------------------------


def portal(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["PORTAL_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=data_dir.parent,
        input="",
    )


def test_command_imports_all_or_nothing_and_writes_receipt_qr(tmp_path):
    data_dir = tmp_path / "data"
    init = portal(data_dir, "init")
    assert init.returncode == 0, init.stderr
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    res = portal(data_dir, "dossiers", "import", str(good))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "Đã nhập good.csv: 2 hồ sơ mới, 0 hồ sơ cập nhật."
    bad = tmp_path / "bad.csv"
    bad.write_text(
        GOOD.replace("K7P2QX", "K7") + "HS-9,AAAA11,Thủ tục,An,,hôm qua,,Đang xử lý,\n", encoding="utf-8"
    )
    res = portal(data_dir, "dossiers", "import", str(bad))
    assert res.returncode == 1
    assert "dòng 2: ma_bi_mat: Mã tra cứu gồm 4 đến 32 chữ cái hoặc chữ số." in res.stderr
    assert "dòng 4: ngay_nhan: Ngày không hợp lệ" in res.stderr
    assert res.stderr.strip().endswith("portal: lỗi: 2 dòng lỗi, không nhập hồ sơ nào.")
    assert "Traceback" not in res.stderr
    res = portal(data_dir, "dossiers", "import", str(good))
    assert res.stdout.strip() == "Đã nhập good.csv: 0 hồ sơ mới, 2 hồ sơ cập nhật."
    engine = make_engine(f"sqlite:///{data_dir / 'portal.sqlite'}")
    try:
        with Session(engine) as db:
            assert db.scalar(select(func.count()).select_from(Dossier)) == 2
            assert db.scalar(select(func.count()).select_from(Dossier).where(Dossier.code == "HS-9")) == 0
    finally:
        engine.dispose()
    for args in (("--site", "khong-co"), ()):
        res = portal(data_dir, "dossiers", "import", str(good if args else tmp_path / "missing.csv"), *args)
        assert res.returncode == 1 and res.stderr.startswith("portal: lỗi: "), res.stderr
    res = portal(data_dir, "dossiers", "prune", "--days", "30")
    assert res.returncode == 0 and res.stdout.strip() == "Đã xóa 0 hồ sơ kết thúc quá 30 ngày.", res.stderr
    out = tmp_path / "qr.svg"
    res = portal(
        data_dir, "dossiers", "qr", "hs-1", "ab12cd", "-o", str(out), "--base-url", "https://xa.gov.vn/"
    )
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == qr_svg("https://xa.gov.vn/tra-cuu-ho-so?ma=HS-1&bm=AB12CD")
    res = portal(data_dir, "dossiers", "qr", "x y", "ab12cd", "-o", str(out))
    assert res.returncode == 1 and res.stderr.startswith("portal: lỗi: mã hồ sơ"), res.stderr


# --- the API ------------------------------------------------------------------------------------

PUSH = {
    "ma_ho_so": "000.00.12.H12-261126-0001",
    "ma_bi_mat": "K7P2QX",
    "thu_tuc": "Thủ tục đăng ký khai sinh",
    "nguoi_nop": "Nguyễn Văn An",
    "dia_chi": "Số 45 Trần Hưng Đạo",
    "ngay_nhan": "2026-11-20",
    "han_tra": "25/11/2026",
    "trang_thai": "Đang xử lý",
}


def test_push_needs_a_dossier_manager(app, auth, db, root):
    app.post_json("/api/v1/dossiers", PUSH, status=401)
    res = app.post_json("/api/v1/dossiers", PUSH, headers={"Authorization": "Bearer pt_nope"}, status=401)
    assert res.json["error"] == "unauthorized"
    res = app.post_json("/api/v1/dossiers", PUSH, headers=auth("editor"), status=403)
    assert res.json["error"] == "forbidden"
    assert count(db, root.site_id) == 0


def test_push_creates_and_updates(app, auth, db, root, doc):
    headers = auth("admin")
    res = app.post_json("/api/v1/dossiers", PUSH, headers=headers)
    assert res.json == {"created": 1, "updated": 0}
    check(doc, "/api/v1/dossiers", "post", res)
    second = {**PUSH, "ma_ho_so": "HS-2"}
    res = app.post_json(
        "/api/v1/dossiers",
        [{**PUSH, "trang_thai": "cho-tra-ket-qua", "ma_bi_mat": None}, second],
        headers=headers,
    )
    assert res.json == {"created": 1, "updated": 1}
    db.expire_all()
    row = db.scalar(select(Dossier).where(Dossier.code == PUSH["ma_ho_so"]))
    assert row.status == "cho-tra-ket-qua"
    # The citizen sees it with the original secret.
    page = app.get("/tra-cuu-ho-so", params={"ma": PUSH["ma_ho_so"], "bm": "K7P2QX"})
    assert "Chờ trả kết quả" in page.text and "N*** V** A*" in page.text


def test_push_refuses_bad_items_all_or_nothing(app, auth, db, root, doc):
    headers = auth("admin")
    items = [
        PUSH,
        {**PUSH, "ma_ho_so": "HS 2", "ngay_nhan": "hôm qua"},
        {**PUSH, "ma_ho_so": "HS-3", "so_cmnd": "1"},
    ]
    res = app.post_json("/api/v1/dossiers", items, headers=headers, status=422)
    check(doc, "/api/v1/dossiers", "post", res)
    fields = res.json["fields"]
    assert set(fields) == {"1.ma_ho_so", "1.ngay_nhan", "2.so_cmnd"}
    assert fields["1.ngay_nhan"].startswith("Ngày không hợp lệ")
    assert res.json["message"] == "Có hồ sơ không hợp lệ; không hồ sơ nào được ghi."
    assert count(db, root.site_id) == 0
    res = app.post_json("/api/v1/dossiers", [{**PUSH, "ngay_nhan": 20}], headers=headers, status=422)
    assert "0.ngay_nhan" in res.json["fields"]
    res = app.post_json("/api/v1/dossiers", [{**PUSH, "thu_tuc": {"a": 1}}], headers=headers, status=422)
    assert res.json["fields"]["0.thu_tuc"] == "Phải là một chuỗi ký tự."
    app.post_json("/api/v1/dossiers", [], headers=headers, status=422)
    app.post_json("/api/v1/dossiers", [1, 2], headers=headers, status=400)
    app.post("/api/v1/dossiers", "{nope", headers={**headers, "Content-Type": "application/json"}, status=400)
    app.post("/api/v1/dossiers", "a=b", headers=headers, status=415)
    app.get("/api/v1/dossiers", headers=headers, status=405)
    assert count(db, root.site_id) == 0


def test_push_limits(app, auth, registry, monkeypatch):
    headers = auth("admin")
    monkeypatch.setitem(registry.settings, "portal.dossiers.api_max_items", "2")
    res = app.post_json("/api/v1/dossiers", [PUSH] * 3, headers=headers, status=422)
    assert "từ 1 đến 2" in res.json["message"]
    monkeypatch.setitem(registry.settings, "portal.api.max_json_bytes", "100")
    app.post_json("/api/v1/dossiers", PUSH, headers=headers, status=413)


def test_cookie_push_needs_the_csrf_header(as_user, db, root):
    app = as_user("admin")
    res = app.post_json("/api/v1/dossiers", PUSH, status=403)
    assert res.json["error"] == "csrf"
    assert count(db, root.site_id) == 0


def test_openapi_describes_the_push(doc):
    post = doc["paths"]["/api/v1/dossiers"]["post"]
    assert {"200", "401", "403", "422"} <= set(post["responses"])
    assert "ma_ho_so" in doc["components"]["schemas"]["DossierInput"]["properties"]


def test_control_characters_never_reach_the_database(app, auth, db, root):
    # PostgreSQL refuses NUL in text: it is dropped on the way in, never a 500.
    item = {**PUSH, "thu_tuc": "Đăng ký\x00 khai sinh", "nguoi_nop": "Nguyễn\x00 Văn An"}
    assert app.post_json("/api/v1/dossiers", item, headers=auth("admin")).json == {"created": 1, "updated": 0}
    db.expire_all()
    row = db.scalar(select(Dossier).where(Dossier.code == PUSH["ma_ho_so"]))
    assert "\x00" not in row.procedure_title + row.applicant_name
