"""``portal export`` / ``portal import``: the demo site goes out and comes back equal.

The in-database tests import into a second site of the test database (host
``muc-tieu.localhost``), so they run on SQLite here and on PostgreSQL in CI; the CLI
test runs the real command on fresh SQLite files under tmp_path.
"""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from sqlalchemy import func, select

from portal.blobs import store_for
from portal.bootstrap import ensure_site
from portal.cli import main
from portal.demo import load_demo
from portal.models import LocalRole, Node, Site, SiteHost, User, WorkflowHistory
from portal.permissions import Roles
from portal.transfer.archive import ArchiveError, Reader, Writer
from portal.transfer.export import export
from portal.transfer.import_ import TransferError, import_archive

TARGET_HOST = "muc-tieu.localhost"


def lines_of(path) -> list[dict]:
    with zipfile.ZipFile(path) as z:
        return [json.loads(line) for line in z.read("content.jsonl").decode().splitlines() if line]


def manifest_of(path) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("manifest.json"))


def below_root(lines: list[dict]) -> list[dict]:
    """Everything but the export's own root, which import never changes."""
    assert lines[0]["path"] == ""
    return lines[1:]


@pytest.fixture
def demo(db, types, root):
    admin = db.scalar(select(User).where(User.login == "admin"))
    load_demo(db, types, root, admin)
    db.commit()
    return root


@pytest.fixture
def target(db, settings):
    """An empty second site where admin is site administrator."""
    root = ensure_site(db, {**settings, "portal.site_name": "Xã Mục Tiêu"}, name="muc-tieu")
    db.add(SiteHost(host=TARGET_HOST, site_id=root.site_id))
    admin = db.scalar(select(User).where(User.login == "admin"))
    db.add(LocalRole(node_id=root.id, principal=admin.principal, role=Roles.SiteAdministrator))
    db.commit()
    return root


@pytest.fixture
def store(settings):
    return store_for(settings)


def do_import(db, types, store, path, into, **kw):
    reader = Reader(path)
    try:
        result = import_archive(db, types, store, reader, into, **kw)
    finally:
        reader.close()
    db.commit()
    return result


def site_nodes(db, site_id) -> int:
    return db.scalar(select(func.count()).select_from(Node).where(Node.site_id == site_id))


def test_demo_site_exports_and_imports_into_an_empty_site_equal(db, types, demo, target, store, tmp_path):
    first = tmp_path / "a.zip"
    result = export(db, types, store, demo, first)
    lines = lines_of(first)
    assert result.items == len(lines) == site_nodes(db, demo.site_id)
    assert result.blobs > 0 and result.bytes > 0 and not result.missing_blobs
    manifest = manifest_of(first)
    assert manifest["format"] == "portal-export" and manifest["items"] == len(lines)
    assert manifest["site"] == "default" and manifest["path"] == "/"
    with zipfile.ZipFile(first) as z:
        assert {n for n in z.namelist() if n.startswith("blobs/")} == {
            "blobs/" + s for line in lines for s in line["blobs"]
        }
    # Tree order: each parent before its children.
    seen = set()
    for line in lines[1:]:
        assert line["path"].rpartition("/")[0] in seen | {""}
        seen.add(line["path"])

    imported = do_import(db, types, store, first, target)
    assert imported.created == len(lines) - 1 and imported.updated == 0
    second = tmp_path / "b.zip"
    export(db, types, store, target, second)
    again = lines_of(second)
    assert len(again) == len(lines)
    for before, after in zip(below_root(lines), below_root(again), strict=True):
        assert before == after, before["path"]
    # The comparison is meaningful: the demo has every kind of data the format carries.
    every = below_root(lines)
    assert {line["type"] for line in every} >= {"folder", "page", "news", "procedure", "legal_document",
                                              "legal_document_review", "review_list", "image"}  # fmt: skip
    assert any(line["rows"].get("document_relations") for line in every)
    assert any(line["rows"].get("procedure_legal_basis") for line in every)
    assert any(line["rows"].get("review_list_entries") for line in every)
    assert any(line["attachments"] for line in every) and any(line["terms"] for line in every)
    assert all(line["history"] for line in every)


