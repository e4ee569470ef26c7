"""Administrative procedure (thủ tục hành chính), with the national database's fields."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, Node


class Procedure(Node):
    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), default="", index=True)  # mã thủ tục
    decision_number: Mapped[str] = mapped_column(String(255), default="")
    level: Mapped[str] = mapped_column(String(32), default="", index=True)  # cấp thực hiện
    kind: Mapped[str] = mapped_column(String(255), default="")
    field: Mapped[str] = mapped_column(String(255), default="", index=True)  # lĩnh vực
    steps: Mapped[str] = mapped_column(Text, default="")
    # Tables edited as deform sequences: lists of dicts.
    filing_ways: Mapped[list] = mapped_column(JSON, default=list)
    dossier_components: Mapped[list] = mapped_column(JSON, default=list)
    applicants: Mapped[str] = mapped_column(Text, default="")
    implementing_agency: Mapped[str] = mapped_column(String(500), default="", index=True)
    competent_agency: Mapped[str] = mapped_column(String(500), default="")
    receiving_address: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    online_level: Mapped[str] = mapped_column(String(16), default="khong", index=True)
    online_url: Mapped[str] = mapped_column(String(2048), default="")
    validity: Mapped[str] = mapped_column(String(32), default="con-hieu-luc")
    verified_on: Mapped[dt.date | None] = mapped_column(Date)

    __mapper_args__ = {"polymorphic_identity": "procedure"}


class ProcedureLegalBasis(Base):
    """One row of a procedure's legal basis: a link to a Legal document item where one
    exists, else the number, summary, date and issuer as text."""

    __tablename__ = "procedure_legal_basis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"), index=True)
    number: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(255), default="")


def includeme(config):
    pass  # registration follows with the schema and views
