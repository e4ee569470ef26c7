"""Legal document (văn bản): number, type, issuer, dates, validity, attachments and
typed relations stored once and shown from both sides."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    distinct,
    event,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.downloads import INLINE_TYPES, blob_response
from portal.feeds import FeedFields
from portal.forms import NFCString, date_node, max_rows, select_node, text_node
from portal.i18n import _
from portal.listing import Batch, may_see_clause, paged
from portal.models import Attachment, Base, Node, Term
from portal.models.terms import FIELD
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema
from portal.terms import labels_of, parse_labels, set_terms, terms_for
from portal.text import TZ, fold, format_date, search_fold
from portal.transfer.spec import RowTable
from portal.uploads import make_upload_validator, upload_widget
from portal.views.editing import default_apply, default_appstruct

from .file import human_size

DOC_TYPES = {
    "hien-phap": _("Hiến pháp"),
    "luat": _("Luật"),
    "phap-lenh": _("Pháp lệnh"),
    "nghi-quyet": _("Nghị quyết"),
    "nghi-dinh": _("Nghị định"),
    "quyet-dinh": _("Quyết định"),
    "thong-tu": _("Thông tư"),
    "chi-thi": _("Chỉ thị"),
    "ke-hoach": _("Kế hoạch"),
    "cong-van": _("Công văn"),
    "thong-bao": _("Thông báo"),
    "huong-dan": _("Hướng dẫn"),
    "bao-cao": _("Báo cáo"),
    "khac": _("Văn bản khác"),
}

IN_FORCE, NOT_YET, EXPIRED = "con-hieu-luc", "chua-co-hieu-luc", "het-hieu-luc-toan-bo"
VALIDITY = {
    NOT_YET: _("Chưa có hiệu lực"),
    IN_FORCE: _("Còn hiệu lực"),
    "het-hieu-luc-mot-phan": _("Hết hiệu lực một phần"),
    EXPIRED: _("Hết hiệu lực toàn bộ"),
    "ngung-hieu-luc": _("Ngưng hiệu lực"),
}

# kind -> (wording on the source's page, wording on the target's page).
RELATIONS = {
    "can-cu": (_("Căn cứ"), _("Là căn cứ của")),
    "huong-dan": (_("Hướng dẫn"), _("Được hướng dẫn bởi")),
    "sua-doi-bo-sung": (_("Sửa đổi, bổ sung"), _("Được sửa đổi, bổ sung bởi")),
    "thay-the": (_("Thay thế"), _("Bị thay thế bởi")),
    "bai-bo": (_("Bãi bỏ"), _("Bị bãi bỏ bởi")),
    "dinh-chi": (_("Đình chỉ"), _("Bị đình chỉ bởi")),
    "lien-quan": (_("Liên quan"), _("Liên quan")),
}

ATTACHMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
    }
)
SLOT = "attachment"
# The catalogue's query parameters (see catalogue_choices) and the page number.
CATALOGUE_PARAMS = ("loai", "co-quan", "nam", "linh-vuc", "hieu-luc", "q", "trang")
PER_PAGE = 20


class LegalDocument(Node):
    __tablename__ = "legal_documents"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[str] = mapped_column(String(100), default="", index=True)  # "7105/UBND-HCC"
    doc_type: Mapped[str] = mapped_column(String(32), default="", index=True)
    issuer: Mapped[str] = mapped_column(String(255), default="", index=True)
    signer: Mapped[str] = mapped_column(String(255), default="")
    signer_title: Mapped[str] = mapped_column(String(255), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    effective_on: Mapped[dt.date | None] = mapped_column(Date)
    expiry_on: Mapped[dt.date | None] = mapped_column(Date)
    gazette_number: Mapped[str] = mapped_column(String(64), default="")
    gazette_date: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")  # trích yếu
    # Set by an editor to override the status derived from the dates; "" = derived.
    validity: Mapped[str] = mapped_column(String(32), default="")
    validity_reason: Mapped[str] = mapped_column(Text, default="")
    # Number, title, summary and issuer folded ("quyet dinh"): the catalogue's text
    # filter matches with or without accents. Kept by the mapper events below.
    search_text: Mapped[str] = mapped_column(Text, default="")

    # Relations this document states; those pointing at it are read by query.
    outgoing: Mapped[list[DocumentRelation]] = relationship(
        "DocumentRelation",
        primaryjoin="LegalDocument.id == foreign(DocumentRelation.source_id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="select",
    )

    __mapper_args__ = {"polymorphic_identity": "legal_document"}

    @property
    def status(self) -> str:
        return validity_of(self.validity, self.effective_on, self.expiry_on)


@event.listens_for(LegalDocument, "before_insert")
@event.listens_for(LegalDocument, "before_update")
def _keep_search_text(mapper, connection, target: LegalDocument) -> None:
    target.search_text = search_fold(f"{target.number} {target.title} {target.summary} {target.issuer}")


class DocumentRelation(Base):
    """One typed relation, stored once: source <kind> target ("A sửa đổi, bổ sung B").
    The target's page shows it from the other side ("B được sửa đổi, bổ sung bởi A")."""

    __tablename__ = "document_relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("source_id", "target_id", "kind"),)