def test_importing_twice_does_not_duplicate(db, types, demo, target, store, tmp_path):
    archive = tmp_path / "a.zip"
    export(db, types, store, demo, archive)
    do_import(db, types, store, archive, target)
    count = site_nodes(db, target.site_id)
    history = db.scalar(select(func.count()).select_from(WorkflowHistory))
    generation = db.get(Site, target.site_id).generation
    again = do_import(db, types, store, archive, target)
    assert again.created == 0 and again.updated == count - 1
    assert site_nodes(db, target.site_id) == count
    assert db.scalar(select(func.count()).select_from(WorkflowHistory)) == history
    db.expire_all()
    assert db.get(Site, target.site_id).generation > generation
    export(db, types, store, target, tmp_path / "b.zip")
    assert below_root(lines_of(tmp_path / "b.zip")) == below_root(lines_of(archive))


def test_blobs_arrive_and_are_served_on_the_target(app, db, types, demo, target, store, tmp_path):
    archive = tmp_path / "a.zip"
    export(db, types, store, demo, archive)
    doc = next(line for line in lines_of(archive) if line["type"] == "legal_document" and line["attachments"])
    sha = doc["attachments"][0]["sha256"]
    # The target's store lacks the file until the import brings it.
    store.path(sha).unlink()
    result = do_import(db, types, store, archive, target)
    assert result.blobs_added >= 1 and store.exists(sha)
    node = db.scalar(select(Node).where(Node.site_id == target.site_id, Node.path == f"/{doc['path']}/"))
    att_id = node.attachments[0].id
    res = app.get(f"/{doc['path']}/@@attachment/{att_id}", extra_environ={"HTTP_HOST": TARGET_HOST})
    assert hashlib.sha256(res.body).hexdigest() == sha


def test_relations_resolve_by_path_on_the_target(app, db, types, demo, target, store, tmp_path):
    archive = tmp_path / "a.zip"
    export(db, types, store, demo, archive)
    do_import(db, types, store, archive, target)
    host = {"HTTP_HOST": TARGET_HOST}
    page = app.get("/van-ban/nghi-dinh-93-2024/", extra_environ=host)
    related = db.scalar(
        select(Node).where(Node.site_id == target.site_id, Node.path == "/van-ban/nghi-dinh-118-2019/")
    )
    assert (
        related.title in page.text
        and 'href="http://muc-tieu.localhost/van-ban/nghi-dinh-118-2019/"' in page.text
    )
    # The target's document, not the source site's one with the same path.
    source = db.scalar(select(Node).where(Node.site_id == demo.site_id, Node.path == related.path))
    assert source.id != related.id
    from content_types.legal_document import DocumentRelation
    from content_types.legal_review import LegalDocumentReview

    rel = db.scalar(select(DocumentRelation).where(DocumentRelation.target_id == related.id))
    assert rel is not None and db.get(Node, rel.source_id).site_id == target.site_id
    review = db.scalar(
        select(LegalDocumentReview).where(
            LegalDocumentReview.site_id == target.site_id, LegalDocumentReview.document_id.is_not(None)
        )  # fmt: skip
    )
    assert db.get(Node, review.document_id).site_id == target.site_id


