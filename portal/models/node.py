"""The content tree: every item is a Node; each type adds a joined table.

A node stores its materialised ``path`` ("/", "/tin-tuc/", "/tin-tuc/bai-viet/")
so that a whole URL resolves in one query and a subtree is a prefix match.
Subtype tables are loaded only when a subtype attribute is read: listings query
``Node`` columns and never join every subtype table.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .terms import Attachment, Term


class Node(Base):
    __tablename__ = "nodes"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        UniqueConstraint("site_id", "path"),
        Index("ix_nodes_parent_position", "parent_id", "position"),
        Index("ix_nodes_state_effective", "state", "effective"),
        Index("ix_nodes_site_public", "site_id", "public", "public_from"),
        # Subtree queries are prefix matches (path LIKE '/a/b/%'): PostgreSQL uses an
        # index for them only with the pattern operator class.
        Index("ix_nodes_path_prefix", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), nullable=True)
    name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(2048))
    type: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(32), default="private")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    effective: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    language: Mapped[str] = mapped_column(String(16), default="vi")
    position: Mapped[int] = mapped_column(Integer, default=0)
    exclude_from_nav: Mapped[bool] = mapped_column(Boolean, default=False)

    # Visibility of the whole lineage, kept by portal.visibility after every flush:
    # published here and in every ancestor, and the intersection of their
    # effective..expires windows. One row then answers "may anonymous see it?"
    # for queries across the tree (search, feeds, sitemap, API).
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    public_from: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    public_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # Loaded only when a view reads them (never by the traverser or listings).
    terms: Mapped[list[Term]] = relationship(
        "Term", cascade="all, delete-orphan", passive_deletes=True, lazy="select"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        "Attachment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="select",
        order_by="Attachment.position",
    )

    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "node"}

    # Pyramid's location protocol. ``__parent__`` is filled in by whoever loads
    # the node (the traverser sets it for the lineage it resolved).
    __parent__: Node | None = None

    @property
    def __name__(self) -> str:  # noqa: PLW3201 - Pyramid's location protocol
        return "" if self.parent_id is None else self.name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.path!r}>"


class SiteRoot(Node):
    """The root of a site's tree. It lives in ``nodes`` alone (single-table)."""

    __mapper_args__ = {"polymorphic_identity": "site"}


class ViewCount(Base):
    """Views of an item, written in batches by portal.counters (never in a page request)."""

    __tablename__ = "view_counts"

    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class LocalRole(Base):
    """A role held by a principal ("user:<id>" or "group:<id>") on a node and below."""

    __tablename__ = "local_roles"

    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    principal: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(64), primary_key=True)


class WorkflowHistory(Base):
    __tablename__ = "workflow_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    # Kept as text so the record survives the user's deletion.
    actor_name: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    transition: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