# --- validity ------------------------------------------------------------------


def today() -> dt.date:
    """Dates on legal documents are Vietnamese calendar dates."""
    return dt.datetime.now(TZ).date()


def validity_of(override: str, effective_on, expiry_on, on: dt.date | None = None) -> str:
    if override in VALIDITY:
        return override
    on = on or today()
    if expiry_on is not None and expiry_on <= on:
        return EXPIRED
    if effective_on is not None and effective_on > on:
        return NOT_YET
    return IN_FORCE


def validity_sql(entity=LegalDocument, on: dt.date | None = None):
    """``validity_of`` in SQL, so the catalogue filters on derived statuses too."""
    on = on or today()
    return case(
        (entity.validity.in_(list(VALIDITY)), entity.validity),
        (and_(entity.expiry_on.is_not(None), entity.expiry_on <= on), literal(EXPIRED)),
        (and_(entity.effective_on.is_not(None), entity.effective_on > on), literal(NOT_YET)),
        else_=literal(IN_FORCE),
    )


def find_document(request, ref: str):
    """The visible legal document of this site with number ``ref`` or at path ``ref``:
    (id, error message)."""
    path = ref
    if path.startswith(request.application_url):
        path = path[len(request.application_url) :]
    path = "/" + path.split("@@")[0].strip("/") + "/"
    rows = request.dbsession.execute(
        select(LegalDocument.id, LegalDocument.path)
        .where(
            LegalDocument.site_id == request.root_node.site_id,
            or_(LegalDocument.number == ref, LegalDocument.path == path),
            may_see_clause(request, LegalDocument),
        )
        .limit(5)
    ).all()
    by_path = [r.id for r in rows if r.path == path]
    if by_path:
        return by_path[0], None
    if len(rows) == 1:
        return rows[0].id, None
    if rows:
        return None, _("Có nhiều văn bản cùng số ký hiệu này: hãy nhập đường dẫn của văn bản.")
    return None, _("Không tìm thấy văn bản có số ký hiệu hoặc đường dẫn này.")


class DocumentRef(NFCString):
    """A legal document typed in by its number or path; deserialises to its id."""

    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        if value is colander.null:
            return value
        found, error = find_document(node.bindings["request"], value)
        if error:
            raise colander.Invalid(node, error)
        return found

    def serialize(self, node, appstruct):
        return colander.null if appstruct in (None, colander.null) else str(appstruct)


def refs_for(request, ids) -> dict[int, str]:
    """How to show documents in forms: the number when it names only this one."""
    ids = [i for i in ids if i]
    if not ids:
        return {}
    db, site = request.dbsession, request.root_node.site_id
    doc = LegalDocument
    rows = db.execute(select(doc.id, doc.number, doc.path).where(doc.id.in_(ids))).all()
    numbers = {r.number for r in rows if r.number}
    shared = (
        dict(
            db.execute(
                select(LegalDocument.number, func.count())
                .where(LegalDocument.site_id == site, LegalDocument.number.in_(numbers))
                .group_by(LegalDocument.number)
            ).all()
        )
        if numbers
        else {}
    )
    return {r.id: r.number if r.number and shared.get(r.number) == 1 else r.path for r in rows}