def test_state_dates_history_owner_and_roles_are_kept(app, db, types, make, root, target, store, tmp_path):
    import datetime as dt

    folder = make("folder", title="Phòng ban", state="published", owner="editor")
    draft = make("page", folder, "Bản nháp", state="private", owner="contributor", body="<p>Nháp</p>")
    draft.expires = dt.datetime(2030, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    editor = db.scalar(select(User).where(User.login == "editor"))
    db.add(WorkflowHistory(node_id=draft.id, actor_id=editor.id, actor_name="Editor", transition="retract",
                           from_state="published", to_state="private", comment="Rút lại để sửa",
                           at=dt.datetime(2025, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)))  # fmt: skip
    db.add(LocalRole(node_id=folder.id, principal=editor.principal, role=Roles.Reviewer))
    db.commit()
    archive = tmp_path / "a.zip"
    export(db, types, store, folder, archive)
    lines = lines_of(archive)
    assert [line["path"] for line in lines] == ["", "ban-nhap"]
    # Export the folder, import it under another folder of the target.
    holder = make("folder", target, "Lưu trữ", state="published")
    do_import(db, types, store, archive, holder)
    copy = db.scalar(select(Node).where(Node.site_id == target.site_id, Node.path == "/luu-tru/ban-nhap/"))
    assert copy.state == "private" and copy.public is False
    assert copy.created == draft.created and copy.modified == draft.modified and copy.expires == draft.expires
    assert db.get(User, copy.owner_id).login == "contributor"
    history = db.scalars(select(WorkflowHistory).where(WorkflowHistory.node_id == copy.id)).all()
    assert [(h.transition, h.actor_id, h.comment, h.at) for h in history] == [
        ("retract", editor.id, "Rút lại để sửa", dt.datetime(2025, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC))
    ]
    # The export's root is not re-created: its role stays on the source folder only.
    assert db.scalar(select(func.count()).select_from(LocalRole).where(LocalRole.node_id == holder.id)) == 0
    # Private on the target as on the source: anonymous visitors get a 404, not the page.
    app.get("/luu-tru/ban-nhap/", extra_environ={"HTTP_HOST": TARGET_HOST}, status=404)
    assert (
        app.get("/api/v1/content/luu-tru/", extra_environ={"HTTP_HOST": TARGET_HOST}).json["children"] == []
    )


def test_search_outbox_and_visibility_follow(db, types, make, target, store, tmp_path):
    from search.models import SearchOutbox

    folder = make("folder", title="Tin tức", state="published")
    make("news", folder, "Tin công khai", state="published", lead="Tóm tắt", body="<p>Bài</p>")
    archive = tmp_path / "a.zip"
    export(db, types, store, folder, archive)
    before = db.scalar(select(func.max(SearchOutbox.id))) or 0
    do_import(db, types, store, archive, target)
    news = db.scalar(select(Node).where(Node.site_id == target.site_id, Node.path == "/tin-cong-khai/"))
    assert news.public is True and news.public_from is not None
    queued = db.scalars(select(SearchOutbox.node_id).where(SearchOutbox.id > before)).all()
    assert news.id in queued


# --- bad archives: one clear line, nothing imported ---------------------------------


def write_archive(path, lines, blobs=None, manifest=None):
    writer = Writer(path)
    with writer.content() as out:
        for line in lines:
            out.write((line if isinstance(line, str) else json.dumps(line)).encode() + b"\n")
    for sha, data in (blobs or {}).items():
        import io

        writer.add_blob(sha, io.BytesIO(data))
    writer.manifest(manifest or {"items": len(lines)})
    writer.close()


def root_line():
    return {"type": "site", "path": "", "name": "", "title": "Gốc", "state": "published",
            "created": "2025-01-01T00:00:00+00:00", "modified": "2025-01-01T00:00:00+00:00"}  # fmt: skip


def page_line(path="trang", **over):
    line = {"type": "page", "path": path, "name": path.rpartition("/")[2], "title": "Trang",
            "state": "published", "owner": "admin", "created": "2025-01-01T00:00:00+07:00",
            "modified": "2025-01-02T00:00:00+07:00", "effective": "2025-01-01T00:00:00+07:00",
            "fields": {"body": "<p>Nội dung</p>"}}  # fmt: skip
    line.update(over)
    return line


@pytest.mark.parametrize(
    "lines, message",
    [
        ([root_line(), "{khong phai json"], "dòng 2: JSON không hợp lệ"),
        ([root_line(), page_line(type="khong-co")], "loại nội dung không có: 'khong-co'"),
        ([root_line(), page_line("a/b")], "mục cha 'a' phải đứng trước"),
        ([root_line(), page_line(), page_line("trang/con")], "không thêm được 'page' vào 'page'"),
        ([root_line(), page_line(state="bay-bong")], "trạng thái không có"),
        ([root_line(), page_line(created="hôm qua")], "dòng 2"),
        ([root_line(), page_line(created="2025-01-01T00:00:00")], "thiếu múi giờ"),
        ([root_line(), page_line(fields={"khong": 1})], "trường không có ở loại 'page': khong"),
        ([root_line(), page_line(blobs=["a" * 64])], "thiếu tệp blobs/" + "a" * 64),
        ([page_line()], "dòng đầu phải là gốc"),
        ([root_line(), page_line(name="khac")], "không hợp lệ hoặc không khớp"),
        ([root_line(), page_line("@@edit")], "không hợp lệ"),
        ([root_line(), page_line("static")], "trùng một địa chỉ cố định"),
        ([root_line(), page_line(position="1")], "position: cần kiểu int"),
        ([root_line(), page_line(exclude_from_nav=1)], "exclude_from_nav: cần kiểu bool"),
        ([root_line(), page_line(fields={"body": None})], "body: không được để trống"),
        ([root_line(), page_line(created=None)], "created: không được để trống"),
        ([root_line(), page_line(owner=["admin"])], "owner phải là"),
        ([root_line(), page_line(blobs="abc")], "blobs phải là"),
        ([root_line(), page_line(terms=[{"kind": "tag"}])], "dòng 2"),
        ([root_line(), page_line(history=[{"at": "x"}])], "dòng 2"),
        ([root_line(), page_line(rows={"khong": []})], "bảng quan hệ không có"),
        ([root_line(), [1, 2]], "không phải một đối tượng JSON"),
        # Values the UI would never allow (a database error at the flush otherwise).
        ([root_line(), page_line("Tin Tức?x=1#a")], "dòng 2: tên 'Tin Tức?x=1#a' không hợp lệ"),
        ([root_line(), page_line("%2e%2e")], "dòng 2: tên '%2e%2e' không hợp lệ"),
        ([root_line(), page_line("trang-")], "không hợp lệ"),
        (
            [root_line(), page_line(local_roles=[{"principal": "user:admin", "role": "ChuaTe"}])],
            "dòng 2: local_roles: vai trò không có: 'ChuaTe'",
        ),  # fmt: skip
        (
            [root_line(), page_line(local_roles=[{"principal": "user:admin", "role": "Owner"}])],
            "vai trò không có",
        ),  # fmt: skip
        ([root_line(), page_line(position=2**40)], "dòng 2: position: số 1099511627776 vượt giới hạn"),
        ([root_line(), page_line(title="x" * 501)], "dòng 2: title: dài quá 500 ký tự"),
        (
            [root_line(), page_line(created="0001-01-01T00:00:00+14:00")],
            "dòng 2: created: ngày giờ ngoài khoảng",
        ),
        (
            [root_line(), page_line(terms=[{"kind": "tag", "slug": "a"}, {"kind": "tag", "slug": "a"}])],
            "dòng 2: terms: lặp lại tag/a",
        ),  # fmt: skip
        ([root_line(), page_line(terms=[{"kind": None, "slug": "a"}])], "dòng 2: terms: thiếu kind"),
        ([root_line(), page_line(terms=[{"kind": "t" * 17, "slug": "a"}])], "kind: dài quá 16"),
        (
            [root_line(), page_line(attachments=[{"sha256": "a" * 64, "position": 2**40}])],
            "dòng 2: position: số",
        ),  # fmt: skip
        (
            [
                root_line(),
                page_line(
                    history=[
                        {
                            "at": "2025-01-01T00:00:00+00:00",
                            "transition": "x",
                            "from_state": "a",
                            "to_state": "b",
                            "actor": 5,
                        }
                    ]
                ),
            ],
            "dòng 2: history: actor",
        ),  # fmt: skip
        # Blob references recomputed from the line, whatever its "blobs" says.
        (
            [root_line(), page_line(attachments=[{"sha256": "../../../etc/passwd", "filename": "p"}])],
            "dòng 2: sha256: mã sha256 không hợp lệ: '../../../etc/passwd'",
        ),  # fmt: skip
        ([root_line(), page_line(attachments=[{"sha256": "A" * 64}])], "dòng 2: sha256: mã sha256 không"),
        ([root_line(), page_line(attachments=[{"sha256": "c" * 64}])], "dòng 2: thiếu tệp blobs/" + "c" * 64),
        ([root_line(), page_line(attachments=[{"filename": "x"}])], "dòng 2: attachments: thiếu sha256"),
        ([root_line(), page_line(blobs=["../x"])], "dòng 2: mã sha256 không hợp lệ trong blobs"),
        (
            [root_line(), page_line(attachments=[{"sha256": "a" * 64, "nguy_hiem": 1}])],
            "attachments: khóa không có: nguy_hiem",
        ),  # fmt: skip
    ],
)
def test_bad_lines_are_refused_before_anything_is_written(db, types, target, store, tmp_path, lines, message):
    archive = tmp_path / "x.zip"
    write_archive(archive, lines)
    count = site_nodes(db, target.site_id)
    with pytest.raises(TransferError) as e:
        do_import(db, types, store, archive, target)
    assert message in str(e.value) and "\n" not in str(e.value)
    db.rollback()
    assert site_nodes(db, target.site_id) == count


def test_an_item_of_another_type_at_the_same_path_is_refused(db, types, make, target, store, tmp_path):
    make("folder", target, "Trang", state="published")
    archive = tmp_path / "x.zip"
    write_archive(archive, [root_line(), page_line()])
    with pytest.raises(TransferError, match="đã có và là loại 'folder'"):
        do_import(db, types, store, archive, target)


def test_missing_owner_falls_back_to_the_site_administrator(db, types, target, store, tmp_path):
    archive = tmp_path / "x.zip"
    write_archive(archive, [root_line(), page_line(owner="nguoi-da-nghi")])
    result = do_import(db, types, store, archive, target)
    page = db.scalar(select(Node).where(Node.site_id == target.site_id, Node.path == "/trang/"))
    assert db.get(User, page.owner_id).login == "admin"
    assert any("nguoi-da-nghi" in w for w in result.warnings)
    result = do_import(db, types, store, archive, target, fallback_login="editor")
    db.expire_all()
    assert db.get(User, db.get(Node, page.id).owner_id).login == "editor"
    with pytest.raises(TransferError, match="không có người dùng 'ai-do'"):
        do_import(db, types, store, archive, target, fallback_login="ai-do")


def test_a_corrupt_blob_is_refused(db, types, target, store, tmp_path):
    sha = "b" * 64
    archive = tmp_path / "x.zip"
    line = page_line(blobs=[sha], fields={"body": "<p>x</p>"})
    write_archive(archive, [root_line(), line], blobs={sha: b"not those bytes"})
    with pytest.raises(TransferError, match="hỏng"):
        do_import(db, types, store, archive, target)
    # Nothing left in the store, not even under the bytes' own hash.
    assert not store.exists(hashlib.sha256(b"not those bytes").hexdigest())
    assert not any(p.is_file() for p in (store.root / "tmp").iterdir())


def test_blob_references_in_the_line_are_checked_not_taken_from_its_blobs_list(
    db, types, target, store, tmp_path
):
    data = b"%PDF-1.4 tep dinh kem"
    sha = hashlib.sha256(data).hexdigest()
    attachment = {"sha256": sha, "filename": "a.pdf", "mime_type": "application/pdf", "size": len(data)}
    # Listed nowhere in "blobs" but in the archive: stored all the same.
    archive = tmp_path / "x.zip"
    write_archive(archive, [root_line(), page_line(attachments=[attachment])], blobs={sha: data})
    result = do_import(db, types, store, archive, target)
    assert result.blobs_added == 1 and store.exists(sha)
    # Already in the target's store: the archive need not carry it.
    again = tmp_path / "y.zip"
    write_archive(again, [root_line(), page_line(attachments=[attachment])])
    assert do_import(db, types, store, again, target).updated == 1


def test_size_limits_are_checked_before_reading(db, types, target, store, tmp_path):
    # A manifest larger than 1 MB (a few KB once deflated).
    big = tmp_path / "manifest.zip"
    write_archive(big, [root_line()], manifest={"items": 1, "pad": " " * (2 << 20)})
    with pytest.raises(ArchiveError, match="manifest.json quá lớn"):
        Reader(big)
    # A line longer than 16 MB is refused without being read whole.
    long_line = tmp_path / "line.zip"
    write_archive(long_line, [root_line(), " " * (17 << 20) + "{}"])
    with pytest.raises(TransferError, match="content.jsonl dòng 2: dòng dài quá"):
        do_import(db, types, store, long_line, target)
    # A blob larger than the limit, found from the zip's directory.
    data = b"%PDF-" + b"x" * 5000
    sha = hashlib.sha256(data).hexdigest()
    blob = tmp_path / "blob.zip"
    write_archive(blob, [root_line(), page_line(blobs=[sha])], blobs={sha: data})
    with pytest.raises(ArchiveError, match="quá lớn"):
        Reader(blob, max_blob_bytes=1000)
    Reader(blob, max_blob_bytes=10000).close()
    # A blob deflated far beyond what real files allow (a zip bomb): refused unread.
    bomb = tmp_path / "bomb.zip"
    zeros = b"\0" * (3 << 20)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps({"format": "portal-export", "version": 1}))
        z.writestr("content.jsonl", json.dumps(root_line()) + "\n")
        z.writestr("blobs/" + "ab" * 32, zeros)
    with pytest.raises(ArchiveError, match="nén bất thường"):
        Reader(bomb)


