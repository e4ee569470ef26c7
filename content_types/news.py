"""News article (tin bài): lead, sanitised body, lead image with caption and credit,
optional video, byline, source, categories and tags, featured flag."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models import Node


class NewsArticle(Node):
    __tablename__ = "news_articles"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    lead: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    byline: Mapped[str] = mapped_column(String(255), default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    source_url: Mapped[str] = mapped_column(String(2048), default="")
    featured: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # The lead image is uploaded with the article: one form for the editor.
    image_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    image_mime_type: Mapped[str] = mapped_column(String(127), default="")
    image_filename: Mapped[str] = mapped_column(String(255), default="")
    image_size: Mapped[int] = mapped_column(BigInteger, default=0)
    image_width: Mapped[int] = mapped_column(Integer, default=0)
    image_height: Mapped[int] = mapped_column(Integer, default=0)
    image_alt: Mapped[str] = mapped_column(String(500), default="")
    image_caption: Mapped[str] = mapped_column(String(1000), default="")
    image_credit: Mapped[str] = mapped_column(String(255), default="")
    # Either an uploaded MP4/WebM or an embed URL from an allow-listed host.
    video_sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    video_mime_type: Mapped[str] = mapped_column(String(127), default="")
    video_filename: Mapped[str] = mapped_column(String(255), default="")
    video_size: Mapped[int] = mapped_column(BigInteger, default=0)
    video_embed_url: Mapped[str] = mapped_column(String(2048), default="")

    __mapper_args__ = {"polymorphic_identity": "news"}


def includeme(config):
    pass  # registration follows with the schema and views