# --- schema ------------------------------------------------------------------------


class RelationSchema(colander.MappingSchema):
    kind = select_node(_("Quan hệ"), {k: v[0] for k, v in RELATIONS.items()})
    target = colander.SchemaNode(
        DocumentRef(),
        title=_("Văn bản (số ký hiệu hoặc đường dẫn)"),
        description=_("Ví dụ: 12/2025/QĐ-UBND hoặc /van-ban/quyet-dinh-12/"),
    )


class RelationsSchema(colander.SequenceSchema):
    validator = staticmethod(max_rows(100))
    relation = RelationSchema(title=_("Quan hệ"))


@colander.deferred
def attachment_choices(node, kw):
    obj = kw.get("obj")
    atts = obj.attachments if obj is not None else []
    return deform.widget.CheckboxChoiceWidget(
        values=[(str(a.id), f"{a.filename} ({human_size(a.size)})") for a in atts if a.slot == SLOT]
    )


class LegalDocumentSchema(BaseContentSchema):
    number = text_node(_("Số, ký hiệu"), 100, description=_("Ví dụ: 12/2025/QĐ-UBND"))
    doc_type = select_node(_("Loại văn bản"), DOC_TYPES)
    issuer = text_node(_("Cơ quan ban hành"))
    signer = text_node(_("Người ký"))
    signer_title = text_node(_("Chức vụ người ký"))
    issued_on = date_node(_("Ngày ban hành"))
    effective_on = date_node(_("Ngày có hiệu lực"))
    expiry_on = date_node(_("Ngày hết hiệu lực"))
    gazette_number = text_node(_("Số công báo"), 64)
    gazette_date = date_node(_("Ngày đăng công báo"))
    summary = text_node(_("Trích yếu"), 5000, rows=3)
    field_names = text_node(_("Lĩnh vực"), 2000, description=_("Nhiều lĩnh vực cách nhau bằng dấu phẩy."))
    validity = select_node(
        _("Tình trạng hiệu lực"),
        VALIDITY,
        empty=_("Tự động theo ngày có hiệu lực và ngày hết hiệu lực"),
        missing="",
    )
    validity_reason = text_node(_("Lý do (tình trạng hiệu lực)"), 5000, rows=3)
    relations = RelationsSchema(
        title=_("Văn bản liên quan"),
        missing=[],
        widget=deform.widget.SequenceWidget(min_len=0, add_subitem_text_template=_("Thêm quan hệ")),
    )
    upload = colander.SchemaNode(
        deform.FileData(),
        title=_("Thêm tệp đính kèm"),
        description=_("PDF, DOC, DOCX, XLS, XLSX hoặc ODT. Lưu lại rồi sửa để thêm tệp khác."),
        widget=upload_widget,
        validator=make_upload_validator(
            ATTACHMENT_TYPES, refused=_("Chỉ nhận tệp PDF, DOC, DOCX, XLS, XLSX hoặc ODT.")
        ),
        missing=colander.null,
    )
    remove_attachments = colander.SchemaNode(
        colander.Set(),
        title=_("Gỡ tệp đính kèm"),
        widget=attachment_choices,
        missing=set(),
    )

    def after_bind(self, node, kw):
        if "mode" not in kw:
            return  # make_form binds once more, with the request only
        obj = kw.get("obj")
        node.obj_id = obj.id if obj is not None else None
        if obj is None or not any(a.slot == SLOT for a in obj.attachments):
            del node["remove_attachments"]

    def validate_more(self, node, appstruct):
        super().validate_more(node, appstruct)
        issued, effective = appstruct.get("issued_on"), appstruct.get("effective_on")
        expiry = appstruct.get("expiry_on")
        exc = colander.Invalid(node)
        if issued and effective and effective < issued:
            exc["effective_on"] = _("Ngày có hiệu lực không được trước ngày ban hành.")
        if expiry and ((issued and expiry <= issued) or (effective and expiry <= effective)):
            exc["expiry_on"] = _("Ngày hết hiệu lực phải sau ngày ban hành và ngày có hiệu lực.")
        target = appstruct.get("relations") or []
        own_id = getattr(node, "obj_id", None)
        if own_id is not None and any(r["target"] == own_id for r in target):
            exc["relations"] = _("Văn bản không thể có quan hệ với chính nó.")
        gazette = appstruct.get("gazette_date")
        if gazette and issued and gazette < issued:
            exc["gazette_date"] = _("Ngày đăng công báo không được trước ngày ban hành.")
        if exc.children:
            raise exc


