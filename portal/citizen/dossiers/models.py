"""Dossiers received by the one-stop office, as its system exports them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, UTCDateTime, utcnow


class Dossier(Base):
    """One dossier (hồ sơ) of a site. The one-stop system is the source: rows are
    replaced by each import or push, keyed by ``code``. The applicant's address is
    never stored; the name is stored whole (a re-import must not lose it) but only
    ever shown masked. The receipt's secret is kept only as a keyed hash."""

    __tablename__ = "dossiers"
    __table_args__ = (UniqueConstraint("site_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))  # upper case (rules.normalize_code)
    secret_hash: Mapped[str] = mapped_column(String(64))  # rules.secret_hash, hex
    procedure_title: Mapped[str] = mapped_column(String(500))
    # The procedure page when the export's code or title matched one at import time.
    procedure_id: Mapped[int | None] = mapped_column(
        ForeignKey("nodes.id", ondelete="SET NULL"), nullable=True, index=True
    )
    applicant_name: Mapped[str] = mapped_column(String(255), default="")
    received_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(32), index=True)  # a key of rules.STATUSES
    status_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    returned_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # result given or refusal
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class DossierEvent(Base):
    """A status a dossier reached, as the imports saw it: the short timeline on the
    result page. One row when a dossier first arrives and one each time an import or
    push changes its status; no personal data."""

    __tablename__ = "dossier_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    status_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
