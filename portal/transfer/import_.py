"""Import an archive under a container, in one transaction.

1. Every line is read and checked before the database is touched: JSON, known type,
   a parent earlier in the file, the type addable there, readable values, every blob
   present (``TransferError`` with one line naming the line number otherwise).
2. Blobs go into the blob store (content-addressed: bytes already there are kept; a
   failed import leaves at worst unreferenced files, never a wrong one).
3. Items are created or, where the path already exists under the target, updated in
   place (so a second import changes nothing), through the ORM so that the session
   listeners keep ``nodes.public``, the search outbox and the site generation.
   State, dates, owner and history are written as they are: no workflow transition
   runs, nothing is re-dated.
4. Second pass: terms, attachments, history, local roles, the types' relation rows
   and references between items, resolved by path now that every item exists.

The export's own root (path "") is not re-created nor changed: only what is below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..blobs import BlobStore
from ..models import Attachment, Group, LocalRole, Node, Site, Term, User, WorkflowHistory
from ..permissions import Roles
from ..tree import RESERVED_NAMES, TreeError, check_room
from .archive import Reader, TransferError
from .export import NODE_DATES, NODE_FIELDS
from .spec import is_node_ref, load_value, own_columns, row_tables

REQUIRED = ("type", "path", "name", "title")
MAX_NAME = 255


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


def _fail(number: int, message: str):
    raise TransferError(f"content.jsonl dòng {number}: {message}")


def _name_ok(name: str) -> bool:
    return (
        bool(name)
        and len(name) <= MAX_NAME
        and "/" not in name
        and name not in (".", "..")
        and not name.startswith("@@")
        and name.isprintable()
    )


def read_items(reader: Reader, types, into_type: str, into_is_root: bool = False) -> list[Item]:
    """Parse and check every line (no database work)."""
    items: list[Item] = []
    seen: dict[str, str] = {}
    base_columns = Node.__table__.c
    for number, raw in reader.lines():
        missing = [k for k in REQUIRED if not isinstance(raw.get(k), str)]
        if missing:
            _fail(number, f"thiếu hoặc sai khóa {', '.join(missing)}")
        path = raw["path"]
        if not seen:
            if path != "":
                _fail(number, "dòng đầu phải là gốc của bản xuất (path rỗng)")
            seen[""] = into_type
            continue
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
                    if not isinstance(value, str | None):
                        raise ValueError(f"{key}: cần một đường dẫn hoặc null")
                    refs[key] = value
                else:
                    fields[key] = load_value(columns[key], value)
            for key in ("terms", "attachments", "history", "local_roles"):
                if not isinstance(raw.get(key, []), list):
                    raise ValueError(f"{key} phải là một danh sách")
            rows = raw.get("rows") or {}
            known_rows = {t.name for t in row_tables(info)}
            if not isinstance(rows, dict) or set(rows) - known_rows:
                raise ValueError(
                    f"bảng quan hệ không có ở loại '{info.name}': {sorted(set(rows) - known_rows)}"
                )
        except (ValueError, TypeError, KeyError) as e:
            _fail(number, str(e))
        if base.get("created") is None or base.get("modified") is None:
            _fail(number, "thiếu ngày tạo hoặc ngày sửa")
        for sha in raw.get("blobs") or ():
            if sha not in reader.blobs:
                _fail(number, f"thiếu tệp blobs/{sha} trong tệp lưu trữ")
        seen[path] = info.name
        items.append(Item(number, raw, info, parent, name, base, fields, refs))
    if not seen:
        raise TransferError("content.jsonl không có mục nào")
    return items


class Importer:
    def __init__(self, db: Session, types, store: BlobStore, into: Node, fallback_login: str | None = None):
        self.db, self.types, self.store, self.into = db, types, store, into
        self.users = {login: id_ for id_, login in db.execute(select(User.id, User.login))}
        self.groups = {name: id_ for id_, name in db.execute(select(Group.id, Group.name))}
        self.fallback_login = fallback_login
        self.result = ImportResult()
        self.missing_owners: dict[str, int] = {}
        self.nodes: dict[str, Node] = {"": into}
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
        items = read_items(reader, self.types, self.into.type, self.into.parent_id is None)
        self.put_blobs(reader, items)
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
        wanted = sorted({sha for item in items for sha in item.raw.get("blobs") or ()})
        for sha in wanted:
            if self.store.exists(sha):
                continue
            with reader.open_blob(sha) as fp:
                got, _size = self.store.put(fp)
            if got != sha:
                raise TransferError(f"tệp blobs/{sha} hỏng: mã băm không khớp")
            self.result.blobs_added += 1

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
        if path is None:
            return None
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