FORM_ONLY = {"field_names", "relations", "upload", "remove_attachments"}


def apply(obj: LegalDocument, appstruct: dict) -> None:
    default_apply(obj, {k: v for k, v in appstruct.items() if k not in FORM_ONLY})
    set_terms(obj, FIELD, parse_labels(appstruct.get("field_names") or ""))
    set_relations(obj, [(r["kind"], r["target"]) for r in appstruct.get("relations") or []])
    removed = appstruct.get("remove_attachments") or set()
    atts = [a for a in obj.attachments if str(a.id) not in removed or a.slot != SLOT]
    upload = appstruct.get("upload")
    if upload:
        atts.append(
            Attachment(
                slot=SLOT,
                position=max((a.position for a in atts), default=-1) + 1,
                title=upload["filename"],
                filename=upload["filename"],
                mime_type=upload["sniffed"],
                size=upload["size"],
                sha256=upload["sha256"],
            )
        )
    obj.attachments = atts


def set_relations(obj: LegalDocument, wanted: list[tuple[str, int]]) -> None:
    """Keep the rows that stay (a delete and an insert of one key in a flush collide)."""
    keys = list(dict.fromkeys(wanted))
    existing = {(r.kind, r.target_id): r for r in obj.outgoing}
    obj.outgoing = [existing.get(k) or DocumentRelation(kind=k[0], target_id=k[1]) for k in keys]


def to_appstruct(obj: LegalDocument, schema) -> dict:
    data = default_appstruct(obj, schema)
    request = schema.bindings["request"]
    refs = refs_for(request, [r.target_id for r in obj.outgoing])
    data["relations"] = [
        {"kind": r.kind, "target": refs[r.target_id]} for r in obj.outgoing if r.target_id in refs
    ]
    data["field_names"] = ", ".join(labels_of(obj, FIELD))
    data["upload"] = colander.null
    data.pop("remove_attachments", None)
    for key in ("validity",):
        data[key] = data[key] or ""
    return data


# --- document page -----------------------------------------------------------------


def relation_groups(request, doc: LegalDocument) -> list[tuple[str, list]]:
    """Relations both ways, grouped by their wording on this page; only visible ends."""
    db = request.dbsession
    cols = (DocumentRelation.kind, LegalDocument.number, LegalDocument.title, LegalDocument.path)
    out = db.execute(
        select(*cols, literal(0).label("side"))
        .join(LegalDocument, LegalDocument.id == DocumentRelation.target_id)
        .where(DocumentRelation.source_id == doc.id, may_see_clause(request, LegalDocument))
        .union_all(
            select(*cols, literal(1).label("side"))
            .join(LegalDocument, LegalDocument.id == DocumentRelation.source_id)
            .where(DocumentRelation.target_id == doc.id, may_see_clause(request, LegalDocument))
        )
    ).all()
    groups: dict[str, list] = {}
    order = []
    for words in RELATIONS.values():
        for side in (0, 1):
            label = words[side]
            if label not in order:
                order.append(label)
    for row in sorted(out, key=lambda r: (fold(r.number).lower(), r.title)):
        words = RELATIONS.get(row.kind)
        if words is None:
            continue
        groups.setdefault(words[row.side], []).append(row)
    return [(label, groups[label]) for label in order if label in groups]


def reviews_of(request, doc: LegalDocument) -> list:
    info = request.content_types.get("legal_document_review")
    if info is None:
        return []
    review = info.model
    return request.dbsession.execute(
        select(review.title, review.path, review.review_round, review.reviewed_on, review.recommendation)
        .where(review.document_id == doc.id, may_see_clause(request, review))
        .order_by(review.reviewed_on.desc(), review.id.desc())
    ).all()


