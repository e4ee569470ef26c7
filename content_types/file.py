"""File (tệp): a document to download (PDF, Word, Excel, ...), stored content-addressed."""

from __future__ import annotations

import colander
import deform
from pyramid.view import view_config
from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.downloads import INLINE_TYPES, blob_response
from portal.i18n import _
from portal.models import Node
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema
from portal.uploads import upload_validator, upload_widget
from portal.views.editing import default_apply


class File(Node):
    __tablename__ = "files"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str] = mapped_column(String(127), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)

    __mapper_args__ = {"polymorphic_identity": "file"}


@colander.deferred
def upload_missing(node, kw):
    # Editing may keep the file it has; adding needs one.
    return colander.null if kw.get("mode") == "edit" else colander.required


class FileSchema(BaseContentSchema):
    upload = colander.SchemaNode(
        deform.FileData(),
        title=_("Tệp"),
        widget=upload_widget,
        validator=upload_validator,
        missing=upload_missing,
    )


def apply(obj: File, appstruct: dict) -> None:
    default_apply(obj, {k: v for k, v in appstruct.items() if k != "upload"})
    upload = appstruct.get("upload")
    if upload:
        obj.filename = upload["filename"]
        obj.mime_type = upload["sniffed"]
        obj.size = upload["size"]
        obj.sha256 = upload["sha256"]


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}".replace(".", ",")
        size /= 1024
    return ""


@view_config(context=File, renderer="file.html", permission=Permissions.View)
def file_view(context: File, request):
    return {
        "context": context,
        "size": human_size(context.size),
        "inline": context.mime_type in INLINE_TYPES,
    }


@view_config(context=File, name="download", permission=Permissions.View)
def download(context: File, request):
    return blob_response(
        request,
        context.sha256,
        context.mime_type,
        context.filename,
        inline=request.params.get("inline") == "1",
        modified=context.modified,
    )


def search_document(obj: File) -> dict:
    """Title, description and file name (the file's own text is not extracted yet)."""
    return {
        "title": obj.title,
        "description": obj.description,
        "body": obj.filename,
        "year": obj.created.year if obj.created else None,
    }


def includeme(config):
    config.add_content_type(
        File,
        title=_("Tệp"),
        schema=FileSchema,
        addable_to=("site", "folder"),
        apply=apply,
        search=search_document,
    )
    config.scan(__name__)
