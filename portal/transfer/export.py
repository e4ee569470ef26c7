"""Export a subtree: one JSON line per item, in tree order, blobs beside them.

Everything is exported whatever its state (an administrator's tool). Paths in the
lines are relative to the exported item ("" for it, "tin-tuc/bai-viet" below it);
references to items outside the exported subtree are written with their path on the
site, ``{"site_path": "/van-ban/x/"}``, which the import looks up on the target site.

Each type's rows are loaded with one query per type (ids in chunks), never one per
item, so the number of statements does not grow with the subtree.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..blobs import BlobStore
from ..models import Attachment, Group, LocalRole, Node, Site, Term, User, WorkflowHistory, utcnow
from .archive import Writer
from .spec import blob_refs, dump_ref, dump_value, is_node_ref, own_columns, row_tables

NODE_FIELDS = ("title", "description", "state", "language", "position", "exclude_from_nav")
NODE_DATES = ("created", "modified", "effective", "expires")


@dataclass
class ExportResult:
    items: int
    blobs: int
    bytes: int
    missing_blobs: list[str]


def relative(path: str, base: str) -> str:
    return path[len(base) :].strip("/")


def subtree(db: Session, top: Node) -> list[Node]:
    """The subtree's nodes in tree order: parents first, siblings by position then id."""
    rows = db.scalars(
        select(Node).where(Node.site_id == top.site_id, Node.path.startswith(top.path, autoescape=True))
    ).all()
    children = defaultdict(list)
    for node in rows:
        children[node.parent_id].append(node)
    for kids in children.values():
        kids.sort(key=lambda n: (n.position, n.id))
    out, stack = [], [top]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(node.id, [])))
    return out


CHUNK_IDS = 500


def _chunks(ids):
    for start in range(0, len(ids), CHUNK_IDS):
        yield ids[start : start + CHUNK_IDS]


def _by_node(db: Session, model, column, ids, order):
    grouped = defaultdict(list)
    for chunk in _chunks(ids):
        for row in db.scalars(select(model).where(column.in_(chunk)).order_by(*order)):
            grouped[getattr(row, column.key)].append(row)
    return grouped


