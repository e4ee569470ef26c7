"""Folder (chuyên mục): a section that holds other items."""

from __future__ import annotations

from collections import defaultdict

import colander
import deform
from pyramid.view import view_config
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal import listing
from portal.i18n import _
from portal.models import Node
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema

# What a folder contributes to the home page (and, for links, to article pages).
HOME_BLOCKS = {
    "": _("Không"),
    "news": _("Khối tin mới nhất của chuyên mục"),
    "links": _("Khối “Liên kết website” (các liên kết trong thư mục)"),
}


class Folder(Node):
    __tablename__ = "folders"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    home_block: Mapped[str] = mapped_column(String(16), default="")
    # The folder's feeds carry whole articles, not only their summaries.
    full_content: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    __mapper_args__ = {"polymorphic_identity": "folder"}


class FolderSchema(BaseContentSchema):
    home_block = colander.SchemaNode(
        colander.String(),
        title=_("Hiển thị trên trang chủ"),
        missing="",
        widget=deform.widget.SelectWidget(values=list(HOME_BLOCKS.items())),
        validator=colander.OneOf(list(HOME_BLOCKS)),
    )
    full_content = colander.SchemaNode(
        colander.Boolean(),
        title=_("Nguồn tin đầy đủ"),
        description=_("Tin RSS, Atom và JSON của thư mục mang toàn văn bài viết, không chỉ phần tóm tắt."),
        missing=False,
        widget=deform.widget.CheckboxWidget(),
    )


def listing_details(request, rows) -> dict[int, dict]:
    """What each type adds to its rows in a listing (a news article's thumbnail, ...):
    one query per type present, declared with ``listing_details=`` on the type."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_type[row.type].append(row.id)
    details: dict[int, dict] = {}
    for type_name, ids in by_type.items():
        info = request.content_types.get(type_name)
        load = info.extra.get("listing_details") if info else None
        if load is not None:
            details.update(load(request, ids))
    return details


@view_config(context=Folder, renderer="folder.html", permission=Permissions.View, anonymous_cache="folder")
def folder_view(context: Folder, request):
    batch = listing.children_batch(request, context, per_page=30)
    return {
        "context": context,
        "items": batch.items,
        "batch": batch,
        "details": listing_details(request, batch.items),
    }


def feed_options(folder: Folder) -> dict:
    """A folder has its own feeds (<folder>/rss.xml ...); read when one is built."""
    return {"full_content": bool(folder.full_content)}


def includeme(config):
    config.add_content_type(
        Folder,
        title=_("Thư mục"),
        schema=FolderSchema,
        addable_to=("site", "folder"),
        container=True,
        feed_container=feed_options,
    )
    config.scan(__name__)
