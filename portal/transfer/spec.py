"""How a content type's data is read and written by export and import.

A type's own columns (every table of its model below ``nodes``) are found by mapper
introspection, so a new column travels without any code here. Rows kept in other
tables and owned by an item (legal document relations, a procedure's legal basis, a
review list's entries) are declared by the type as ``RowTable``s in its ``transfer=``
hook. Columns pointing at ``nodes.id`` (other than the owner) are written as paths
relative to the export's root, so relations survive new ids; those pointing outside
the exported subtree as ``{"site_path": "/van-ban/x/"}``, resolved on the target site.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import JSON, BigInteger, Date, DateTime, Integer, SmallInteger, String, inspect

from ..models import Node

SHA256 = re.compile(r"^[0-9a-f]{64}\Z")
SITE_PATH = "site_path"
# Integer columns hold what the database's type holds (PostgreSQL refuses the rest).
INT_RANGES = ((SmallInteger, 16), (BigInteger, 64), (Integer, 32))


@dataclass(frozen=True)
class RowTable:
    """Rows of ``model`` owned by an item through the column ``owner`` (a foreign key to
    ``nodes.id``). Every other column is exported except the primary key ``id``."""

    model: type
    owner: str

    @property
    def name(self) -> str:
        return self.model.__tablename__

    def columns(self):
        return [c for c in self.model.__table__.columns if c.name not in ("id", self.owner)]

    def order_by(self):
        table = self.model.__table__
        keys = [table.c.position] if "position" in table.c else []
        return [*keys, table.c.id] if "id" in table.c else keys


def row_tables(info) -> tuple[RowTable, ...]:
    return tuple(info.extra.get("transfer") or ()) if info is not None else ()


def is_node_ref(column) -> bool:
    return any(fk.column.table.name == "nodes" and fk.column.name == "id" for fk in column.foreign_keys)


def own_columns(model) -> list[tuple[str, object]]:
    """(attribute key, column) of the model's own tables, the primary keys joined to
    ``nodes`` left out; in a stable order (table after table, as declared)."""
    mapper = inspect(model)
    node_table = Node.__table__
    out = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if column.table is node_table or getattr(column, "table", None) is None:
            continue
        if column.primary_key:
            continue  # the inheritance key: the node's id
        out.append((attr.key, column))
    return out


def dump_value(column, value):
    """A column value as JSON: dates ISO 8601 (datetimes with their offset)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_value(column, value):
    """The reverse of ``dump_value``; raises ValueError on what cannot be read."""
    if value is None:
        if not column.nullable:
            raise ValueError(f"{column.name}: không được để trống")
        return None
    kind = column.type
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
        when = dt.datetime.fromisoformat(value)
        if when.tzinfo is None:
            raise ValueError(f"{column.name}: ngày giờ thiếu múi giờ")
        try:
            when.astimezone(dt.UTC)  # what the database stores: "0001-01-01T00:00+14:00" is not
        except OverflowError:
            raise ValueError(f"{column.name}: ngày giờ ngoài khoảng: {value}") from None
        return when
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    try:
        wanted = kind.python_type
    except NotImplementedError:
        return value
    # A wrong type would fail only at the flush, as a database error (or, on SQLite,
    # not at all): refuse it here, with the column's name.
    if wanted is bool:
        ok = isinstance(value, bool)
    elif wanted is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, wanted)
    if not ok:
        raise ValueError(f"{column.name}: cần kiểu {wanted.__name__}, có {type(value).__name__}")
    if wanted is int:
        impl = getattr(kind, "impl", kind)
        bits = next((b for t, b in INT_RANGES if isinstance(impl, t)), 64)
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise ValueError(f"{column.name}: số {value} vượt giới hạn của cột")
    if wanted is str:
        impl = getattr(kind, "impl", kind)
        length = getattr(impl, "length", None) if isinstance(impl, String) else None
        if length is not None and len(value) > length:
            raise ValueError(f"{column.name}: dài quá {length} ký tự")
    return value


def dump_ref(path_of: dict, site_paths: dict, node_id):
    """A reference to a node: its path relative to the export's root when it is in the
    export, ``{"site_path": ...}`` when it is elsewhere on the site, else None."""
    if node_id is None:
        return None
    if node_id in path_of:
        return path_of[node_id]
    site_path = site_paths.get(node_id)
    return {SITE_PATH: site_path} if site_path is not None else None


def check_ref(key: str, value):
    """A reference as read from a line: a relative path, ``{"site_path": "/a/b/"}`` or
    null; raises ValueError otherwise."""
    if value is None or isinstance(value, str):
        return value
    if (
        isinstance(value, dict)
        and set(value) == {SITE_PATH}
        and isinstance(value[SITE_PATH], str)
        and value[SITE_PATH].startswith("/")
        and value[SITE_PATH].endswith("/")
        and len(value[SITE_PATH]) <= 2000
    ):
        return value
    raise ValueError(f'{key}: cần một đường dẫn, {{"site_path": "/…/"}} hoặc null')


def blob_refs(value, found: set[str], strict: bool = False) -> set[str]:
    """Every sha256 a line refers to: keys ``sha256`` or ``*_sha256`` holding 64 hex
    digits, at any depth (columns, JSON tables such as a procedure's templates,
    attachments). ``strict`` (import): such a key holding anything else than 64
    lowercase hex digits, null or "" raises ValueError."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and (key == "sha256" or key.endswith("_sha256")):
                if isinstance(item, str) and SHA256.match(item):
                    found.add(item)
                elif strict and item not in (None, ""):
                    raise ValueError(f"{key}: mã sha256 không hợp lệ: {str(item)[:80]!r}")
                elif not strict and not isinstance(item, str):
                    blob_refs(item, found, strict)
            else:
                blob_refs(item, found, strict)
    elif isinstance(value, list):
        for item in value:
            blob_refs(item, found, strict)
    return found
