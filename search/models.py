"""The search outbox: node changes waiting to reach the index.

A row is written in the same transaction as the content change (``search.outbox``),
so a committed change is never lost by the index: rows are applied after commit, and
whatever a crash left behind is applied at the next start. Each index keeps its own
position in the outbox (``SearchCursor``); rows are pruned once every index seen
recently has passed them. ``node_id`` has no foreign key: the row of a deleted node
must outlive it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
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


class SearchCursor(Base):
    """One index's position in the outbox (``search.outbox``): every row with an id up
    to ``last_id`` is in that index. ``seen_at``: when that index last applied; cursors
    not seen for ``portal.search.cursor_max_age_days`` no longer hold pruning back. The
    row named ``__pruned__`` records the highest id pruned: an index whose cursor is
    below it missed rows and is rebuilt from the database."""

    __tablename__ = "search_cursors"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchSynonym(Base):
    """One group of words that mean the same for search, e.g. "UBND | Ủy ban nhân dân",
    edited by site administrators (``/quan-tri/tu-dong-nghia``) and applied at query time
    (``search.synonyms``), so a change needs no reindex."""

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The variants as typed (NFC), separated by " | ".
    terms: Mapped[str] = mapped_column(String(1000))


class SearchZeroResult(Base):
    """A query (folded) that found nothing, for editors: what visitors look for and the
    site does not say (or says in other words). Written in batches (``search.zero``)."""

    __tablename__ = "search_zero_results"
    __table_args__ = (UniqueConstraint("site_id", "query"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    query: Mapped[str] = mapped_column(String(256))
    count: Mapped[int] = mapped_column(BigInteger, default=0)
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
