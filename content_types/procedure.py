"""Administrative procedure (thủ tục hành chính), with the national database's fields.

The model and its edit form live here; the page, the form-template downloads and the
public catalogue (/thu-tuc-hanh-chinh) are in ``procedure_views``; demo content in
``demo_procedures``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

import colander
import deform
from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, event, select
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from portal.feeds import FeedFields
from portal.forms import NFCString, RichText, date_node, max_rows, text_node
from portal.i18n import _
from portal.models import Base, Node
from portal.schemas import BaseContentSchema
from portal.text import search_fold
from portal.transfer.spec import RowTable
from portal.uploads import SessionTmpStore, make_upload_validator
from portal.views.editing import default_apply, default_appstruct

from .legal_document import LegalDocument
from .link import url_validator

# Vocabularies: ASCII keys stored, Vietnamese titles shown.
LEVELS = {
    "cap-tinh": _("Cấp tỉnh"),
    "cap-xa": _("Cấp xã"),
    # Kept for records published before the two-level local government (07/2025).
    "cap-trung-uong": _("Cấp trung ương"),
    "cap-huyen": _("Cấp huyện"),
}
ONLINE_LEVELS = {
    "toan-trinh": _("Toàn trình"),
    "mot-phan": _("Một phần"),
    "khong": _("Không"),
}
VALIDITY = {
    "con-hieu-luc": _("Còn hiệu lực"),
    "het-hieu-luc": _("Hết hiệu lực"),
}
CHANNELS = {
    "truc-tiep": _("Trực tiếp"),
    "truc-tuyen": _("Trực tuyến"),
    "buu-chinh": _("Dịch vụ bưu chính"),
}
# Form templates (mẫu đơn, tờ khai): Word or PDF only.
TEMPLATE_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }
)


class Procedure(Node):
    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), default="", index=True)  # mã thủ tục
    decision_number: Mapped[str] = mapped_column(String(255), default="")
    level: Mapped[str] = mapped_column(String(32), default="", index=True)  # cấp thực hiện
    kind: Mapped[str] = mapped_column(String(255), default="")
    field: Mapped[str] = mapped_column(String(255), default="", index=True)  # lĩnh vực
    steps: Mapped[str] = mapped_column(Text, default="")
    # Tables edited as deform sequences: lists of dicts.
    filing_ways: Mapped[list] = mapped_column(JSON, default=list)
    # [{"name", "copies", "template": {"sha256", "filename", "mime_type", "size"} | None}]
    dossier_components: Mapped[list] = mapped_column(JSON, default=list)
    applicants: Mapped[str] = mapped_column(Text, default="")
    implementing_agency: Mapped[str] = mapped_column(String(500), default="", index=True)
    competent_agency: Mapped[str] = mapped_column(String(500), default="")
    receiving_address: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    online_level: Mapped[str] = mapped_column(String(16), default="khong", index=True)
    online_url: Mapped[str] = mapped_column(String(2048), default="")
    validity: Mapped[str] = mapped_column(String(32), default="con-hieu-luc")
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    # Title, code and field folded to lower-case ASCII ("ho tich"): the catalogue's
    # box finds "thủ tục hộ tịch" when typed without diacritics. Kept by the mapper
    # events below, whoever changes the row.
    search_text: Mapped[str] = mapped_column(Text, default="")

    legal_basis: Mapped[list[ProcedureLegalBasis]] = relationship(
        primaryjoin=lambda: Procedure.id == foreign(ProcedureLegalBasis.procedure_id),
        order_by=lambda: (ProcedureLegalBasis.position, ProcedureLegalBasis.id),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"polymorphic_identity": "procedure"}

    def templates(self) -> dict[str, dict]:
        """The form-template files of its dossier components, by sha256."""
        out = {}
        for row in self.dossier_components or ():
            tpl = row.get("template") if isinstance(row, dict) else None
            if tpl and tpl.get("sha256"):
                out[tpl["sha256"]] = tpl
        return out


class ProcedureLegalBasis(Base):
    """One row of a procedure's legal basis: a link to a Legal document item where one
    exists, else the number, summary, date and issuer as text."""

    __tablename__ = "procedure_legal_basis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"), index=True)
    number: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(255), default="")


@event.listens_for(Procedure, "before_insert")
@event.listens_for(Procedure, "before_update")
def _keep_search_text(mapper, connection, target: Procedure) -> None:
    # Field first, then title: the catalogue sorts on this column too, which puts
    # "Đất đai" beside "Dân tộc" (a byte order would put it after "Xây dựng").
    target.search_text = search_fold(f"{target.field} | {target.title} | {target.code}")


# ---------------------------------------------------------------- form --------


def text_area(rows=3):
    return deform.widget.TextAreaWidget(rows=rows)


def select_widget(vocabulary: dict):
    return deform.widget.SelectWidget(values=list(vocabulary.items()))


class SuggestWidget(deform.widget.TextInputWidget):
    """A text box with the values already used offered as suggestions (a <datalist>)."""

    template = "themes:default/templates/procedure_suggest.pt"
    suggestions: tuple = ()


@colander.deferred
def field_widget(node, kw):
    request = kw.get("request")
    values: list[str] = []
    if request is not None:
        found = request.dbsession.scalars(
            select(Procedure.field)
            .where(Procedure.site_id == request.root_node.site_id, Procedure.field != "")
            .distinct()
            .limit(200)
        )
        values = sorted(found, key=lambda v: (search_fold(v), v))
    return SuggestWidget(suggestions=tuple(values))


class TemplateStore(SessionTmpStore):
    """The upload store of the template column: besides what the user uploaded in this
    session, it knows the files the procedure already has, so that editing without
    choosing a new file keeps the old one however many rows there are."""

    def __init__(self, request, obj):
        super().__init__(request)
        self.kept = obj.templates() if isinstance(obj, Procedure) else {}

    def get(self, uid, default=None):
        data = super().get(uid, default=None)
        if data is not None:
            data["fp"].close()  # only the description is needed here
            data["fp"] = None
            return data
        sha = kept_sha(uid)
        tpl = self.kept.get(sha) if sha else None
        if tpl is None:
            return default
        return template_filedata(tpl, uid)


_KEPT_UID = re.compile(r"^k([0-9a-f]{64})-\d+-[0-9a-f]{12}$")


def kept_sha(uid) -> str | None:
    match = _KEPT_UID.match(uid or "")
    return match.group(1) if match else None


def template_filedata(tpl: dict, uid: str) -> dict:
    data = deform.widget.filedict(
        uid=uid,
        filename=tpl.get("filename", ""),
        sha256=tpl["sha256"],
        size=tpl.get("size", 0),
        sniffed=tpl.get("mime_type", ""),
        mimetype=tpl.get("mime_type", ""),
    )
    data["fp"] = None
    data["preview_url"] = None
    return data


@colander.deferred
def template_widget(node, kw):
    return deform.widget.FileUploadWidget(
        TemplateStore(kw["request"], kw.get("obj")),
        template="themes:default/templates/procedure_file_upload.pt",
        accept=".pdf,.doc,.docx,.odt",
        kept_label=_("Tệp đang dùng"),
        replace_label=_("Chọn tệp khác để thay; để trống để giữ nguyên."),
    )


template_validator = make_upload_validator(
    only_types=TEMPLATE_TYPES,
    refused=_("Mẫu đơn, tờ khai phải là tệp PDF hoặc Word (DOC, DOCX, ODT)."),
)


class FilingWay(colander.MappingSchema):
    channel = colander.SchemaNode(
        colander.String(),
        title=_("Hình thức nộp"),
        widget=select_widget(CHANNELS),
        validator=colander.OneOf(list(CHANNELS)),
    )
    processing_time = colander.SchemaNode(
        NFCString(),
        title=_("Thời hạn giải quyết"),
        description=_("Ví dụ: 03 ngày làm việc"),
        missing="",
        validator=colander.Length(max=500),
    )
    fee = colander.SchemaNode(
        NFCString(),
        title=_("Phí, lệ phí"),
        description=_("Ví dụ: Lệ phí 8.000 đồng; Miễn lệ phí"),
        missing="",
        validator=colander.Length(max=1000),
    )
    note = colander.SchemaNode(
        NFCString(), title=_("Mô tả, ghi chú"), missing="", validator=colander.Length(max=2000)
    )


class DossierComponent(colander.MappingSchema):
    name = colander.SchemaNode(
        NFCString(), title=_("Tên giấy tờ"), validator=colander.Length(min=1, max=1000)
    )
    template = colander.SchemaNode(
        deform.FileData(),
        title=_("Mẫu đơn, tờ khai (PDF, DOC, DOCX)"),
        widget=template_widget,
        validator=template_validator,
        missing=None,
    )
    copies = colander.SchemaNode(
        NFCString(),
        title=_("Số lượng"),
        description=_("Ví dụ: Bản chính: 1 - Bản sao: 0"),
        missing="",
        validator=colander.Length(max=255),
    )


def basis_row_validator(node, value):
    if not value.get("number") and not value.get("summary"):
        exc = colander.Invalid(node)
        exc["number"] = _("Nhập số, ký hiệu văn bản hoặc trích yếu.")
        raise exc


class LegalBasisRow(colander.MappingSchema):
    number = colander.SchemaNode(
        NFCString(),
        title=_("Số, ký hiệu văn bản"),
        description=_("Ví dụ: 12/2025/QĐ-UBND. Văn bản đã có trên trang sẽ được liên kết tự động."),
        missing="",
        validator=colander.Length(max=100),
    )
    summary = colander.SchemaNode(
        NFCString(),
        title=_("Trích yếu"),
        missing="",
        validator=colander.Length(max=2000),
        widget=text_area(2),
    )
    issued_on = date_node(_("Ngày ban hành"))
    issuer = colander.SchemaNode(
        NFCString(), title=_("Cơ quan ban hành"), missing="", validator=colander.Length(max=255)
    )
    validator = staticmethod(basis_row_validator)


MAX_ROWS = 100  # rows per table: checked on the server, whatever the browser sends


def sequence_widget():
    return deform.widget.SequenceWidget(
        add_subitem_text_template=_("Thêm dòng"), orderable=False, max_len=MAX_ROWS
    )


class FilingWays(colander.SequenceSchema):
    validator = staticmethod(max_rows(MAX_ROWS))
    row = FilingWay(title=_("Cách thức"))


class DossierComponents(colander.SequenceSchema):
    validator = staticmethod(max_rows(MAX_ROWS))
    row = DossierComponent(title=_("Giấy tờ"))


class LegalBasis(colander.SequenceSchema):
    validator = staticmethod(max_rows(MAX_ROWS))
    row = LegalBasisRow(title=_("Văn bản"))


class ProcedureSchema(BaseContentSchema):
    code = text_node(_("Mã thủ tục"), 64, description=_("Theo Cơ sở dữ liệu quốc gia, ví dụ: 1.001612"))
    decision_number = text_node(_("Quyết định công bố"), 255)
    level = colander.SchemaNode(
        colander.String(),
        title=_("Cấp thực hiện"),
        widget=select_widget(LEVELS),
        validator=colander.OneOf(list(LEVELS)),
        default="cap-xa",
    )
    kind = text_node(_("Loại thủ tục"), 255, description=_("Ví dụ: TTHC được luân chuyển"))
    field = colander.SchemaNode(
        NFCString(),
        title=_("Lĩnh vực"),
        description=_("Ví dụ: Hộ tịch, Chứng thực, Đất đai"),
        widget=field_widget,
        validator=colander.Length(min=1, max=255),
    )
    steps = colander.SchemaNode(
        RichText(),
        title=_("Trình tự thực hiện"),
        missing="",
        widget=deform.widget.RichTextWidget(height=240),
    )
    filing_ways = FilingWays(title=_("Cách thức thực hiện"), widget=sequence_widget(), missing=())
    dossier_components = DossierComponents(title=_("Thành phần hồ sơ"), widget=sequence_widget(), missing=())
    applicants = text_node(_("Đối tượng thực hiện"), 5000, rows=2)
    implementing_agency = text_node(_("Cơ quan thực hiện"), 500)
    competent_agency = text_node(_("Cơ quan có thẩm quyền"), 500)
    receiving_address = text_node(_("Địa chỉ tiếp nhận hồ sơ"), 5000, rows=2)
    result = text_node(_("Kết quả thực hiện"), 5000, rows=2)
    legal_basis = LegalBasis(title=_("Căn cứ pháp lý"), widget=sequence_widget(), missing=())
    requirements = text_node(_("Yêu cầu, điều kiện thực hiện"), 20000, rows=4)
    online_level = colander.SchemaNode(
        colander.String(),
        title=_("Mức độ dịch vụ công trực tuyến"),
        widget=select_widget(ONLINE_LEVELS),
        validator=colander.OneOf(list(ONLINE_LEVELS)),
        default="khong",
    )
    online_url = colander.SchemaNode(
        NFCString(),
        title=_("Địa chỉ nộp hồ sơ trực tuyến"),
        description=_("Bắt buộc khi có dịch vụ công trực tuyến. Ví dụ: https://dichvucong.gov.vn/…"),
        missing="",
        validator=url_validator,
    )
    validity = colander.SchemaNode(
        colander.String(),
        title=_("Tình trạng hiệu lực"),
        widget=select_widget(VALIDITY),
        validator=colander.OneOf(list(VALIDITY)),
        default="con-hieu-luc",
    )
    verified_on = date_node(_("Ngày cập nhật, kiểm tra gần nhất"))

    def validate_more(self, node, appstruct):
        exc = colander.Invalid(node)
        try:
            super().validate_more(node, appstruct)
        except colander.Invalid as e:
            exc = e
        if appstruct.get("online_level") != "khong" and not appstruct.get("online_url"):
            exc["online_url"] = _("Hãy nhập địa chỉ nộp hồ sơ trực tuyến (http:// hoặc https://).")
        if exc.children:
            raise exc
        link_documents(self.bindings["request"], appstruct.get("legal_basis") or ())


def link_documents(request, rows) -> None:
    """Give each legal-basis row the id of this site's Legal document with its number
    (one query for all rows); a number that matches none stays text."""
    numbers = {row["number"] for row in rows if row.get("number")}
    found: dict[str, int] = {}
    if numbers:
        q = (
            select(LegalDocument.number, LegalDocument.id)
            .where(LegalDocument.site_id == request.root_node.site_id, LegalDocument.number.in_(numbers))
            .order_by(LegalDocument.id)
        )
        for number, doc_id in request.dbsession.execute(q):
            found.setdefault(number, doc_id)
    for row in rows:
        row["document_id"] = found.get(row.get("number"))


# ------------------------------------------------------ appstruct <-> object ---


def apply(obj: Procedure, appstruct: dict) -> None:
    data = dict(appstruct)
    ways = data.pop("filing_ways", None) or ()
    components = data.pop("dossier_components", None) or ()
    basis = data.pop("legal_basis", None) or ()
    for key in ("verified_on",):
        if data.get(key) is colander.null:
            data[key] = None
    default_apply(obj, data)
    if obj.online_level == "khong" and not obj.online_url:
        obj.online_url = ""
    obj.filing_ways = [
        {k: row.get(k) or "" for k in ("channel", "processing_time", "fee", "note")} for row in ways
    ]
    rows = []
    for row in components:
        upload = row.get("template")
        template = None
        if upload and upload.get("sha256"):
            template = {
                "sha256": upload["sha256"],
                "filename": upload.get("filename") or "mau",
                "mime_type": upload.get("sniffed") or upload.get("mimetype") or "",
                "size": int(upload.get("size") or 0),
            }
        rows.append({"name": row["name"], "copies": row.get("copies") or "", "template": template})
    obj.dossier_components = rows
    obj.legal_basis = [
        ProcedureLegalBasis(
            position=i,
            document_id=row.get("document_id"),
            number=row.get("number") or "",
            summary=row.get("summary") or "",
            issued_on=row.get("issued_on") or None,
            issuer=row.get("issuer") or "",
        )
        for i, row in enumerate(basis)
    ]


def to_appstruct(obj: Procedure, schema) -> dict:
    data = default_appstruct(obj, schema)
    data["filing_ways"] = [dict(row) for row in obj.filing_ways or ()]
    components = []
    # A fresh token per form: an upload abandoned in an earlier form was stored in
    # the session under that form's uid, and must never stand in for a kept file.
    form_token = secrets.token_hex(6)
    for i, row in enumerate(obj.dossier_components or ()):
        tpl = row.get("template")
        components.append(
            {
                "name": row.get("name", ""),
                "copies": row.get("copies", ""),
                "template": template_filedata(tpl, f"k{tpl['sha256']}-{i}-{form_token}")
                if tpl
                else colander.null,
            }
        )
    data["dossier_components"] = components
    data["legal_basis"] = [
        {
            "number": b.number,
            "summary": b.summary,
            "issued_on": b.issued_on or colander.null,
            "issuer": b.issuer,
        }
        for b in obj.legal_basis
    ]
    return data


def search_document(obj: Procedure) -> dict:
    """What full-text search indexes: the procedure's texts; field and agency as facets."""
    components = [row.get("name", "") for row in obj.dossier_components or () if isinstance(row, dict)]
    texts = [
        obj.code, obj.decision_number, obj.kind, obj.applicants, obj.steps, obj.requirements,
        obj.result, obj.receiving_address, *components,
    ]  # fmt: skip
    return {
        "title": obj.title,
        "description": obj.description,
        "body": "\n".join(t for t in texts if t),
        "field": obj.field or "",
        "agency": obj.implementing_agency or "",
        "year": obj.verified_on.year if obj.verified_on else None,
    }


