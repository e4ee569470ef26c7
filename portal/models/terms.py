"""Vocabulary terms and attached files: small tables any content type may use.

``Term`` rows tag a node with categories, tags and fields (lĩnh vực); related
items, per-term listings and feeds are one indexed query on (kind, slug).
``Attachment`` rows are files owned by a node (a legal document's PDF, a
procedure's form templates); they are visible exactly when their node is, so
no separate publishing step is needed for them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .meta import Base

# Term kinds.
CATEGORY = "category"
TAG = "tag"
FIELD = "field"


class Term(Base):
    __tablename__ = "terms"

    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    label: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (Index("ix_terms_kind_slug", "kind", "slug"),)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    # What the file is for on its node ("attachment", "template", ...).
    slot: Mapped[str] = mapped_column(String(32), default="attachment")
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500), default="")
    filename: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str] = mapped_column(String(127), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
