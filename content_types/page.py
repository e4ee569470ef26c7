"""Page: a titled rich-text document (giới thiệu, liên hệ, ...)."""

from __future__ import annotations

import colander
import deform
from pyramid.view import view_config
from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.forms import RichText
from portal.i18n import _
from portal.models import Node
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema
from portal.text import html_text


class Page(Node):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")

    __mapper_args__ = {"polymorphic_identity": "page"}


class PageSchema(BaseContentSchema):
    body = colander.SchemaNode(
        RichText(),
        title=_("Nội dung"),
        missing="",
        widget=deform.widget.RichTextWidget(height=360),
    )


@view_config(
    context=Page, renderer="page.html", permission=Permissions.View, anonymous_cache="page", count_view=True
)
def page_view(context: Page, request):
    return {"context": context}


def search_document(obj: Page) -> dict:
    """What full-text search indexes (read by the search package through ``search=``)."""
    return {"title": obj.title, "description": obj.description, "body": html_text(obj.body)}


def includeme(config):
    config.add_content_type(
        Page, title=_("Trang"), schema=PageSchema, addable_to=("site", "folder"), search=search_document
    )
    config.scan(__name__)
