"""Legal document review (kết quả rà soát, hệ thống hóa) and the lists a review
round publishes (danh mục văn bản hết hiệu lực toàn bộ / một phần, ...)."""

from __future__ import annotations

import datetime as dt

import colander
import deform
from pyramid.view import view_config
from sqlalchemy import Date, ForeignKey, Integer, String, Text, distinct, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.forms import NFCString, date_node, max_rows, select_node, text_node
from portal.i18n import _
from portal.listing import may_see_clause, paged
from portal.models import Base, Node
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema
from portal.transfer.spec import RowTable
from portal.views.editing import default_apply, default_appstruct

from .legal_document import (
    DocumentRef,
    LegalDocument,
    clean_filters,
    paging_urls,
    refs_for,
    years_between,
)

RECOMMENDATIONS = {
    "giu-nguyen": _("Giữ nguyên"),
    "sua-doi-bo-sung": _("Sửa đổi, bổ sung"),
    "thay-the": _("Thay thế"),
    "bai-bo": _("Bãi bỏ"),
    "ngung-hieu-luc": _("Ngưng hiệu lực"),
    "ban-hanh-moi": _("Ban hành mới"),
}
LIST_KINDS = {
    "het-hieu-luc-toan-bo": _("Danh mục văn bản hết hiệu lực toàn bộ"),
    "het-hieu-luc-mot-phan": _("Danh mục văn bản hết hiệu lực một phần"),
    "ngung-hieu-luc": _("Danh mục văn bản ngưng hiệu lực toàn bộ hoặc một phần"),
    "can-sua-doi": _("Danh mục văn bản cần sửa đổi, bổ sung, thay thế, bãi bỏ hoặc ban hành mới"),
    "con-hieu-luc": _("Danh mục văn bản còn hiệu lực"),
}
PER_PAGE = 20


