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


def includeme(config):
    config.add_content_type(Page, title=_("Trang"), schema=PageSchema, addable_to=("site", "folder"))
    config.scan(__name__)
