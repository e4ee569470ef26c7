"""News article (tin bài): lead, sanitised body, lead image with caption and credit,
optional video, byline, source, categories and tags, featured flag."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import colander
import deform
from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.forms import NFCString, RichText, text_node
from portal.i18n import _
from portal.models import Node
from portal.models.terms import CATEGORY, TAG
from portal.schemas import BaseContentSchema
from portal.terms import labels_of, parse_labels, set_terms
from portal.uploads import make_upload_validator, upload_widget
from portal.views.editing import default_apply, default_appstruct

from .image import IMAGE_TYPES, check_image

VIDEO_TYPES = frozenset({"video/mp4", "video/webm"})
DEFAULT_EMBED_HOSTS = (
    "www.youtube.com youtube.com m.youtube.com youtu.be www.youtube-nocookie.com vimeo.com player.vimeo.com"
)


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


# --- video embeds -----------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_VIMEO_ID = re.compile(r"^[0-9]{3,15}$")


def embed_hosts(settings) -> set[str]:
    return set(settings.get("portal.video.embed_hosts", DEFAULT_EMBED_HOSTS).lower().split())


def embed_src(url: str, allowed: set[str]) -> str | None:
    """The player URL for a video page URL from an allowed host, or None.
    YouTube plays from youtube-nocookie.com (no tracking cookies before play)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or host not in allowed:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if host.endswith("youtube.com") or host.endswith("youtube-nocookie.com") or host == "youtu.be":
        if host == "youtu.be":
            video_id = segments[0] if segments else ""
        elif segments[:1] == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif segments[:1] in (["embed"], ["shorts"], ["live"]) and len(segments) > 1:
            video_id = segments[1]
        else:
            video_id = ""
        return f"https://www.youtube-nocookie.com/embed/{video_id}" if _YOUTUBE_ID.match(video_id) else None
    if host.endswith("vimeo.com"):
        video_id = segments[-1] if segments else ""
        return f"https://player.vimeo.com/video/{video_id}" if _VIMEO_ID.match(video_id) else None
    # Another host an administrator allowed: its URL is the player as given.
    return parts.geturl()


def frame_origin(src: str) -> str:
    parts = urlsplit(src)
    return f"{parts.scheme}://{parts.netloc}"


@colander.deferred
def _embed_validator(node, kw):
    allowed = embed_hosts(kw["request"].registry.settings)

    def validate(node, value):
        if len(value) > 2048:
            raise colander.Invalid(node, _("Đường dẫn quá dài."))
        if value and embed_src(value, allowed) is None:
            raise colander.Invalid(
                node,
                _(
                    "Chỉ nhận đường dẫn video https từ các trang được phép: ${hosts}.",
                    mapping={"hosts": ", ".join(sorted(allowed))},
                ),
            )

    return validate


# --- the form ---------------------------------------------------------------------


def _http_url(node, value):
    if value and urlsplit(value).scheme not in ("http", "https"):
        raise colander.Invalid(node, _("Đường dẫn phải bắt đầu bằng http:// hoặc https://"))


@colander.deferred
def _current_image(node, kw):
    obj = kw.get("obj")
    if obj is not None and obj.image_sha256:
        return _("Đang dùng: ${name}. Chọn ảnh khác để thay.", mapping={"name": obj.image_filename})
    return _("JPEG, PNG, GIF hoặc WebP.")


@colander.deferred
def _current_video(node, kw):
    obj = kw.get("obj")
    if obj is not None and obj.video_sha256:
        return _("Đang dùng: ${name}. Chọn tệp khác để thay.", mapping={"name": obj.video_filename})
    return _("Tệp MP4 hoặc WebM.")


class NewsSchema(BaseContentSchema):
    lead = colander.SchemaNode(
        NFCString(),
        title=_("Sapo (tóm tắt)"),
        description=_("Một, hai câu in đậm dưới tiêu đề; cũng hiện trong danh sách tin."),
        missing="",
        validator=colander.Length(max=2000),
        widget=deform.widget.TextAreaWidget(rows=3),
    )
    body = colander.SchemaNode(
        RichText(), title=_("Nội dung"), missing="", widget=deform.widget.RichTextWidget(height=420)
    )
    image_upload = colander.SchemaNode(
        deform.FileData(),
        title=_("Ảnh đại diện"),
        description=_current_image,
        widget=upload_widget,
        validator=make_upload_validator(
            IMAGE_TYPES, check_image, refused=_("Chỉ nhận ảnh JPEG, PNG, GIF hoặc WebP.")
        ),
        missing=colander.null,
    )
    image_remove = colander.SchemaNode(
        colander.Boolean(), title=_("Bỏ ảnh đại diện"), missing=False, widget=deform.widget.CheckboxWidget()
    )
    image_alt = text_node(_("Mô tả ảnh cho người khiếm thị"), 500)
    image_caption = text_node(_("Chú thích ảnh"), 1000)
    image_credit = text_node(_("Nguồn ảnh"), 255, description=_("Hiển thị là “Ảnh: …”"))
    video_upload = colander.SchemaNode(
        deform.FileData(),
        title=_("Video tải lên"),
        description=_current_video,
        widget=upload_widget,
        validator=make_upload_validator(VIDEO_TYPES, refused=_("Chỉ nhận video MP4 hoặc WebM.")),
        missing=colander.null,
    )
    video_remove = colander.SchemaNode(
        colander.Boolean(), title=_("Bỏ video tải lên"), missing=False, widget=deform.widget.CheckboxWidget()
    )
    video_embed_url = text_node(
        _("Hoặc đường dẫn video (YouTube, Vimeo)"),
        2048,
        validator=_embed_validator,
    )
    byline = text_node(_("Tác giả"), 255)
    source = text_node(_("Nguồn tin"), 500)
    source_url = colander.SchemaNode(
        NFCString(),
        title=_("Đường dẫn nguồn tin"),
        missing="",
        validator=colander.All(colander.Length(max=2048), _http_url),
    )
    categories = text_node(_("Danh mục"), 2000, description=_("Cách nhau bằng dấu phẩy."))
    tags = text_node(_("Từ khóa (tag)"), 2000, description=_("Cách nhau bằng dấu phẩy."))
    featured = colander.SchemaNode(
        colander.Boolean(), title=_("Tin nổi bật"), missing=False, widget=deform.widget.CheckboxWidget()
    )


