"""The search outbox: node changes waiting to reach the index.

A row is written in the same transaction as the content change (``search.outbox``),
so a committed change is never lost by the index: rows are applied after commit and
deleted once applied, and whatever a crash left behind is applied at the next start.
``node_id`` has no foreign key: the row of a deleted node must outlive it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, UTCDateTime, utcnow

INDEX = "index"  # (re)index the node
TREE = "tree"  # the node and its subtree: its place or visibility changed
DELETE = "delete"


class SearchOutbox(Base):
    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(16))
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
