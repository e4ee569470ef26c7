"""Link (liên kết): an item of the tree that points to another site's page."""

from __future__ import annotations

import colander
from pyramid.view import view_config
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.forms import NFCString
from portal.i18n import _
from portal.models import Node
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema

ALLOWED_SCHEMES = ("http://", "https://")


class Link(Node):
    __tablename__ = "links"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), default="")

    __mapper_args__ = {"polymorphic_identity": "link"}


def url_validator(node, value):
    if not value.lower().startswith(ALLOWED_SCHEMES) or " " in value or len(value) > 2048:
        raise colander.Invalid(node, _("Địa chỉ phải bắt đầu bằng http:// hoặc https://"))
    host = value.split("://", 1)[1].split("/", 1)[0]
    if not host or "." not in host.strip("."):
        raise colander.Invalid(node, _("Địa chỉ thiếu tên miền."))


class LinkSchema(BaseContentSchema):
    url = colander.SchemaNode(
        NFCString(),
        title=_("Địa chỉ liên kết"),
        description=_("Ví dụ: https://dichvucong.gov.vn"),
        validator=url_validator,
    )


@view_config(context=Link, renderer="link.html", permission=Permissions.View)
def link_view(context: Link, request):
    return {"context": context}


def includeme(config):
    config.add_content_type(Link, title=_("Liên kết"), schema=LinkSchema, addable_to=("site", "folder"))
    config.scan(__name__)
