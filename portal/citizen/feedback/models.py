"""Readers' feedback under items (articles), held for moderation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, UTCDateTime, utcnow

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUSES = (PENDING, APPROVED, REJECTED)

MAX_NAME = 200
MAX_EMAIL = 254  # RFC 5321's longest usable address
MAX_CONTENT = 2000


class Feedback(Base):
    """One reader's feedback on one item. The e-mail is for staff only: it never leaves
    the moderation queue (nor is it in any public page, feed, search or API answer)."""

    __tablename__ = "feedback"
    # The article page reads its approved feedback, the queue filters by status.
    __table_args__ = (Index("ix_feedback_node_id_status", "node_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deleting the item deletes its feedback, in the database (tree.delete relies on it).
    node_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    email: Mapped[str] = mapped_column(String(MAX_EMAIL), default="")
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    moderated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    moderated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