class Exporter:
    def __init__(self, db: Session, types, store: BlobStore, top: Node):
        self.db, self.types, self.store, self.top = db, types, store, top
        self.nodes = subtree(db, top)
        self.path_of = {n.id: relative(n.path, top.path) for n in self.nodes}
        self.logins = dict(db.execute(select(User.id, User.login)).all())
        self.groups = dict(db.execute(select(Group.id, Group.name)).all())
        self.objects: dict[int, Node] = {}
        self.site_paths: dict[int, str] = {}

    def principal(self, principal: str) -> str | None:
        """ "user:<id>" -> "user:<login>", "group:<id>" -> "group:<name>" (ids differ
        between sites; names do not)."""
        kind, _, ident = principal.partition(":")
        names = {"user": self.logins, "group": self.groups}.get(kind)
        if names is None or not ident.isdigit() or int(ident) not in names:
            return None
        return f"{kind}:{names[int(ident)]}"

    def ref(self, node_id):
        return dump_ref(self.path_of, self.site_paths, node_id)

    def load_objects(self) -> None:
        """Every item with its type's own columns: one query per type and chunk."""
        by_type = defaultdict(list)
        for node in self.nodes:
            by_type[node.type].append(node.id)
        for type_name, ids in by_type.items():
            info = self.types.get(type_name)
            if info is None:
                continue
            for chunk in _chunks(ids):
                for obj in self.db.scalars(select(info.model).where(info.model.id.in_(chunk))):
                    self.objects[obj.id] = obj

    def load_site_paths(self, row_data) -> None:
        """The site paths of the items outside the export that its references name."""
        wanted = set()
        for node in self.nodes:
            obj = self.objects.get(node.id, node)
            for key, column in own_columns(type(obj)):
                if is_node_ref(column):
                    wanted.add(getattr(obj, key))
        for info in self.types:
            for table in row_tables(info):
                refs = [c.key for c in table.columns() if is_node_ref(c)]
                for rows in row_data.get(table.name, {}).values():
                    wanted.update(getattr(row, key) for row in rows for key in refs)
        outside = sorted(i for i in wanted if i is not None and i not in self.path_of)
        for chunk in _chunks(outside):
            self.site_paths.update(
                self.db.execute(
                    select(Node.id, Node.path).where(Node.id.in_(chunk), Node.site_id == self.top.site_id)
                ).all()
            )

    def lines(self):
        ids = [n.id for n in self.nodes]
        terms = _by_node(self.db, Term, Term.node_id, ids, (Term.kind, Term.slug))
        attachments = _by_node(
            self.db,
            Attachment,
            Attachment.node_id,
            ids,
            (Attachment.slot, Attachment.position, Attachment.id),
        )
        history = _by_node(
            self.db, WorkflowHistory, WorkflowHistory.node_id, ids, (WorkflowHistory.at, WorkflowHistory.id)
        )
        roles = _by_node(self.db, LocalRole, LocalRole.node_id, ids, (LocalRole.principal, LocalRole.role))
        row_data = {}
        for info in self.types:
            for table in row_tables(info):
                if table.name not in row_data:
                    owner = table.model.__table__.c[table.owner]
                    row_data[table.name] = _by_node_table(self.db, table, owner, ids)
        self.load_objects()
        self.load_site_paths(row_data)
        for node in self.nodes:
            yield self.line(node, terms, attachments, history, roles, row_data)

    def line(self, node, terms, attachments, history, roles, row_data) -> dict:
        info = self.types.get(node.type)
        obj = self.objects.get(node.id, node)
        line = {
            "type": node.type,
            "path": self.path_of[node.id],
            "name": node.name if node is not self.top else "",
        }
        for key in NODE_FIELDS:
            line[key] = getattr(obj, key)
        line["owner"] = self.logins.get(obj.owner_id)
        for key in NODE_DATES:
            line[key] = dump_value(None, getattr(obj, key))
        fields = {}
        for key, column in own_columns(type(obj)):
            value = getattr(obj, key)
            fields[key] = self.ref(value) if is_node_ref(column) else dump_value(column, value)
        line["fields"] = fields
        line["terms"] = [{"kind": t.kind, "slug": t.slug, "title": t.label} for t in terms.get(node.id, ())]
        line["attachments"] = [
            {
                "slot": a.slot,
                "position": a.position,
                "title": a.title,
                "filename": a.filename,
                "mime_type": a.mime_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in attachments.get(node.id, ())
        ]
        rows = {}
        for table in row_tables(info):
            rows[table.name] = [
                r
                for r in (self.row(table, row) for row in row_data[table.name].get(node.id, ()))
                if r is not None
            ]
        line["rows"] = rows
        line["history"] = [
            {
                "transition": h.transition,
                "from_state": h.from_state,
                "to_state": h.to_state,
                "actor": self.logins.get(h.actor_id),
                "actor_name": h.actor_name,
                "at": dump_value(None, h.at),
                "comment": h.comment,
            }
            for h in history.get(node.id, ())
        ]
        # Sorted by name, not by the stored "user:<id>": ids differ between databases.
        granted = {(p, r.role) for r in roles.get(node.id, ()) if (p := self.principal(r.principal))}
        line["local_roles"] = [{"principal": p, "role": role} for p, role in sorted(granted)]
        line["blobs"] = sorted(blob_refs(line, set()))
        return line

    def row(self, table, row) -> dict | None:
        out = {}
        for column in table.columns():
            value = getattr(row, column.key)
            if is_node_ref(column):
                path = self.ref(value)
                if path is None and value is not None and not column.nullable:
                    return None  # points to nothing on this site: cannot be rebuilt
                value = path
            else:
                value = dump_value(column, value)
            out[column.key] = value
        return out


def _by_node_table(db, table, owner, ids):
    grouped = defaultdict(list)
    for chunk in _chunks(ids):
        for row in db.scalars(select(table.model).where(owner.in_(chunk)).order_by(*table.order_by())):
            grouped[getattr(row, table.owner)].append(row)
    return grouped


def export(db: Session, types, store: BlobStore, top: Node, target, *, now=None) -> ExportResult:
    """Write the subtree under ``top`` to the archive file ``target``."""
    exporter = Exporter(db, types, store, top)
    writer = Writer(target)
    wanted: set[str] = set()
    count = 0
    try:
        with writer.content() as out:
            for line in exporter.lines():
                wanted.update(line["blobs"])
                out.write(json.dumps(line, ensure_ascii=False, sort_keys=False).encode() + b"\n")
                count += 1
        missing, written = [], 0
        for sha in sorted(wanted):
            if not store.exists(sha):
                missing.append(sha)
                continue
            with store.open(sha) as source:
                writer.add_blob(sha, source)
            written += 1
        site = db.get(Site, top.site_id)
        writer.manifest(
            {
                "site": site.name,
                "site_title": site.title,
                "path": top.path,
                "exported_at": (now or utcnow()).isoformat(),
                "items": count,
                "blobs": written,
            }
        )
    finally:
        writer.close()
    if missing:
        print(
            f"portal: chú ý: thiếu {len(missing)} tệp trong kho (bỏ qua): {', '.join(missing[:3])}",
            file=sys.stderr,
        )
    return ExportResult(items=count, blobs=written, bytes=writer.bytes, missing_blobs=missing)
