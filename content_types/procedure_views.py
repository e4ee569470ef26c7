"""Procedure pages, their form-template downloads and the public catalogue
(/thu-tuc-hanh-chinh) with its filters."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import and_, func, select

from portal import listing
from portal.downloads import blob_response
from portal.i18n import _
from portal.permissions import Permissions
from portal.qr import qr_key, qr_response, qr_size
from portal.text import nfc, search_fold, strip_controls

from .file import human_size
from .legal_document import LegalDocument
from .procedure import (
    CHANNELS,
    LEVELS,
    ONLINE_LEVELS,
    VALIDITY,
    Procedure,
    ProcedureLegalBasis,
)

CATALOGUE = "/thu-tuc-hanh-chinh"
PER_PAGE = 20
MAX_QUERY = 200
MAX_TERMS = 8


def lines(text: str | None) -> list[str]:
    """Plain text shown as paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def legal_basis_rows(request, procedure: Procedure) -> list[dict]:
    """The legal basis with the linked documents the viewer may see: one query."""
    doc = LegalDocument
    q = (
        select(ProcedureLegalBasis, doc.path, doc.title, doc.number, doc.issued_on, doc.issuer)
        .outerjoin(
            doc,
            and_(doc.id == ProcedureLegalBasis.document_id, listing.may_see_clause(request, doc)),
        )
        .where(ProcedureLegalBasis.procedure_id == procedure.id)
        .order_by(ProcedureLegalBasis.position, ProcedureLegalBasis.id)
    )
    out = []
    for basis, path, title, number, issued_on, issuer in request.dbsession.execute(q):
        if path is not None:
            out.append(
                {
                    "url": request.application_url + path,
                    "number": number or basis.number,
                    "summary": title or basis.summary,
                    "issued_on": issued_on or basis.issued_on,
                    "issuer": issuer or basis.issuer,
                }
            )
        else:
            out.append(
                {
                    "url": None,
                    "number": basis.number,
                    "summary": basis.summary,
                    "issued_on": basis.issued_on,
                    "issuer": basis.issuer,
                }
            )
    return out


@view_config(
    context=Procedure,
    renderer="procedure.html",
    permission=Permissions.View,
    anonymous_cache="procedure",
    count_view=True,
)
def procedure_view(context: Procedure, request):
    base = request.resource_url(context, "@@mau")
    components = []
    for row in context.dossier_components or ():
        tpl = row.get("template")
        components.append(
            {
                "name": row.get("name", ""),
                "copies": row.get("copies", ""),
                "template": tpl,
                "url": f"{base}/{tpl['sha256']}/{quote(tpl.get('filename') or 'mau')}" if tpl else None,
                "size": human_size(tpl.get("size") or 0) if tpl else "",
            }
        )
    ways = [
        {**row, "channel_title": CHANNELS.get(row.get("channel"), row.get("channel") or "")}
        for row in context.filing_ways or ()
    ]
    return {
        "context": context,
        "ways": ways,
        "components": components,
        "basis": legal_basis_rows(request, context),
        "level_title": LEVELS.get(context.level, context.level),
        "online_title": ONLINE_LEVELS.get(context.online_level, ""),
        "validity_title": VALIDITY.get(context.validity, ""),
        "lines": lines,
        "qr": _filing_qr(request, context),
    }


def _filing_qr(request, context: Procedure) -> dict | None:
    """The QR code image to the online filing page, for a citizen to scan."""
    if not context.online_url:
        return None
    return {
        "src": request.resource_url(context, "@@qr.svg", query={"v": qr_key(context.online_url)}),
        "size": qr_size(context.online_url),
    }


@view_config(context=Procedure, name="qr.svg", permission=Permissions.View)
def filing_qr_image(context: Procedure, request):
    """/<procedure>/@@qr.svg: the QR code of the online filing address."""
    if not context.online_url:
        raise HTTPNotFound()
    return qr_response(request, context.online_url)


@view_config(context=Procedure, name="mau", permission=Permissions.View)
def template_download(context: Procedure, request):
    """/<procedure>/@@mau/<sha256>/<filename>: a dossier component's form template."""
    sha = request.subpath[0] if request.subpath else ""
    tpl = context.templates().get(sha)
    if tpl is None:
        raise HTTPNotFound()
    return blob_response(
        request, sha, tpl.get("mime_type", ""), tpl.get("filename") or "mau", modified=context.modified,
        fallback="mau",
    )  # fmt: skip


