"""Image (ảnh): a picture with alternative text, caption and credit ("Ảnh: ..."),
served in several widths through srcset."""

from __future__ import annotations

import colander
import deform
from pyramid.view import view_config
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.blobs import store_for
from portal.forms import NFCString
from portal.i18n import _
from portal.images import WIDTHS, BadImage, inspect_image, rendition_response, srcset_for
from portal.permissions import Permissions
from portal.uploads import make_upload_validator, upload_widget

from .file import File, FileSchema, human_size, upload_missing
from .file import apply as file_apply

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


class Image(File):
    __tablename__ = "images"

    id: Mapped[int] = mapped_column(ForeignKey("files.id", ondelete="CASCADE"), primary_key=True)
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    alt: Mapped[str] = mapped_column(String(500), default="")
    caption: Mapped[str] = mapped_column(String(1000), default="")
    credit: Mapped[str] = mapped_column(String(255), default="")

    __mapper_args__ = {"polymorphic_identity": "image"}


def check_image(request, node, value):
    store = store_for(request.registry.settings)
    with store.open(value["sha256"]) as fp:
        try:
            value["width"], value["height"] = inspect_image(fp)
        except BadImage:
            raise colander.Invalid(node, _("Ảnh bị hỏng hoặc quá lớn, không đọc được.")) from None


class ImageSchema(FileSchema):
    upload = colander.SchemaNode(
        deform.FileData(),
        title=_("Ảnh"),
        widget=upload_widget,
        validator=make_upload_validator(
            IMAGE_TYPES, check_image, refused=_("Chỉ nhận ảnh JPEG, PNG, GIF hoặc WebP.")
        ),
        missing=upload_missing,
    )
    alt = colander.SchemaNode(
        NFCString(),
        title=_("Mô tả ảnh cho người khiếm thị"),
        description=_("Để trống thì dùng tiêu đề."),
        missing="",
        validator=colander.Length(max=500),
    )
    caption = colander.SchemaNode(
        NFCString(), title=_("Chú thích"), missing="", validator=colander.Length(max=1000)
    )
    credit = colander.SchemaNode(
        NFCString(),
        title=_("Nguồn ảnh"),
        description=_("Hiển thị là “Ảnh: …”"),
        missing="",
        validator=colander.Length(max=255),
    )


def apply(obj: Image, appstruct: dict) -> None:
    file_apply(obj, appstruct)
    upload = appstruct.get("upload")
    if upload:
        obj.width, obj.height = upload["width"], upload["height"]


def srcset(request, image: Image) -> str:
    original = request.resource_url(image, "@@download", query={"inline": "1"})
    return srcset_for(request.resource_url(image, "@@rendition", ""), image.width, original)


@view_config(context=Image, renderer="image.html", permission=Permissions.View)
def image_view(context: Image, request):
    return {
        "context": context,
        "srcset": srcset(request, context),
        "src": request.resource_url(context, "@@rendition", str(WIDTHS[1])),
        "size": human_size(context.size),
    }


@view_config(context=Image, name="rendition", permission=Permissions.View)
def rendition_view(context: Image, request):
    return rendition_response(request, context.sha256, context.mime_type, request.subpath)


def includeme(config):
    config.add_content_type(
        Image,
        title=_("Ảnh"),
        schema=ImageSchema,
        addable_to=("site", "folder"),
        apply=apply,
    )
    config.scan(__name__)
