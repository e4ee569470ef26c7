"""Folder (chuyên mục): a section that holds other items."""

from __future__ import annotations

from pyramid.view import view_config
from sqlalchemy import Boolean, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from portal import listing
from portal.i18n import _
from portal.models import Node
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema


class Folder(Node):
    __tablename__ = "folders"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    # The section's latest articles get their own block on the home page (e.g. CCHC).
    show_on_home: Mapped[bool] = mapped_column(Boolean, default=False)

    __mapper_args__ = {"polymorphic_identity": "folder"}


class FolderSchema(BaseContentSchema):
    pass


@view_config(context=Folder, renderer="folder.html", permission=Permissions.View)
def folder_view(context: Folder, request):
    batch = listing.children_batch(request, context, per_page=30)
    return {"context": context, "items": batch.items, "batch": batch}


def includeme(config):
    config.add_content_type(
        Folder,
        title=_("Thư mục"),
        schema=FolderSchema,
        addable_to=("site", "folder"),
        container=True,
    )
    config.scan(__name__)