@view_config(
    context=LegalDocument,
    renderer="legal_document.html",
    permission=Permissions.View,
    anonymous_cache="legal-document",
    count_view=True,
)
def legal_document_view(context: LegalDocument, request):
    atts = [a for a in context.attachments if a.slot == SLOT]
    return {
        "context": context,
        "doc_type": DOC_TYPES.get(context.doc_type, ""),
        "status": context.status,
        "status_title": VALIDITY[context.status],
        "fields": labels_of(context, FIELD),
        "relations": relation_groups(request, context),
        "reviews": reviews_of(request, context),
        "recommendations": review_recommendations(request),
        "attachments": [
            {"a": a, "size": human_size(a.size), "inline": a.mime_type in INLINE_TYPES} for a in atts
        ],
    }


def review_recommendations(request) -> dict:
    info = request.content_types.get("legal_document_review")
    return info.extra.get("recommendations", {}) if info else {}


@view_config(context=LegalDocument, name="attachment", permission=Permissions.View)
def attachment_download(context: LegalDocument, request):
    """<doc>/@@attachment/<id>: an attached file (?inline=1 opens a PDF in the browser)."""
    try:
        att_id = int(request.subpath[0]) if len(request.subpath) == 1 else 0
    except ValueError:
        att_id = 0
    att = next((a for a in context.attachments if a.id == att_id), None)
    if att is None:
        raise HTTPNotFound()
    return blob_response(
        request,
        att.sha256,
        att.mime_type,
        att.filename,
        inline=request.params.get("inline") == "1",
        modified=context.modified,
    )


# --- the catalogue (/van-ban) ------------------------------------------------------


def clean_filters(request, choices: dict) -> dict:
    """Filter values from the query string; anything not offered is dropped."""
    params = request.GET
    found = {}
    for key, allowed in choices.items():
        value = " ".join(str(params.get(key, "")).split())[:200]
        if not value:
            continue
        if allowed is None or value in allowed:
            found[key] = value
    return found


def paging_urls(request, filters: dict, batch: Batch) -> dict:
    def url(n):
        query = {**filters, **({"trang": n} if n > 1 else {})}
        return request.path_url + ("?" + urlencode(query) if query else "")

    return {
        "prev_url": url(batch.number - 1) if batch.has_previous else None,
        "next_url": url(batch.number + 1) if batch.has_next else None,
    }


def years_between(low, high) -> list[str]:
    low, high = _as_date(low), _as_date(high)
    if low is None or high is None:
        return []
    return [str(y) for y in range(high.year, low.year - 1, -1)]


def catalogue_choices(request) -> dict:
    """What the filter controls offer, from this site's visible documents: three queries."""
    db = request.dbsession
    doc = LegalDocument
    base = (doc.site_id == request.root_node.site_id, may_see_clause(request, doc))
    issuers = db.scalars(
        select(distinct(doc.issuer)).where(*base, doc.issuer != "").order_by(doc.issuer)
    ).all()
    fields: dict[str, str] = {}
    for slug, label in db.execute(
        select(Term.slug, Term.label).join(doc, doc.id == Term.node_id).where(*base, Term.kind == FIELD)
    ):
        fields.setdefault(slug, label)
    low, high = db.execute(select(func.min(doc.issued_on), func.max(doc.issued_on)).where(*base)).one()
    return {
        "loai": dict(DOC_TYPES),
        "co-quan": {i: i for i in issuers},
        "nam": {y: y for y in years_between(low, high)},
        "linh-vuc": dict(sorted(fields.items(), key=lambda kv: fold(kv[1]).lower())),
        "hieu-luc": dict(VALIDITY),
        "q": None,
    }