class LegalDocumentReview(Node):
    __tablename__ = "legal_document_reviews"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"), index=True)
    review_round: Mapped[str] = mapped_column(String(64), default="", index=True)  # "2025", "Đợt 1/2025"
    basis: Mapped[str] = mapped_column(Text, default="")
    reviewing_body: Mapped[str] = mapped_column(String(255), default="")
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    assessment: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(String(32), default="giu-nguyen", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    responsible_agency: Mapped[str] = mapped_column(String(255), default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)

    __mapper_args__ = {
        "polymorphic_identity": "legal_document_review",
        # document_id also points at nodes: say which key is the inheritance join.
        "inherit_condition": id == Node.id,
    }


class ReviewList(Node):
    """A published list of a review round or year, e.g. "Danh mục văn bản hết hiệu lực
    toàn bộ năm 2025"."""

    __tablename__ = "review_lists"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    review_round: Mapped[str] = mapped_column(String(64), default="", index=True)
    list_kind: Mapped[str] = mapped_column(String(32), default="het-hieu-luc-toan-bo", index=True)
    issuing_decision: Mapped[str] = mapped_column(String(255), default="")

    entries: Mapped[list[ReviewListEntry]] = relationship(
        "ReviewListEntry",
        primaryjoin="ReviewList.id == foreign(ReviewListEntry.list_id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ReviewListEntry.position",
        lazy="select",
    )

    __mapper_args__ = {"polymorphic_identity": "review_list"}


class ReviewListEntry(Base):
    __tablename__ = "review_list_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A link to the Legal document item where it exists; the text columns are what is shown.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("nodes.id", ondelete="SET NULL"), index=True)
    number: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    expired_on: Mapped[dt.date | None] = mapped_column(Date)


# --- review ------------------------------------------------------------------------


class ReviewSchema(BaseContentSchema):
    document = colander.SchemaNode(
        DocumentRef(),
        title=_("Văn bản được rà soát (số ký hiệu hoặc đường dẫn)"),
        description=_("Ví dụ: 12/2025/QĐ-UBND hoặc /van-ban/quyet-dinh-12/"),
    )
    review_round = text_node(_("Đợt rà soát"), 64, description=_("Ví dụ: 2025 hoặc Đợt 1/2025"))
    basis = text_node(_("Căn cứ rà soát"), 5000, rows=3)
    reviewing_body = text_node(_("Cơ quan rà soát"))
    reviewed_on = date_node(_("Ngày rà soát"))
    assessment = text_node(_("Nội dung đánh giá"), 10000, rows=3)
    recommendation = select_node(_("Kiến nghị"), RECOMMENDATIONS)
    reason = text_node(_("Lý do"), 5000, rows=3)
    responsible_agency = text_node(_("Cơ quan chịu trách nhiệm xử lý"))
    deadline = date_node(_("Thời hạn xử lý"))

    def validate_more(self, node, appstruct):
        super().validate_more(node, appstruct)
        reviewed, deadline = appstruct.get("reviewed_on"), appstruct.get("deadline")
        if reviewed and deadline and deadline < reviewed:
            exc = colander.Invalid(node)
            exc["deadline"] = _("Thời hạn xử lý không được trước ngày rà soát.")
            raise exc


def review_apply(obj: LegalDocumentReview, appstruct: dict) -> None:
    default_apply(obj, {k: v for k, v in appstruct.items() if k != "document"})
    obj.document_id = appstruct["document"]


def review_appstruct(obj: LegalDocumentReview, schema) -> dict:
    data = default_appstruct(obj, schema)
    refs = refs_for(schema.bindings["request"], [obj.document_id])
    data["document"] = refs.get(obj.document_id, colander.null)
    return data


def visible_documents(request, ids) -> dict[int, tuple]:
    """Number, title and path of the documents among ``ids`` the user may see: one query."""
    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    doc = LegalDocument
    rows = request.dbsession.execute(
        select(doc.id, doc.number, doc.title, doc.path).where(doc.id.in_(ids), may_see_clause(request, doc))
    ).all()
    return {r.id: r for r in rows}


@view_config(
    context=LegalDocumentReview,
    renderer="legal_review.html",
    permission=Permissions.View,
    anonymous_cache="legal-review",
)
def review_view(context: LegalDocumentReview, request):
    return {
        "context": context,
        "document": visible_documents(request, [context.document_id]).get(context.document_id),
        "recommendation": RECOMMENDATIONS.get(context.recommendation, ""),
    }


# --- published list ----------------------------------------------------------------


def _entry_dates(node, value):
    issued, expired = value.get("issued_on"), value.get("expired_on")
    if issued and expired and expired < issued:
        exc = colander.Invalid(node)
        exc["expired_on"] = _("Ngày hết hiệu lực không được trước ngày ban hành.")
        raise exc


class EntrySchema(colander.MappingSchema):
    validator = staticmethod(_entry_dates)
    number = text_node(_("Số, ký hiệu"), 100)
    issued_on = date_node(_("Ngày ban hành"))
    title = colander.SchemaNode(
        NFCString(),
        title=_("Tên gọi (trích yếu)"),
        validator=colander.Length(min=1, max=2000),
        widget=deform.widget.TextAreaWidget(rows=2),
    )
    reason = text_node(_("Lý do hết hiệu lực"), 5000, rows=3)
    expired_on = date_node(_("Ngày hết hiệu lực"))
    document = colander.SchemaNode(
        DocumentRef(),
        title=_("Liên kết văn bản trên trang (không bắt buộc)"),
        missing=None,
    )


class EntriesSchema(colander.SequenceSchema):
    validator = staticmethod(max_rows(1000))
    entry = EntrySchema(title=_("Văn bản"))


class ReviewListSchema(BaseContentSchema):
    review_round = text_node(_("Đợt rà soát hoặc năm"), 64)
    list_kind = select_node(_("Loại danh mục"), LIST_KINDS)
    issuing_decision = text_node(_("Quyết định công bố"), description=_("Ví dụ: Quyết định số 45/QĐ-UBND"))
    entries = EntriesSchema(
        title=_("Các văn bản trong danh mục"),
        missing=[],
        widget=deform.widget.SequenceWidget(min_len=0, add_subitem_text_template=_("Thêm văn bản")),
    )


def list_apply(obj: ReviewList, appstruct: dict) -> None:
    default_apply(obj, {k: v for k, v in appstruct.items() if k != "entries"})
    # No unique key on entries: the list is simply rewritten.
    obj.entries = [
        ReviewListEntry(
            position=i,
            number=e["number"],
            issued_on=e["issued_on"],
            title=e["title"].strip(),
            reason=e["reason"],
            expired_on=e["expired_on"],
            document_id=e["document"],
        )
        for i, e in enumerate(appstruct.get("entries") or [])
    ]


def list_appstruct(obj: ReviewList, schema) -> dict:
    data = default_appstruct(obj, schema)
    refs = refs_for(schema.bindings["request"], [e.document_id for e in obj.entries])
    data["entries"] = [
        {
            "number": e.number,
            "issued_on": e.issued_on,
            "title": e.title,
            "reason": e.reason,
            "expired_on": e.expired_on,
            "document": refs.get(e.document_id, colander.null),
        }
        for e in obj.entries
    ]
    return data


@view_config(
    context=ReviewList,
    renderer="review_list.html",
    permission=Permissions.View,
    anonymous_cache="review-list",
)
def review_list_view(context: ReviewList, request):
    entries = context.entries
    return {
        "context": context,
        "kind": LIST_KINDS.get(context.list_kind, ""),
        "entries": entries,
        "documents": visible_documents(request, [e.document_id for e in entries]),
    }


# --- /ra-soat-van-ban --------------------------------------------------------------


def review_choices(request) -> dict:
    db = request.dbsession
    rv = LegalDocumentReview
    base = (rv.site_id == request.root_node.site_id, may_see_clause(request, rv))
    rounds = db.scalars(select(distinct(rv.review_round)).where(*base, rv.review_round != "")).all()
    low, high = db.execute(select(func.min(rv.reviewed_on), func.max(rv.reviewed_on)).where(*base)).one()
    return {
        "dot": {r: r for r in sorted(rounds, reverse=True)},
        "nam": {y: y for y in years_between(low, high)},
        "kien-nghi": dict(RECOMMENDATIONS),
    }


def review_results(request):
    choices = review_choices(request)
    filters = clean_filters(request, choices)
    rv = LegalDocumentReview
    q = select(
        rv.id, rv.title, rv.path, rv.document_id, rv.review_round, rv.reviewed_on,
        rv.recommendation, rv.responsible_agency, rv.deadline,
    ).where(rv.site_id == request.root_node.site_id, may_see_clause(request, rv))  # fmt: skip
    if "dot" in filters:
        q = q.where(rv.review_round == filters["dot"])
    if "nam" in filters:
        year = int(filters["nam"])
        q = q.where(rv.reviewed_on >= dt.date(year, 1, 1), rv.reviewed_on < dt.date(year + 1, 1, 1))
    if "kien-nghi" in filters:
        q = q.where(rv.recommendation == filters["kien-nghi"])
    batch = paged(request, q.order_by(rv.reviewed_on.desc().nulls_last(), rv.id.desc()), PER_PAGE)
    rl = ReviewList
    lists = request.dbsession.execute(
        select(rl.title, rl.path, rl.review_round, rl.list_kind, rl.issuing_decision)
        .where(rl.site_id == request.root_node.site_id, may_see_clause(request, rl))
        .order_by(rl.review_round.desc(), rl.position, rl.id)
        .limit(100)
    ).all()
    return {
        "title": request.t(_("Rà soát văn bản")),
        "choices": choices,
        "filters": filters,
        "batch": batch,
        "documents": visible_documents(request, [r.document_id for r in batch.items]),
        "recommendations": RECOMMENDATIONS,
        "lists": lists,
        "list_kinds": LIST_KINDS,
        **paging_urls(request, filters, batch),
    }


def search_document(obj: LegalDocumentReview) -> dict:
    """What full-text search indexes: the review's texts; the reviewing body as agency."""
    texts = [obj.review_round, obj.basis, obj.reviewing_body, obj.assessment, obj.reason,
             obj.responsible_agency]  # fmt: skip
    return {
        "title": obj.title,
        "description": obj.description,
        "body": "\n".join(t for t in texts if t),
        "agency": obj.reviewing_body or "",
        "year": obj.reviewed_on.year if obj.reviewed_on else None,
    }


def includeme(config):
    from .demo_legal import reviews_loader

    config.add_fixed_page(
        "review_results",
        "/ra-soat-van-ban",
        review_results,
        renderer="review_results.html",
        permission=Permissions.View,
        anonymous_cache="review-results",
        cache_params=("dot", "nam", "kien-nghi", "trang"),
    )
    config.add_content_type(
        LegalDocumentReview,
        title=_("Kết quả rà soát văn bản"),
        schema=ReviewSchema,
        addable_to=("site", "folder"),
        apply=review_apply,
        to_appstruct=review_appstruct,
        demo=reviews_loader,
        recommendations=RECOMMENDATIONS,
        search=search_document,
    )
    config.add_content_type(
        ReviewList,
        title=_("Danh mục văn bản (rà soát)"),
        schema=ReviewListSchema,
        addable_to=("site", "folder"),
        apply=list_apply,
        to_appstruct=list_appstruct,
        transfer=(RowTable(ReviewListEntry, "list_id"),),
    )
    config.scan(__name__)