def feed_fields(request, ids: list[int]) -> dict[int, FeedFields]:
    """Feeds of procedures: code, level and agency as the summary, the field as category
    (one query)."""
    q = select(
        Procedure.id, Procedure.description, Procedure.code, Procedure.level, Procedure.field,
        Procedure.implementing_agency,
    ).where(Procedure.id.in_(ids))  # fmt: skip
    out = {}
    for id_, description, code, level, field, agency in request.dbsession.execute(q).all():
        parts = [
            request.t(_("Mã thủ tục: ${code}", mapping={"code": code})) if code else "",
            request.t(LEVELS[level]) if level in LEVELS else "",
            request.t(_("Cơ quan thực hiện: ${agency}", mapping={"agency": agency})) if agency else "",
        ]
        summary = ". ".join(p for p in (description, *parts) if p)
        out[id_] = FeedFields(summary=summary, categories=(field,) if field else ())
    return out


def includeme(config):
    from .demo_procedures import load_demo

    config.add_content_type(
        Procedure,
        title=_("Thủ tục hành chính"),
        schema=ProcedureSchema,
        addable_to=("site", "folder"),
        apply=apply,
        to_appstruct=to_appstruct,
        demo=load_demo,
        search=search_document,
        feed=feed_fields,
        transfer=(RowTable(ProcedureLegalBasis, "procedure_id"),),
    )
    config.include(".procedure_views")
