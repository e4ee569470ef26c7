"""The fields every content type shares; a type's schema subclasses this one."""

from __future__ import annotations

import colander
import deform

from .forms import CSRFSchema, LocalDateTime, NFCString, datetime_widget, slug_validator
from .i18n import _


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

    def validate_more(self, node, appstruct):
        effective, expires = appstruct.get("effective"), appstruct.get("expires")
        if effective and expires and expires <= effective:
            exc = colander.Invalid(node)
            exc["expires"] = _("Ngày hết hạn phải sau ngày bắt đầu hiển thị.")
            raise exc
