"""The survey's forms: the public one, built per request from the active questions,
and the administrators' question form."""

from __future__ import annotations

import re

import colander
import deform

from portal.forms import CSRFSchema, NFCString, select_node
from portal.guard import PublicFormSchema
from portal.i18n import _
from portal.text import nfc

from .models import RATING, TEXT

MAX_TEXT = 2000
MAX_CODE = 40
MAX_QUESTION = 500

# Marked where written so the catalogue has them; shown beside each radio button.
RATING_LABELS = {
    1: _("1 – Rất không hài lòng"),
    2: _("2 – Không hài lòng"),
    3: _("3 – Bình thường"),
    4: _("4 – Hài lòng"),
    5: _("5 – Rất hài lòng"),
}
KINDS = {RATING: _("Đánh giá từ 1 đến 5"), TEXT: _("Ý kiến (văn bản)")}

# Dossier codes of the one-stop office: "H23.10-250101-0001", "000.00.12.H23/2025 …".
_CODE = re.compile(r"^[A-Z0-9._/-]+$")


def normalise_code(value) -> str | None:
    """A dossier code as stored (upper case, no spaces around), or None if it is not one."""
    if not isinstance(value, str):
        return None
    code = nfc(value).strip()
    if not code.isascii():
        return None
    code = code.upper()
    if not code or len(code) > MAX_CODE or not _CODE.match(code):
        return None
    return code


def code_validator(node, value):
    if len(value) > MAX_CODE:
        raise colander.Invalid(node, _("Mã hồ sơ dài tối đa ${n} ký tự.", mapping={"n": MAX_CODE}))
    if not _CODE.match(value):
        raise colander.Invalid(node, _("Mã hồ sơ chỉ gồm chữ cái không dấu, chữ số và các dấu . - _ /"))


def _upper(value):
    # ASCII only: "ı".upper() is "I" and "ﬁ".upper() is "FI", which would slip past the check.
    return value.upper() if isinstance(value, str) and value.isascii() else value


def field_name(question_id: int) -> str:
    return f"q{question_id}"


def rating_node(question, request):
    values = [(str(n), request.t(label)) for n, label in RATING_LABELS.items()]
    kw = {} if question.required else {"missing": None}
    return colander.SchemaNode(
        colander.String(),
        name=field_name(question.id),
        title=question.text,
        # "structural": mapping_item.pt adds no <label>; the template's legend names it.
        widget=deform.widget.RadioChoiceWidget(
            values=values, template="survey_rating", category="structural"
        ),
        validator=colander.OneOf([v for v, _t in values]),
        missing_msg=_("Hãy chọn một mức đánh giá."),
        **kw,
    )


def text_answer_node(question):
    kw = {} if question.required else {"missing": ""}
    return colander.SchemaNode(
        NFCString(),
        name=field_name(question.id),
        title=question.text,
        description=_(
            "Tối đa ${n} ký tự. Ý kiến chỉ được công bố sau khi được duyệt.", mapping={"n": MAX_TEXT}
        ),
        widget=deform.widget.TextAreaWidget(rows=5, attributes={"maxlength": str(MAX_TEXT)}),
        validator=colander.Length(max=MAX_TEXT, max_err=_("Tối đa ${n} ký tự.", mapping={"n": MAX_TEXT})),
        missing_msg=_("Hãy nhập ý kiến của bạn."),
        **kw,
    )


class SurveySchema(PublicFormSchema):
    """Built per request: one field per active question, then the dossier code."""


def public_schema(request, questions) -> SurveySchema:
    schema = SurveySchema()
    honeypot = schema["website"]
    del schema["website"]  # put back last, after the real fields
    for q in questions:
        schema.add(rating_node(q, request) if q.kind == RATING else text_answer_node(q))
    schema.add(
        colander.SchemaNode(
            NFCString(),
            name="dossier_code",
            title=_("Mã hồ sơ (nếu có)"),
            description=_("In trên giấy tiếp nhận hồ sơ, ví dụ H23.10-250101-0001. Không bắt buộc."),
            preparer=_upper,
            validator=code_validator,
            missing=None,
            widget=deform.widget.TextInputWidget(
                attributes={"maxlength": str(MAX_CODE), "autocomplete": "off"}
            ),
        )
    )
    schema.add(honeypot)
    return schema


class QuestionSchema(CSRFSchema):
    text = colander.SchemaNode(
        NFCString(),
        title=_("Câu hỏi"),
        validator=colander.Length(max=MAX_QUESTION),
        widget=deform.widget.TextAreaWidget(rows=2),
    )
    kind = select_node(_("Loại câu hỏi"), KINDS)
    required = colander.SchemaNode(
        colander.Boolean(), title=_("Bắt buộc trả lời"), missing=False, widget=deform.widget.CheckboxWidget()
    )
    active = colander.SchemaNode(
        colander.Boolean(),
        title=_("Đang dùng (hiện trên phiếu khảo sát)"),
        missing=False,
        widget=deform.widget.CheckboxWidget(),
    )


def question_schema(request, has_answers: bool) -> QuestionSchema:
    schema = QuestionSchema()
    if has_answers:
        # The answers already given would no longer fit the results.
        del schema["kind"]
        # A copy: the schema's class-level nodes are shared by every instance.
        text = schema["text"].clone()
        text.description = _(
            "Câu hỏi đã có câu trả lời nên không đổi được loại. Nếu nội dung thay đổi hẳn, "
            "hãy ngừng dùng câu hỏi này và thêm câu hỏi mới."
        )
        schema.children[schema.children.index(schema["text"])] = text
    return schema
