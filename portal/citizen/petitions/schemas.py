"""The petition forms: the citizen's (public) and the staff's handling form."""

from __future__ import annotations

import re

import colander
import deform

from portal.forms import CSRFSchema, NFCString, RichText, date_node, select_node, text_node
from portal.guard import PublicFormSchema
from portal.i18n import _
from portal.uploads import make_upload_validator, upload_widget

from .choices import LEGAL_DOCUMENT, PROCEDURE, node_select
from .models import ANSWERED, STATUSES
from .settings import attachment_max_bytes, departments

MAX_CONTENT = 5000
MAX_FILES = 3
ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }
)
ATTACHMENT_REFUSED = _("Chỉ nhận tệp PDF, ảnh (JPG, PNG, GIF, WebP), Word (DOC, DOCX) hoặc ODT.")

# Loose on purpose: people write numbers as "0251 3 800 100", "+84.251.3800100".
_PHONE = re.compile(r"^[0-9 +.\-]+$")


def phone_validator(node, value):
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.match(value) or not 8 <= digits <= 15:
        raise colander.Invalid(
            node, _("Số điện thoại chỉ gồm chữ số, khoảng trắng và các dấu + . - (8 đến 15 chữ số).")
        )


def _file_size_check(request, node, value):
    limit = attachment_max_bytes(request.registry.settings)
    if value["size"] > limit:
        raise colander.Invalid(
            node, _("Tệp quá lớn: tối đa ${mb} MB mỗi tệp.", mapping={"mb": round(limit / 1024 / 1024, 1)})
        )


def _attachment(number: int):
    return colander.SchemaNode(
        deform.FileData(),
        title=_("Tệp đính kèm ${n}", mapping={"n": number}),
        widget=upload_widget,
        validator=make_upload_validator(ATTACHMENT_TYPES, extra=_file_size_check, refused=ATTACHMENT_REFUSED),
        missing=colander.null,
    )


def _required_text(title, max_length, **kw):
    return colander.SchemaNode(NFCString(), title=title, validator=colander.Length(max=max_length), **kw)


class PetitionSchema(PublicFormSchema):
    name = _required_text(_("Họ và tên"), 200)
    address = text_node(_("Địa chỉ"), 500)
    phone = text_node(_("Điện thoại"), 30, validator=colander.All(colander.Length(max=30), phone_validator))
    email = colander.SchemaNode(
        NFCString(),
        title=_("Thư điện tử"),
        missing="",
        validator=colander.All(
            colander.Length(max=254), colander.Email(msg=_("Địa chỉ thư điện tử không hợp lệ."))
        ),
    )
    subject = _required_text(_("Tiêu đề"), 500)
    content = _required_text(
        _("Nội dung phản ánh, kiến nghị"),
        MAX_CONTENT,
        description=_("Tối đa 5.000 ký tự."),
        widget=deform.widget.TextAreaWidget(rows=10),
    )
    related_id = node_select(
        _("Thủ tục hoặc văn bản liên quan"),
        (PROCEDURE, LEGAL_DOCUMENT),
        public_only=True,
        empty=_("Không chọn"),
    )
    attachment_1 = _attachment(1)
    attachment_2 = _attachment(2)
    attachment_3 = _attachment(3)

    def validate_more(self, node, appstruct):
        exc = colander.Invalid(node)
        if not appstruct.get("phone") and not appstruct.get("email"):
            exc["phone"] = _("Vui lòng cho biết số điện thoại hoặc thư điện tử để cơ quan liên hệ.")
        files = attachments_of(appstruct)
        request = self.bindings["request"]
        limit = int(request.registry.settings["portal.max_request_body"])
        if sum(f["size"] for f in files) > limit:
            exc["attachment_1"] = _(
                "Tổng dung lượng các tệp vượt quá ${mb} MB.", mapping={"mb": round(limit / 1024 / 1024, 1)}
            )
        if exc.children:
            raise exc


def attachments_of(appstruct: dict) -> list[dict]:
    return [f for f in (appstruct.get(f"attachment_{i}") for i in range(1, MAX_FILES + 1)) if f]


@colander.deferred
def department_widget(node, kw):
    names = departments(kw["request"].registry.settings)
    return deform.widget.SelectWidget(
        values=[("", kw["request"].t(_("Chưa giao")))] + [(d, d) for d in names]
    )


@colander.deferred
def department_validator(node, kw):
    return colander.OneOf([""] + departments(kw["request"].registry.settings))


class HandleSchema(CSRFSchema):
    status = select_node(_("Trạng thái"), STATUSES)
    field = text_node(_("Lĩnh vực"), 200, description=_("Ví dụ: Đất đai, Hộ tịch, Xây dựng."))
    department = colander.SchemaNode(
        colander.String(),
        title=_("Giao cho"),
        widget=department_widget,
        validator=department_validator,
        missing="",
    )
    due_on = date_node(_("Hạn xử lý"), missing=colander.required)
    answer = colander.SchemaNode(
        RichText(),
        title=_("Nội dung trả lời"),
        missing="",
        widget=deform.widget.RichTextWidget(height=260),
        validator=colander.Length(max=100_000),
    )
    answer_document_id = node_select(
        _("Văn bản trả lời"), (LEGAL_DOCUMENT,), public_only=False, empty=_("Không có")
    )

    def validate_more(self, node, appstruct):
        if appstruct.get("status") == ANSWERED and not appstruct.get("answer"):
            exc = colander.Invalid(node)
            exc["answer"] = _("Trạng thái “Đã trả lời” cần có nội dung trả lời.")
            raise exc