# The order editors fill the form in; the publishing fields come last.
FIELD_ORDER = (
    "title", "lead", "body", "image_upload", "image_remove", "image_alt", "image_caption",
    "image_credit", "video_upload", "video_remove", "video_embed_url", "byline", "source",
    "source_url", "categories", "tags", "featured", "name", "effective", "expires", "exclude_from_nav",
    "language",
)  # fmt: skip


def news_schema():
    schema = NewsSchema()
    # The lead is the article's summary: listings read it from ``description``.
    del schema["description"]
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    schema.children.sort(key=lambda c: rank.get(c.name, len(rank)))
    return schema


NOT_COPIED = {"image_upload", "image_remove", "video_upload", "video_remove", "categories", "tags"}


def apply(obj: NewsArticle, appstruct: dict) -> None:
    default_apply(obj, {k: v for k, v in appstruct.items() if k not in NOT_COPIED})
    obj.description = " ".join((obj.lead or "").split())[:2000]
    image = appstruct.get("image_upload")
    if image:
        obj.image_sha256, obj.image_mime_type = image["sha256"], image["sniffed"]
        obj.image_filename, obj.image_size = image["filename"], image["size"]
        obj.image_width, obj.image_height = image["width"], image["height"]
    elif appstruct.get("image_remove"):
        obj.image_sha256 = obj.image_mime_type = obj.image_filename = ""
        obj.image_size = obj.image_width = obj.image_height = 0
    video = appstruct.get("video_upload")
    if video:
        obj.video_sha256, obj.video_mime_type = video["sha256"], video["sniffed"]
        obj.video_filename, obj.video_size = video["filename"], video["size"]
    elif appstruct.get("video_remove"):
        obj.video_sha256 = obj.video_mime_type = obj.video_filename = ""
        obj.video_size = 0
    set_terms(obj, CATEGORY, parse_labels(appstruct.get("categories") or ""))
    set_terms(obj, TAG, parse_labels(appstruct.get("tags") or ""))


def to_appstruct(obj: NewsArticle, schema) -> dict:
    data = default_appstruct(obj, schema)
    for key in ("image_upload", "video_upload", "image_remove", "video_remove"):
        data[key] = colander.null
    data["categories"] = ", ".join(labels_of(obj, CATEGORY))
    data["tags"] = ", ".join(labels_of(obj, TAG))
    return data


def includeme(config):
    config.add_content_type(
        NewsArticle,
        title=_("Tin bài"),
        schema=news_schema,
        addable_to=("site", "folder"),
        apply=apply,
        to_appstruct=to_appstruct,
        demo=_demo,
        listing_details=_listing_details,
        search=search_document,
        feed=_feed_fields,
        feedback=True,  # readers' feedback under the article (portal/citizen/feedback)
    )
    config.scan(".news_views")


def search_document(obj: NewsArticle) -> dict:
    """What full-text search indexes: lead and body as plain text; field and year as facets."""
    from portal.models.terms import CATEGORY, FIELD
    from portal.text import html_text

    when = obj.effective or obj.created
    return {
        "title": obj.title,
        "description": " ".join(t for t in (obj.description, html_text(obj.lead)) if t),
        "body": " ".join([html_text(obj.body), *labels_of(obj, CATEGORY), obj.image_caption or ""]).strip(),
        "field": ", ".join(labels_of(obj, FIELD)),
        "agency": obj.source or "",
        "year": when.year if when else None,
    }


def _feed_fields(request, ids):
    from .news_views import feed_fields

    return feed_fields(request, ids)


def _listing_details(request, ids):
    from .news_views import listing_details

    return listing_details(request, ids)


def _demo(db, types, root, owner):
    from .demo_news import load

    return load(db, types, root, owner)