def test_a_fake_named_blob_leaves_nothing_in_the_store(db, types, target, store, tmp_path):
    zeros = b"\0" * 200_000
    fake = "ab" * 32
    archive = tmp_path / "x.zip"
    write_archive(archive, [root_line(), page_line(blobs=[fake])], blobs={fake: zeros})
    with pytest.raises(TransferError, match="mã băm không khớp"):
        do_import(db, types, store, archive, target)
    assert not store.exists(hashlib.sha256(zeros).hexdigest()) and not store.exists(fake)
    assert not any(p.is_file() for p in (store.root / "tmp").iterdir())


def corrupt_deflate(path, member="content.jsonl"):
    """Overwrite a deflated member's data with bytes that are not deflate (zlib.error)."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    raw = bytearray(path.read_bytes())
    header = info.header_offset
    start = header + 30 + int.from_bytes(raw[header + 26 : header + 28], "little")
    start += int.from_bytes(raw[header + 28 : header + 30], "little")
    raw[start : start + min(info.compress_size, 64)] = b"\xff" * min(info.compress_size, 64)
    path.write_bytes(bytes(raw))


def test_unreadable_archives_are_one_line(db, types, target, store, tmp_path, monkeypatch):
    corrupt = tmp_path / "corrupt.zip"
    write_archive(corrupt, [root_line(), page_line()])
    corrupt_deflate(corrupt)
    with pytest.raises(TransferError, match="tệp lưu trữ hỏng") as e:
        do_import(db, types, store, corrupt, target)
    assert "\n" not in str(e.value)
    deep = tmp_path / "deep.zip"
    write_archive(deep, [root_line(), '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"])
    with pytest.raises(TransferError, match="content.jsonl dòng 2: JSON lồng nhau quá sâu"):
        do_import(db, types, store, deep, target)
    # Nested deep enough for the JSON reader, too deep for the checks after it.
    nested = tmp_path / "nested.zip"
    value = {}
    for _ in range(900):
        value = {"x": value}
    write_archive(nested, [root_line(), page_line(attachments=[{"sha256": "a" * 64, "title": value}])])
    with pytest.raises(TransferError, match="dòng 2"):
        do_import(db, types, store, nested, target)
    # Anything unexpected while reading: still one line.
    import portal.transfer.import_ as import_module

    def boom(*args):
        raise LookupError("bất ngờ\ndòng hai")

    monkeypatch.setattr(import_module, "_read_item", boom)
    plain = tmp_path / "plain.zip"
    write_archive(plain, [root_line(), page_line()])
    with pytest.raises(TransferError, match="tệp lưu trữ không đọc được \\(LookupError") as e:
        do_import(db, types, store, plain, target)
    assert "\n" not in str(e.value)
    db.rollback()
    assert site_nodes(db, target.site_id) == 1


def test_references_outside_the_export_are_kept_on_the_same_site(db, types, make, target, store, tmp_path):
    from content_types.legal_document import DocumentRelation
    from content_types.legal_review import ReviewListEntry

    laws = make("folder", title="Văn bản", state="published")
    law = make("legal_document", laws, "Nghị định 1", state="published")
    reviews = make("folder", title="Rà soát", state="published")
    inside = make("legal_document", reviews, "Quyết định 2", state="published")
    review = make("legal_document_review", reviews, "Rà soát nghị định 1", state="published",
                  document_id=law.id)  # fmt: skip
    listing = make("review_list", reviews, "Danh mục", state="published")
    db.add(DocumentRelation(source_id=inside.id, target_id=law.id, kind="huong-dan"))
    db.add(ReviewListEntry(list_id=listing.id, position=0, document_id=law.id, title="Nghị định 1"))
    db.commit()
    archive = tmp_path / "a.zip"
    export(db, types, store, reviews, archive)
    by_path = {line["path"]: line for line in lines_of(archive)}
    outside = {"site_path": law.path}
    assert by_path[review.name]["fields"]["document_id"] == outside
    assert by_path[inside.name]["rows"]["document_relations"][0]["target_id"] == outside
    assert by_path[listing.name]["rows"]["review_list_entries"][0]["document_id"] == outside

    # Back into its own place: the references to the law are still there.
    result = do_import(db, types, store, archive, reviews)
    assert result.updated == 3 and result.created == 0
    db.expire_all()
    assert db.get(type(review), review.id).document_id == law.id
    relations = select(DocumentRelation.target_id).where(DocumentRelation.source_id == inside.id)
    assert db.scalars(relations).all() == [law.id]
    entries = select(ReviewListEntry.document_id).where(ReviewListEntry.list_id == listing.id)
    assert db.scalars(entries).all() == [law.id]
    export(db, types, store, reviews, tmp_path / "b.zip")
    again = {line["path"]: line for line in lines_of(tmp_path / "b.zip")}
    assert again[review.name]["fields"]["document_id"] == outside
    assert again[inside.name]["rows"] == by_path[inside.name]["rows"]
    assert again[listing.name]["rows"] == by_path[listing.name]["rows"]

    # Into a site that lacks the law: null where it may be, the relation row left out.
    do_import(db, types, store, archive, target)

    def on_target(node):
        return db.scalar(select(Node).where(Node.site_id == target.site_id, Node.path == f"/{node.name}/"))

    copy = on_target(review)
    assert copy.document_id is None
    copy_inside = on_target(inside).id
    assert not db.scalars(select(DocumentRelation).where(DocumentRelation.source_id == copy_inside)).all()
    copy_list = on_target(listing).id
    entries = db.scalars(select(ReviewListEntry).where(ReviewListEntry.list_id == copy_list)).all()
    assert [(e.document_id, e.title) for e in entries] == [(None, "Nghị định 1")]
    # Once the target has an item at that path, a new import links it.
    target_laws = make("folder", target, "Văn bản", state="published")
    target_law = make("legal_document", target_laws, "Nghị định 1", state="published")
    assert target_law.path == law.path
    do_import(db, types, store, archive, target)
    db.expire_all()
    assert db.get(Node, copy.id).document_id == target_law.id


def test_export_statements_do_not_grow_with_the_items(db, types, make, root, store, tmp_path, connection):
    from sqlalchemy import event

    def subtree_of(title, count):
        folder = make("folder", title=title, state="published")
        for i in range(count):
            make("page", folder, f"Trang {i}", state="published", body="<p>x</p>")
            make("news", folder, f"Tin {i}", state="published", lead="L", body="<p>x</p>")
            make("legal_document", folder, f"Văn bản {i}", state="published")
        return folder.id

    small, big = subtree_of("Nhỏ", 1), subtree_of("Lớn", 6)

    def count(node_id):
        db.expunge_all()  # as in a fresh command: nothing loaded yet
        statements = []

        def log(conn, cursor, statement, *args):
            if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        event.listen(connection, "before_cursor_execute", log)
        try:
            export(db, types, store, db.get(Node, node_id), tmp_path / f"{node_id}.zip")
        finally:
            event.remove(connection, "before_cursor_execute", log)
        return len(statements)

    assert count(big) == count(small)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"khong phai zip", "không phải tệp lưu trữ"),
        (None, "không tìm thấy tệp"),
    ],
)
def test_reader_refuses_what_is_not_an_archive(tmp_path, content, message):
    path = tmp_path / "x.zip"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ArchiveError, match=message):
        Reader(path)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("hello.txt", "xin chào")
    with pytest.raises(ArchiveError, match="thiếu manifest.json"):
        Reader(other)


# --- the command line -------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    for key in list(__import__("os").environ):
        if key.startswith("PORTAL_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PORTAL_ADMIN_PASSWORD", "mat-khau-quan-tri-01")

    def use(name: str):
        monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / name))

    return use


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_demo_goes_through_export_and_import_into_a_fresh_database(cli_env, capsys, tmp_path):
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    cli_env("nguon")
    assert run(capsys, "init")[0] == 0
    assert run(capsys, "demo")[0] == 0
    code, out, err = run(capsys, "export", "-o", str(a))
    assert code == 0, err
    assert out.startswith("Đã xuất ") and " tệp (" in out and len(out.strip().splitlines()) == 1

    cli_env("dich")
    assert run(capsys, "init")[0] == 0
    code, out, err = run(capsys, "import", str(a))
    assert code == 0, err
    items = len(lines_of(a)) - 1
    assert f"({items} mới, 0 cập nhật)" in out
    code, out, err = run(capsys, "import", str(a))
    assert code == 0 and "(0 mới," in out and ", 0 tệp mới." in out
    assert run(capsys, "export", "-o", str(b))[0] == 0
    assert below_root(lines_of(b)) == below_root(lines_of(a))
    # Blobs are in the target's own data directory.
    sha = next(s for line in lines_of(a) for s in line["blobs"])
    assert store_for({"portal.data_dir": str(tmp_path / "dich")}).exists(sha)

    # A part of the site, into a folder.
    code, out, err = run(capsys, "export", "van-ban", "-o", str(tmp_path / "vb.zip"))
    assert code == 0 and lines_of(tmp_path / "vb.zip")[0]["type"] == "folder"
    code, out, err = run(capsys, "import", str(tmp_path / "vb.zip"), "--into", "/gioi-thieu/")
    assert code == 0, err

    def fails(*argv, message):
        code, out, err = run(capsys, *argv)
        assert code == 1 and out == ""
        assert len(err.strip().splitlines()) == 1 and message in err, err

    fails("import", str(tmp_path / "khong-co.zip"), message="không tìm thấy tệp")
    (tmp_path / "rac.zip").write_bytes(b"\x00" * 100)
    fails("import", str(tmp_path / "rac.zip"), message="không phải tệp lưu trữ")
    fails("import", str(a), "--into", "/khong-co/", message="không có mục '/khong-co/'")
    fails("import", str(a), "--into", "/gioi-thieu/chuc-nang-nhiem-vu/", message="không phải thư mục")
    fails("import", str(a), "--site", "khong-co", message="không có trang 'khong-co'")
    bad = tmp_path / "bad.zip"
    write_archive(bad, [root_line(), page_line(), "{"])
    fails("import", str(bad), message="content.jsonl dòng 3: JSON không hợp lệ")
    # Damaged or hostile archives: one line, exit 1, never a traceback.
    corrupt = tmp_path / "corrupt.zip"
    write_archive(corrupt, [root_line(), page_line("trang-hong")])
    corrupt_deflate(corrupt)
    fails("import", str(corrupt), message="tệp lưu trữ hỏng")
    deep = tmp_path / "deep.zip"
    write_archive(deep, [root_line(), "[" * 100_000 + "]" * 100_000])
    fails("import", str(deep), message="content.jsonl dòng 2: JSON lồng nhau quá sâu")
    fake = tmp_path / "fake.zip"
    write_archive(
        fake, [root_line(), page_line("trang-gia", blobs=["ab" * 32])], blobs={"ab" * 32: b"\0" * 1000}
    )
    fails("import", str(fake), message="mã băm không khớp")
    fails("export", "/khong-co/", "-o", str(tmp_path / "c.zip"), message="không có mục")
    assert not (tmp_path / "c.zip").exists()
    fails("export", "-o", str(tmp_path), message="là một thư mục")
    # A missing owner: imported all the same, owned by the administrator, said on stderr.
    orphan = tmp_path / "orphan.zip"
    write_archive(orphan, [root_line(), page_line("trang-mo-coi", owner="nguoi-da-nghi")])
    code, out, err = run(capsys, "import", str(orphan))
    assert code == 0 and "(1 mới, 0 cập nhật)" in out
    assert "không có người dùng 'nguoi-da-nghi': 1 mục giao cho 'admin'" in err
    fails("import", str(orphan), "--owner", "ai-do", message="không có người dùng 'ai-do'")
