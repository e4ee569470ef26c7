"""Import an archive under a container, in one transaction.

1. Every line is read and checked before the database is touched: JSON, known type,
   a parent earlier in the file, the type addable there, values the UI would allow
   (names by the slug rule, lengths and integer ranges of the columns, known roles,
   terms once each), every blob reference (recomputed from the line, 64 hex digits) in
   the archive or already in the store (``TransferError`` with one line naming the
   line number otherwise).
2. Blobs go into the blob store (content-addressed: bytes already there are kept); each
   is hashed into a temporary file in the store's directory and moved into place only
   when its hash is its name. A failed import leaves at worst unreferenced files, never
   a wrong one.
3. Items are created or, where the path already exists under the target, updated in
   place (so a second import changes nothing), through the ORM so that the session
   listeners keep ``nodes.public``, the search outbox and the site generation.
   State, dates, owner and history are written as they are: no workflow transition
   runs, nothing is re-dated.
4. Second pass: terms, attachments, history, local roles, the types' relation rows
   and references between items, resolved by path now that every item exists (a
   ``{"site_path": ...}`` reference by its path on the target site).

The export's own root (path "") is not re-created nor changed: only what is below it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..blobs import CHUNK, BlobStore
from ..models import Attachment, Group, LocalRole, Node, Site, Term, User, WorkflowHistory
from ..permissions import GRANTABLE_ROLES, Roles
from ..text import slugify
from ..tree import RESERVED_NAMES, TreeError, check_room
from .archive import READ_ERRORS, Reader, TransferError
from .export import NODE_DATES, NODE_FIELDS
from .spec import SHA256, SITE_PATH, blob_refs, check_ref, is_node_ref, load_value, own_columns, row_tables

REQUIRED = ("type", "path", "name", "title")
MAX_NAME = 255
# The UI's rule for names (portal.forms.slug_validator), longer names allowed.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
ROLES = frozenset(str(r) for r in GRANTABLE_ROLES)
TERM_COLUMNS = {"kind": Term.__table__.c.kind, "slug": Term.__table__.c.slug, "title": Term.__table__.c.label}
ATTACHMENT_COLUMNS = {c.name: c for c in Attachment.__table__.columns if c.name not in ("id", "node_id")}
HISTORY_COLUMNS = {
    c.name: c for c in WorkflowHistory.__table__.columns if c.name not in ("id", "node_id", "actor_id")
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    blobs_added: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Item:
    number: int
    raw: dict
    info: object
    parent: str
    name: str
    base: dict
    fields: dict
    refs: dict
    blobs: set = field(default_factory=set)


def _is_sha256(value: str) -> bool:
    return bool(SHA256.match(value))


def _fail(number: int, message: str):
    raise TransferError(f"content.jsonl dòng {number}: {message}")


def _name_ok(name: str) -> bool:
    return len(name) <= MAX_NAME and bool(SLUG.match(name)) and slugify(name, MAX_NAME) == name


def _records(raw: dict, key: str) -> list[dict]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"{key} phải là một danh sách đối tượng")
    return value


def _check_record(key: str, record: dict, columns: dict, required=()) -> None:
    unknown = sorted(str(k) for k in set(record) - set(columns))
    if unknown:
        raise ValueError(f"{key}: khóa không có: {', '.join(unknown)}")
    for name in required:
        if record.get(name) is None:
            raise ValueError(f"{key}: thiếu {name}")
    for name, value in record.items():
        load_value(columns[name], value)


def _check_extras(raw: dict) -> None:
    """Terms, attachments, history and roles: the values the UI could have written."""
    terms = set()
    for term in _records(raw, "terms"):
        _check_record("terms", term, TERM_COLUMNS, ("kind", "slug"))
        if not term["kind"] or not term["slug"]:
            raise ValueError("terms: kind và slug không được rỗng")
        if (term["kind"], term["slug"]) in terms:
            raise ValueError(f"terms: lặp lại {term['kind']}/{term['slug']}")
        terms.add((term["kind"], term["slug"]))
    for a in _records(raw, "attachments"):
        _check_record("attachments", a, ATTACHMENT_COLUMNS, ("sha256",))
    for h in _records(raw, "history"):
        actor = h.get("actor")
        _check_record("history", {k: v for k, v in h.items() if k != "actor"}, HISTORY_COLUMNS,
                      ("at", "transition", "from_state", "to_state"))  # fmt: skip
        if not isinstance(actor, str | None):
            raise ValueError("history: actor phải là tên đăng nhập hoặc null")
    for r in _records(raw, "local_roles"):
        if not isinstance(r.get("principal"), str) or set(r) - {"principal", "role"}:
            raise ValueError("local_roles: cần principal và role")
        if r.get("role") not in ROLES:
            raise ValueError(f"local_roles: vai trò không có: {str(r.get('role'))[:80]!r}")


def _check_rows(raw: dict, info) -> dict:
    rows = raw.get("rows") or {}
    known = {t.name: t for t in row_tables(info)}
    if not isinstance(rows, dict) or set(rows) - set(known):
        unknown = sorted(set(rows) - set(known)) if isinstance(rows, dict) else rows
        raise ValueError(f"bảng quan hệ không có ở loại '{info.name}': {str(unknown)[:200]}")
    for name, given in rows.items():
        table = known[name]
        columns = {c.key: c for c in table.columns()}
        if not isinstance(given, list) or not all(isinstance(r, dict) for r in given):
            raise ValueError(f"{name} phải là một danh sách đối tượng")
        for row in given:
            unknown = sorted(str(k) for k in set(row) - set(columns))
            if unknown:
                raise ValueError(f"{name}: cột không có: {', '.join(unknown)}")
            for key, value in row.items():
                column = columns[key]
                if is_node_ref(column):
                    check_ref(f"{name}.{key}", value)
                else:
                    load_value(column, value)
    return rows


def read_items(
    reader: Reader, types, into_type: str, into_is_root: bool = False, store: BlobStore | None = None
) -> list[Item]:
    """Parse and check every line (no database work)."""
    items: list[Item] = []
    seen: dict[str, str] = {}
    for number, raw in reader.lines():
        try:
            item = _read_item(reader, types, seen, number, raw, into_type, into_is_root, store)
        except RecursionError:
            _fail(number, "JSON lồng nhau quá sâu")
        if item is not None:
            items.append(item)
    if not seen:
        raise TransferError("content.jsonl không có mục nào")
    return items


def _read_item(reader, types, seen, number, raw, into_type, into_is_root, store) -> Item | None:
    base_columns = Node.__table__.c
    missing = [k for k in REQUIRED if not isinstance(raw.get(k), str)]
    if missing:
        _fail(number, f"thiếu hoặc sai khóa {', '.join(missing)}")
    path = raw["path"]
    if not seen:
        if path != "":
            _fail(number, "dòng đầu phải là gốc của bản xuất (path rỗng)")
        seen[""] = into_type
        return None
    if path in seen:
        _fail(number, f"đường dẫn '{path}' lặp lại")
    parent, _, name = path.rpartition("/")
    if name != raw["name"] or not _name_ok(name):
        _fail(number, f"tên '{raw['name']}' không hợp lệ hoặc không khớp đường dẫn '{path}'")
    if parent not in seen:
        _fail(number, f"mục cha '{parent}' phải đứng trước mục '{path}'")
    if parent == "" and into_is_root and name in RESERVED_NAMES:
        _fail(number, f"tên '{name}' trùng một địa chỉ cố định của trang")
    if not isinstance(raw.get("owner"), str | None):
        _fail(number, "owner phải là tên đăng nhập hoặc null")
    blobs = raw.get("blobs") or []
    if not isinstance(blobs, list) or not all(isinstance(b, str) for b in blobs):
        _fail(number, "blobs phải là một danh sách mã sha256")
    info = types.get(raw["type"])
    if info is None:
        _fail(number, f"loại nội dung không có: '{raw['type']}'")
    if seen[parent] not in info.addable_to:
        _fail(number, f"không thêm được '{raw['type']}' vào '{seen[parent]}' (mục '{path}')")
    if raw.get("state") not in info.workflow.states:
        _fail(number, f"trạng thái không có: {raw.get('state')!r}")
    base = {}
    try:
        for key in NODE_FIELDS:
            if key in raw:
                base[key] = load_value(base_columns[key], raw[key])
        for key in NODE_DATES:
            base[key] = load_value(base_columns[key], raw.get(key))
        columns = dict(own_columns(info.model))
        given = raw.get("fields") or {}
        if not isinstance(given, dict):
            raise ValueError("fields phải là một đối tượng")
        unknown = sorted(set(given) - set(columns))
        if unknown:
            raise ValueError(f"trường không có ở loại '{info.name}': {', '.join(unknown)}")
        fields, refs = {}, {}
        for key, value in given.items():
            if is_node_ref(columns[key]):
                refs[key] = check_ref(key, value)
            else:
                fields[key] = load_value(columns[key], value)
        _check_extras(raw)
        _check_rows(raw, info)
        blobs = blob_refs(raw, set(), strict=True)
    except (ValueError, TypeError, KeyError) as e:
        _fail(number, str(e))
    if base.get("created") is None or base.get("modified") is None:
        _fail(number, "thiếu ngày tạo hoặc ngày sửa")
    for sha in raw.get("blobs") or ():
        if not _is_sha256(sha):
            _fail(number, f"mã sha256 không hợp lệ trong blobs: {sha[:80]!r}")
    # The references found in the line itself, not only those it lists.
    blobs |= set(raw.get("blobs") or ())
    for sha in sorted(blobs):
        if sha not in reader.blobs and not (store is not None and store.exists(sha)):
            _fail(number, f"thiếu tệp blobs/{sha} trong tệp lưu trữ")
    seen[path] = info.name
    return Item(number, raw, info, parent, name, base, fields, refs, blobs)


class Importer:
    def __init__(self, db: Session, types, store: BlobStore, into: Node, fallback_login: str | None = None):
        self.db, self.types, self.store, self.into = db, types, store, into
        self.users = {login: id_ for id_, login in db.execute(select(User.id, User.login))}
        self.groups = {name: id_ for id_, name in db.execute(select(Group.id, Group.name))}
        self.fallback_login = fallback_login
        self.result = ImportResult()
        self.missing_owners: dict[str, int] = {}
        self.nodes: dict[str, Node] = {"": into}
        self.site_nodes: dict[str, int | None] = {}
        self._fallback: int | None = None

    def fallback(self) -> int:
        if self._fallback is None:
            self._fallback = self._find_fallback()
        return self._fallback

    def _find_fallback(self) -> int:
        if self.fallback_login is not None:
            if self.fallback_login not in self.users:
                raise TransferError(f"không có người dùng '{self.fallback_login}' (--owner)")
            return self.users[self.fallback_login]
        root = self.db.scalar(select(Node).where(Node.site_id == self.into.site_id, Node.parent_id.is_(None)))
        principals = self.db.scalars(
            select(LocalRole.principal).where(
                LocalRole.node_id == root.id, LocalRole.role == Roles.SiteAdministrator
            )
        ).all()
        ids = sorted(int(p[5:]) for p in principals if p.startswith("user:") and p[5:].isdigit())
        if not ids:
            raise TransferError(
                "không có quản trị trang để nhận các mục của người dùng vắng mặt: dùng --owner"
            )
        return ids[0]

    def owner_id(self, login):
        if login is None:
            return None
        if login in self.users:
            return self.users[login]
        self.missing_owners[login] = self.missing_owners.get(login, 0) + 1
        return self.fallback()

    def run(self, reader: Reader) -> ImportResult:
        info = self.types.get(self.into.type)
        if info is None or not info.container:
            raise TransferError(f"'{self.into.path}' không phải thư mục: không nhập vào đó được")
        try:
            items = read_items(reader, self.types, self.into.type, self.into.parent_id is None, self.store)
            self.put_blobs(reader, items)
        except TransferError:
            raise
        except Exception as e:  # a last resort: a bad archive is one line, never a traceback
            raise TransferError(
                f"tệp lưu trữ không đọc được ({type(e).__name__}: {' '.join(str(e).split())[:200]})"
            ) from None
        fresh: set[str] = set()
        for item in items:
            self.place(item, fresh)
        self.db.flush()
        for item in items:
            self.relations(item, updated=item.raw["path"] not in fresh)
        self.db.flush()
        # Terms, roles and relations may change with no node column changing: make sure
        # every cache keyed by the generation moves.
        self.db.execute(
            update(Site).where(Site.id == self.into.site_id).values(generation=Site.generation + 1)
        )
        logins = {id_: login for login, id_ in self.users.items()}
        for login, count in sorted(self.missing_owners.items()):
            self.result.warnings.append(
                f"không có người dùng '{login}': {count} mục giao cho '{logins[self.fallback()]}'"
            )
        return self.result

    def put_blobs(self, reader: Reader, items: list[Item]) -> None:
        wanted = sorted({sha for item in items for sha in item.blobs})
        for sha in wanted:
            if self.store.exists(sha):
                continue
            self.put_blob(reader, sha)
            self.result.blobs_added += 1

    def put_blob(self, reader: Reader, sha: str) -> None:
        """Hash the member into a temporary file in the store's directory; move it to
        its place only when the hash is its name (never a file under a false name)."""
        tmp_dir = self.store.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(fd, "wb") as out, reader.open_blob(sha) as fp:
                while chunk := fp.read(CHUNK):
                    size += len(chunk)
                    if size > reader.max_blob_bytes:
                        raise TransferError(f"tệp blobs/{sha} quá lớn (tối đa {reader.max_blob_bytes} byte)")
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha:
                raise TransferError(f"tệp blobs/{sha} hỏng: mã băm không khớp")
            final = self.store.path(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, final)
        except READ_ERRORS as e:
            if isinstance(e, OSError) and not isinstance(e, FileNotFoundError) and e.filename:
                raise TransferError(f"không ghi được vào kho tệp: {e.strerror or e}") from None
            raise TransferError(f"tệp blobs/{sha} hỏng: {' '.join(str(e).split())[:200]}") from None
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def place(self, item: Item, fresh: set[str]) -> None:
        path = item.raw["path"]
        parent = self.nodes[item.parent]
        if parent.id is None:
            self.db.flush()
        node = None
        if item.parent not in fresh:
            node = self.db.scalar(select(Node).where(Node.parent_id == parent.id, Node.name == item.name))
        if node is not None and node.type != item.info.name:
            raise TransferError(
                f"content.jsonl dòng {item.number}: '{node.path}' đã có và là loại '{node.type}', "
                f"không phải '{item.info.name}'"
            )
        if node is None:
            node = item.info.model()
            node.site_id, node.parent_id, node.name = parent.site_id, parent.id, item.name
            node.path = f"{parent.path}{item.name}/"
            try:
                check_room(parent.path, name=item.name)
            except TreeError:
                raise TransferError(
                    f"content.jsonl dòng {item.number}: '{path}' quá sâu hoặc quá dài"
                ) from None
            self.db.add(node)
            fresh.add(path)
            self.result.created += 1
        else:
            self.result.updated += 1
        node.__parent__ = parent
        for key, value in item.base.items():
            setattr(node, key, value)
        node.owner_id = self.owner_id(item.raw.get("owner"))
        for key, value in item.fields.items():
            setattr(node, key, value)
        self.nodes[path] = node

    def ref(self, path):
        """A reference read from a line: a path relative to the export (an item of this
        import) or ``{"site_path": ...}`` (an item of the target site, if there)."""
        if isinstance(path, dict):
            site_path = path[SITE_PATH]
            if site_path not in self.site_nodes:
                self.site_nodes[site_path] = self.db.scalar(
                    select(Node.id).where(Node.site_id == self.into.site_id, Node.path == site_path)
                )
            return self.site_nodes[site_path]
        node = self.nodes.get(path) if isinstance(path, str) else None
        return node.id if node is not None else None

    def principal(self, text):
        kind, _, name = (text or "").partition(":")
        ident = {"user": self.users, "group": self.groups}.get(kind, {}).get(name)
        return f"{kind}:{ident}" if ident is not None else None

    def relations(self, item: Item, *, updated: bool) -> None:
        db, raw = self.db, item.raw
        node = self.nodes[raw["path"]]
        tables = row_tables(item.info)
        if updated:
            for model, column in (
                (Term, Term.node_id),
                (Attachment, Attachment.node_id),
                (WorkflowHistory, WorkflowHistory.node_id),
                (LocalRole, LocalRole.node_id),
            ):
                db.execute(
                    delete(model).where(column == node.id).execution_options(synchronize_session=False)
                )
            for table in tables:
                owner = table.model.__table__.c[table.owner]
                db.execute(
                    delete(table.model).where(owner == node.id).execution_options(synchronize_session=False)
                )
        for key, path in item.refs.items():
            setattr(node, key, self.ref(path))
        try:
            self._add_rows(item, node, tables)
        except (ValueError, TypeError, KeyError, AttributeError) as e:
            raise TransferError(f"content.jsonl dòng {item.number}: {e}") from None

    def _add_rows(self, item: Item, node: Node, tables) -> None:
        db, raw = self.db, item.raw
        for term in raw.get("terms") or ():
            db.add(Term(node_id=node.id, kind=term["kind"], slug=term["slug"], label=term.get("title", "")))
        for a in raw.get("attachments") or ():
            db.add(
                Attachment(
                    node_id=node.id,
                    slot=a.get("slot", "attachment"),
                    position=a.get("position", 0),
                    title=a.get("title", ""),
                    filename=a.get("filename", ""),
                    mime_type=a.get("mime_type", ""),
                    size=a.get("size", 0),
                    sha256=a["sha256"],
                )
            )
        at_column = WorkflowHistory.__table__.c.at
        for h in raw.get("history") or ():
            db.add(
                WorkflowHistory(
                    node_id=node.id,
                    actor_id=self.users.get(h.get("actor")),
                    actor_name=h.get("actor_name", ""),
                    at=load_value(at_column, h["at"]),
                    transition=h["transition"],
                    from_state=h["from_state"],
                    to_state=h["to_state"],
                    comment=h.get("comment", ""),
                )
            )
        for r in raw.get("local_roles") or ():
            principal = self.principal(r.get("principal"))
            if principal is None:
                self.result.warnings.append(
                    f"'{node.path}': bỏ vai trò {r.get('role')} của '{r.get('principal')}' (không có ở đây)"
                )
                continue
            db.add(LocalRole(node_id=node.id, principal=principal, role=r["role"]))
        rows = raw.get("rows") or {}
        for table in tables:
            columns = {c.key: c for c in table.columns()}
            for given in rows.get(table.name) or ():
                values = {table.owner: node.id}
                for key, value in given.items():
                    column = columns[key]
                    values[key] = self.ref(value) if is_node_ref(column) else load_value(column, value)
                if any(
                    values.get(c.key) is None and not c.nullable and is_node_ref(c) for c in columns.values()
                ):
                    continue  # its other end is not in this site
                db.add(table.model(**values))


def import_archive(
    db: Session, types, store: BlobStore, reader: Reader, into: Node, fallback_login: str | None = None
) -> ImportResult:
    return Importer(db, types, store, into, fallback_login).run(reader)
