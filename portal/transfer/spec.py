"""How a content type's data is read and written by export and import.

A type's own columns (every table of its model below ``nodes``) are found by mapper
introspection, so a new column travels without any code here. Rows kept in other
tables and owned by an item (legal document relations, a procedure's legal basis, a
review list's entries) are declared by the type as ``RowTable``s in its ``transfer=``
hook. Columns pointing at ``nodes.id`` (other than the owner) are written as paths
relative to the export's root, so relations survive new ids.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import JSON, Date, DateTime, inspect

from ..models import Node

SHA256 = re.compile(r"^[0-9a-f]{64}$")


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
    return value


def blob_refs(value, found: set[str]) -> set[str]:
    """Every sha256 a line refers to: keys ``sha256`` or ``*_sha256`` holding 64 hex
    digits, at any depth (columns, JSON tables such as a procedure's templates,
    attachments)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key == "sha256" or key.endswith("_sha256")):
                if SHA256.match(item):
                    found.add(item)
            else:
                blob_refs(item, found)
    elif isinstance(value, list):
        for item in value:
            blob_refs(item, found)
    return found
