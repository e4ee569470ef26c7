"""Sites: one install can serve several sites, each found by its host name."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .meta import Base


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short machine name; "default" answers every host that no other site claims.
    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    # Bumped by every content change (portal.events); keys caches of rendered parts.
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SiteHost(Base):
    __tablename__ = "site_hosts"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
