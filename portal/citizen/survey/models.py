"""The satisfaction survey's tables: questions per site, responses, one answer per
question of a response.

A response keeps no address and no link to a person: the rate limit (``portal.guard``)
counts submissions in its own table. The dossier code is plain text, not a foreign key:
the dossiers table is built by another change and a code may be typed before the
dossier is imported (or for a dossier of another office)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Base, UTCDateTime, utcnow

RATING = "rating"
TEXT = "text"

# Moderation states of a free-text answer; only APPROVED is ever shown to the public.
PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(16), default=RATING)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Inactive questions leave the form but keep their answers and published results.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyResponse(Base):
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Normalised upper case (``schema.normalise_code``); never shown in public pages.
    dossier_code: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    # No cascade: a question with answers is deactivated, never deleted.
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Set for free-text answers only (PENDING until a moderator decides).
    moderation: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
    moderated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
