"""The fields every content type shares; a type's schema subclasses this one."""

from __future__ import annotations

import colander
import deform

from .forms import CSRFSchema, LocalDateTime, NFCString, datetime_widget, select_node, slug_validator
from .i18n import _

# The languages an item may be written in; an item in English shows the site's
# labels in English too (portal.i18n.negotiate_locale).
LANGUAGES = {"vi": _("Tiếng Việt"), "en": _("Tiếng Anh")}


@colander.deferred
def default_language(node, kw):
    """A new item is written in its folder's language."""
    language = getattr(kw.get("context"), "language", None)
    return language if kw.get("mode") == "add" and language in LANGUAGES else "vi"


class BaseContentSchema(CSRFSchema):
    title = colander.SchemaNode(NFCString(), title=_("Tiêu đề"), validator=colander.Length(min=1, max=500))
    description = colander.SchemaNode(
        NFCString(),
        title=_("Mô tả ngắn"),
        missing="",
        validator=colander.Length(max=2000),
        widget=deform.widget.TextAreaWidget(rows=3),
    )
    name = colander.SchemaNode(
        NFCString(),
        title=_("Tên đường dẫn (URL)"),
        description=_("Để trống để tạo tự động từ tiêu đề."),
        missing=None,
        validator=slug_validator,
    )
    effective = colander.SchemaNode(
        LocalDateTime(),
        title=_("Ngày bắt đầu hiển thị"),
        description=_("Để trống: hiển thị ngay khi xuất bản."),
        missing=None,
        widget=datetime_widget(),
    )
    expires = colander.SchemaNode(
        LocalDateTime(),
        title=_("Ngày hết hạn hiển thị"),
        missing=None,
        widget=datetime_widget(),
    )
    exclude_from_nav = colander.SchemaNode(
        colander.Boolean(),
        title=_("Ẩn khỏi thanh điều hướng"),
        missing=False,
        widget=deform.widget.CheckboxWidget(),
    )
    language = select_node(
        _("Ngôn ngữ"),
        LANGUAGES,
        default=default_language,
        missing="vi",
        description=_("Trang viết bằng tiếng Anh hiển thị giao diện bằng tiếng Anh."),
    )

    def validate_more(self, node, appstruct):
        effective, expires = appstruct.get("effective"), appstruct.get("expires")
        if effective and expires and expires <= effective:
            exc = colander.Invalid(node)
            exc["expires"] = _("Ngày hết hạn phải sau ngày bắt đầu hiển thị.")
            raise exc