# ------------------------------------------------------------- catalogue ------


def clean_param(request, name: str, max_length: int = 255) -> str:
    """A query parameter as NFC text without control characters; "" if absent or odd."""
    value = request.GET.get(name, "")
    if not isinstance(value, str):
        return ""
    value = " ".join(strip_controls(nfc(value)).split())
    return value if len(value) <= max_length else ""


CATALOGUE_PARAMS = ("q", "field", "level", "agency", "online", "trang")


def read_filters(request) -> dict:
    """The catalogue's filters from the query string. Values outside a vocabulary, too
    long, or otherwise odd are dropped: a bad link shows everything, never an error."""
    f = {
        "q": clean_param(request, "q", MAX_QUERY),
        "field": clean_param(request, "field"),
        "level": clean_param(request, "level", 32),
        "agency": clean_param(request, "agency", 500),
        "online": clean_param(request, "online", 16),
    }
    if f["level"] not in LEVELS:
        f["level"] = ""
    if f["online"] not in ONLINE_LEVELS:
        f["online"] = ""
    return f


def catalogue_conditions(request, filters: dict) -> list:
    conds = [
        Procedure.site_id == request.root_node.site_id,
        listing.may_see_clause(request, Procedure),
    ]
    terms = search_fold(filters["q"]).split()[:MAX_TERMS]
    for term in terms:
        conds.append(Procedure.search_text.contains(term, autoescape=True))
    if filters["field"]:
        conds.append(Procedure.field == filters["field"])
    if filters["level"]:
        conds.append(Procedure.level == filters["level"])
    if filters["agency"]:
        conds.append(Procedure.implementing_agency == filters["agency"])
    if filters["online"]:
        conds.append(Procedure.online_level == filters["online"])
    return conds


def facet_values(request, column) -> list[str]:
    """The distinct non-empty values of a column among the procedures the user may see
    on this site: the options of a filter, in one query."""
    values = request.dbsession.scalars(
        select(column)
        .where(
            Procedure.site_id == request.root_node.site_id,
            listing.may_see_clause(request, Procedure),
            column != "",
        )
        .distinct()
        .limit(300)
    )
    # In Vietnamese alphabetical order ("Đất đai" next to "Dân tộc", not after "Xây dựng").
    return sorted(values, key=lambda v: (search_fold(v), v))


def page_url(request, filters: dict, number: int) -> str:
    params = {k: v for k, v in filters.items() if v}
    if number > 1:
        params[listing.PAGE_PARAM] = number
    query = urlencode(params)
    return request.route_url("procedures") + (f"?{query}" if query else "")


def catalogue_view(request):
    filters = read_filters(request)
    q = (
        select(
            Procedure.path,
            Procedure.title,
            Procedure.code,
            Procedure.level,
            Procedure.field,
            Procedure.implementing_agency,
            Procedure.online_level,
            func.count().over().label("total"),
        )
        .where(*catalogue_conditions(request, filters))
        .order_by(Procedure.search_text, Procedure.id)
    )
    batch = listing.paged(request, q, PER_PAGE)
    number = batch.number
    filtered = any(filters.values())
    return {
        "title": _("Thủ tục hành chính"),
        "filters": filters,
        "filtered": filtered,
        "batch": batch,
        "total": batch.items[0].total if batch.items else 0,
        "fields": facet_values(request, Procedure.field),
        "agencies": facet_values(request, Procedure.implementing_agency),
        "levels": LEVELS,
        "online_levels": ONLINE_LEVELS,
        "base": request.application_url,
        "prev_url": page_url(request, filters, number - 1) if batch.has_previous else None,
        "next_url": page_url(request, filters, number + 1) if batch.has_next else None,
    }


def includeme(config):
    # Fixed routes win over traversal; items of a folder named "thu-tuc-hanh-chinh"
    # still traverse as /thu-tuc-hanh-chinh/<name>/.
    config.add_fixed_page(
        "procedures",
        CATALOGUE,
        catalogue_view,
        renderer="procedure_catalogue.html",
        permission=Permissions.View,
        anonymous_cache="procedures",
        cache_params=CATALOGUE_PARAMS,
    )
    config.add_catalogue_feeds(
        "procedures",
        CATALOGUE,
        types=("procedure",),
        title=_("Thủ tục hành chính mới và sửa đổi"),
        description=_("Thủ tục hành chính mới công bố hoặc vừa cập nhật."),
    )
    config.scan(__name__)
