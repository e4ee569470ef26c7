"""Legal document (văn bản): number, type, issuer, dates, validity, attachments and
typed relations stored once and shown from both sides."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, Node


class LegalDocument(Node):
    __tablename__ = "legal_documents"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[str] = mapped_column(String(100), default="", index=True)  # "7105/UBND-HCC"
    doc_type: Mapped[str] = mapped_column(String(32), default="", index=True)
    issuer: Mapped[str] = mapped_column(String(255), default="", index=True)
    signer: Mapped[str] = mapped_column(String(255), default="")
    signer_title: Mapped[str] = mapped_column(String(255), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    effective_on: Mapped[dt.date | None] = mapped_column(Date)
    expiry_on: Mapped[dt.date | None] = mapped_column(Date)
    gazette_number: Mapped[str] = mapped_column(String(64), default="")
    gazette_date: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")  # trích yếu
    # Set by an editor to override the status derived from the dates; "" = derived.
    validity: Mapped[str] = mapped_column(String(32), default="")
    validity_reason: Mapped[str] = mapped_column(Text, default="")

    __mapper_args__ = {"polymorphic_identity": "legal_document"}


class DocumentRelation(Base):
    """One typed relation, stored once: source <kind> target ("A sửa đổi, bổ sung B").
    The target's page shows it from the other side ("B được sửa đổi, bổ sung bởi A")."""

    __tablename__ = "document_relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("source_id", "target_id", "kind"),)


def includeme(config):
    pass  # registration follows with the schema and views
