"""Petitions (phản ánh, kiến nghị): what a citizen sent, its files, and every change
staff made to it.

The citizen's personal data (name, address, phone, e-mail) lives only in ``petitions``
and is shown only on staff pages; a published answer is a separate node written by
staff (content type ``question_answer``), so nothing here reaches public pages.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, and_, not_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.i18n import _
from portal.models import Base, UTCDateTime, utcnow
from portal.text import TZ

RECEIVED, PROCESSING, ANSWERED, REJECTED = "received", "processing", "answered", "rejected"
STATUSES = {
    RECEIVED: _("Đã tiếp nhận"),
    PROCESSING: _("Đang xử lý"),
    ANSWERED: _("Đã trả lời"),
    REJECTED: _("Không thụ lý"),
}
# A petition in one of these is finished: it can no longer be overdue.
CLOSED = (ANSWERED, REJECTED)

# No 0/O/1/I: a code read over the phone or copied by hand stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_PREFIX = "PA-"
CODE_LENGTH = 10  # 32**10 ≈ 10**15 codes: not guessable within any rate limit


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a citizen typed as their code: case, spaces and a missing prefix forgiven."""
    # Only what a code can hold: anything else (NUL, which PostgreSQL refuses, or
    # letters a code never has) cannot match and must not reach the query.
    code = "".join(ch for ch in str(text or "").upper() if ch.isascii() and (ch.isalnum() or ch == "-"))[:40]
    if code.startswith(CODE_PREFIX):
        return code
    # "PA" without its hyphen, or only the random part (which may itself start with PA).
    if len(code) == CODE_LENGTH + 2 and code.startswith("PA"):
        code = code[2:]
    return CODE_PREFIX + code


def today() -> dt.date:
    """Due dates are calendar dates in Vietnam."""
    return dt.datetime.now(TZ).date()


class Petition(Base):
    __tablename__ = "petitions"
    __table_args__ = (Index("ix_petitions_site_status_due", "site_id", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    # The citizen: staff pages only.
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text, default="")
    # The procedure or legal document concerned; its title is kept, so the petition
    # still says what it was about after the node is deleted.
    related_id: Mapped[int | None] = mapped_column(
        ForeignKey("nodes.id", ondelete="SET NULL"), nullable=True, index=True
    )
    related_title: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED)
    field: Mapped[str] = mapped_column(String(200), default="")  # lĩnh vực
    department: Mapped[str] = mapped_column(String(200), default="", index=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_on: Mapped[dt.date] = mapped_column(Date)
    answer: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answer_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("nodes.id", ondelete="SET NULL"), nullable=True
    )
    # The published question-and-answer made from it, if any.
    published_id: Mapped[int | None] = mapped_column(
        ForeignKey("nodes.id", ondelete="SET NULL"), nullable=True
    )
    modified: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    attachments: Mapped[list[PetitionAttachment]] = relationship(
        "PetitionAttachment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PetitionAttachment.position",
        lazy="select",
    )

    @property
    def overdue(self) -> bool:
        return is_overdue(self.status, self.due_on)

    @property
    def status_title(self):
        return STATUSES.get(self.status, STATUSES[RECEIVED])


def is_overdue(status: str, due_on: dt.date | None, on: dt.date | None = None) -> bool:
    return status not in CLOSED and due_on is not None and due_on < (on or today())


def overdue_clause(on: dt.date | None = None):
    """``is_overdue`` in SQL, for the staff list's filter."""
    return and_(not_(Petition.status.in_(CLOSED)), Petition.due_on < (on or today()))


class PetitionAttachment(Base):
    """A file the citizen sent (a blob); downloadable by staff only."""

    __tablename__ = "petition_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str] = mapped_column(String(127), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")


class PetitionEvent(Base):
    """One change by staff (or the submission itself): who, when, what."""

    __tablename__ = "petition_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(255), default="")
    # What changed, in words for the history table ("Trạng thái: Đã tiếp nhận → Đang xử lý").
    detail: Mapped[str] = mapped_column(Text, default="")
