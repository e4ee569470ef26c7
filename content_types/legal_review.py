"""Legal document review (kết quả rà soát, hệ thống hóa) and the lists a review
round publishes (danh mục văn bản hết hiệu lực toàn bộ / một phần, ...)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, Node


class LegalDocumentReview(Node):
    __tablename__ = "legal_document_reviews"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"), index=True)
    review_round: Mapped[str] = mapped_column(String(64), default="", index=True)  # "2025", "Đợt 1/2025"
    basis: Mapped[str] = mapped_column(Text, default="")
    reviewing_body: Mapped[str] = mapped_column(String(255), default="")
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    assessment: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(String(32), default="giu-nguyen", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    responsible_agency: Mapped[str] = mapped_column(String(255), default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)

    __mapper_args__ = {
        "polymorphic_identity": "legal_document_review",
        # document_id also points at nodes: say which key is the inheritance join.
        "inherit_condition": id == Node.id,
    }


class ReviewList(Node):
    """A published list of a review round or year, e.g. "Danh mục văn bản hết hiệu lực
    toàn bộ năm 2025"."""

    __tablename__ = "review_lists"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    review_round: Mapped[str] = mapped_column(String(64), default="", index=True)
    list_kind: Mapped[str] = mapped_column(String(32), default="het-hieu-luc-toan-bo", index=True)
    issuing_decision: Mapped[str] = mapped_column(String(255), default="")

    __mapper_args__ = {"polymorphic_identity": "review_list"}


class ReviewListEntry(Base):
    __tablename__ = "review_list_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A link to the Legal document item where it exists; the text columns are what is shown.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"), index=True)
    number: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    expired_on: Mapped[dt.date | None] = mapped_column(Date)


def includeme(config):
    pass  # registration follows with the schema and views