def _as_date(value):
    # Aggregates over a union come back as text on SQLite.
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def catalogue_query(request, filters: dict):
    doc = LegalDocument
    status = validity_sql()
    q = select(
        doc.id, doc.path, doc.title, doc.number, doc.doc_type, doc.issuer,
        doc.issued_on, doc.effective_on, doc.expiry_on, status.label("status"),
    ).where(doc.site_id == request.root_node.site_id, may_see_clause(request, doc))  # fmt: skip
    if "loai" in filters:
        q = q.where(doc.doc_type == filters["loai"])
    if "co-quan" in filters:
        q = q.where(doc.issuer == filters["co-quan"])
    if "nam" in filters:
        year = int(filters["nam"])
        q = q.where(doc.issued_on >= dt.date(year, 1, 1), doc.issued_on < dt.date(year + 1, 1, 1))
    if "linh-vuc" in filters:
        q = q.where(
            exists().where(Term.node_id == doc.id, Term.kind == FIELD, Term.slug == filters["linh-vuc"])
        )
    if "hieu-luc" in filters:
        q = q.where(status == filters["hieu-luc"])
    if "q" in filters:
        # Every word must match, with or without accents ("quyet dinh", "QĐ-UBND").
        for word in search_fold(filters["q"]).split()[:12]:
            q = q.where(doc.search_text.contains(word, autoescape=True))
    return q.order_by(doc.issued_on.desc().nulls_last(), doc.id.desc())


def legal_catalogue(request):
    choices = catalogue_choices(request)
    filters = clean_filters(request, choices)
    batch = paged(request, catalogue_query(request, filters), PER_PAGE)
    fields = terms_for(request.dbsession, [r.id for r in batch.items], [FIELD])
    return {
        "title": request.t(_("Văn bản")),
        "choices": choices,
        "filters": filters,
        "batch": batch,
        "fields": fields,
        "doc_types": DOC_TYPES,
        "validity": VALIDITY,
        **paging_urls(request, filters, batch),
    }


# --- demo and registration ----------------------------------------------------------


def search_document(obj: LegalDocument) -> dict:
    """What full-text search indexes: number, summary, issuer, signer; facets: field,
    issuer, year of issue."""
    texts = [obj.number, obj.summary, obj.issuer, obj.signer, obj.signer_title, obj.validity_reason]
    return {
        "title": obj.title,
        "description": obj.description,
        "body": "\n".join(t for t in texts if t),
        "field": ", ".join(labels_of(obj, FIELD)),
        "agency": obj.issuer or "",
        "year": obj.issued_on.year if obj.issued_on else None,
    }


def feed_fields(request, ids: list[int]) -> dict[int, FeedFields]:
    """Feeds of documents: number, date of issue, issuer and summary (trích yếu); the
    document type and issuer as categories (one query)."""
    q = select(
        LegalDocument.id, LegalDocument.number, LegalDocument.doc_type, LegalDocument.issuer,
        LegalDocument.issued_on, LegalDocument.summary, LegalDocument.description,
    ).where(LegalDocument.id.in_(ids))  # fmt: skip
    out = {}
    for id_, number, doc_type, issuer, issued_on, summary, description in request.dbsession.execute(q).all():
        head = [
            request.t(_("Số ${number}", mapping={"number": number})) if number else "",
            request.t(_("ban hành ngày ${date}", mapping={"date": format_date(issued_on)}))
            if issued_on
            else "",
            issuer or "",
        ]
        text = ", ".join(p for p in head if p)
        body = summary or description or ""
        kind = request.t(DOC_TYPES[doc_type]) if doc_type in DOC_TYPES else ""
        out[id_] = FeedFields(summary=f"{text}. {body}".strip(". ") if text else body,
                              categories=tuple(c for c in (kind, issuer) if c))  # fmt: skip
    return out


def includeme(config):
    from .demo_legal import documents_loader

    config.add_fixed_page(
        "legal_catalogue",
        "/van-ban",
        legal_catalogue,
        renderer="legal_catalogue.html",
        permission=Permissions.View,
        anonymous_cache="legal-catalogue",
        cache_params=CATALOGUE_PARAMS,
    )
    config.add_content_type(
        LegalDocument,
        title=_("Văn bản"),
        schema=LegalDocumentSchema,
        addable_to=("site", "folder"),
        apply=apply,
        to_appstruct=to_appstruct,
        demo=documents_loader(config.registry.settings),
        search=search_document,
        feed=feed_fields,
        # Relations travel with their source document (portal export/import).
        transfer=(RowTable(DocumentRelation, "source_id"),),
    )
    config.add_catalogue_feeds(
        "legal_documents",
        "/van-ban",
        types=("legal_document",),
        title=_("Văn bản mới và sửa đổi"),
        description=_("Văn bản mới ban hành hoặc vừa cập nhật."),
    )
    config.scan(__name__)
