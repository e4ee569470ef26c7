"""Feed subscriptions of a folder and the entries imported from them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..models import Base, UTCDateTime, utcnow

# Longer guids are stored as their SHA-256 (see importer.guid_of): the unique index
# must stay within every backend's key size limit.
MAX_GUID = 500


class FeedSubscription(Base):
    """A folder takes the items of an external RSS or Atom feed as news articles."""

    __tablename__ = "feed_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    folder_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    # The feed's own title, read at each pull; shown in lists and as the articles' source.
    title: Mapped[str] = mapped_column(String(500), default="")
    publish_at_once: Mapped[bool] = mapped_column(Boolean, default=False)
    # Validators of the last full answer, sent back for a conditional GET.
    etag: Mapped[str] = mapped_column(String(500), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    last_checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Empty when the last pull worked; otherwise one line for the editor.
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Imported articles are owned by this user, and published only if they may publish.
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportedEntry(Base):
    """One feed entry already imported: the guid de-duplicates, the hash detects changes."""

    __tablename__ = "feed_imported_entries"
    __table_args__ = (UniqueConstraint("subscription_id", "guid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("feed_subscriptions.id", ondelete="CASCADE"), index=True
    )
    guid: Mapped[str] = mapped_column(String(MAX_GUID))
    # Set null when an editor deletes the article: the entry stays known, so the
    # next pull does not bring back what was deliberately removed.
    node_id: Mapped[int | None] = mapped_column(
        ForeignKey("nodes.id", ondelete="SET NULL"), nullable=True, index=True
    )
    content_hash: Mapped[str] = mapped_column(String(64))
    source_url: Mapped[str] = mapped_column(String(2048), default="")
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How many times the source changed the entry after its import.
    updates: Mapped[int] = mapped_column(Integer, default=0)
