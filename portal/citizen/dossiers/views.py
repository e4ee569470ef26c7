"""/tra-cuu-ho-so: a citizen looks up a dossier with its code and the receipt's secret
(the form, or the receipt's QR code: GET ?ma=&bm=); the page's QR code; the receipt QR
for staff; /quan-tri/ho-so, the staff list.

What the page shows is the dossier's progress and the applicant's masked name, never
the address (not stored) nor the full name. A wrong code and a wrong secret get the
same message after the same work, so the page never says whether a code exists.
"""

from __future__ import annotations

from urllib.parse import urlencode

import colander
import deform
from pyramid.httpexceptions import HTTPBadRequest
from sqlalchemy import select

from portal.forms import NFCString, make_form
from portal.guard import PublicFormSchema, hit, refuse, validated_public, wait_message
from portal.i18n import _
from portal.listing import paged
from portal.models import Node
from portal.permissions import Permissions
from portal.qr import qr_response, qr_size
from portal.text import format_date
from portal.views.editing import render_form
from portal.workflow import visible_clause

from .models import Dossier, DossierEvent
from .rules import (
    MAX_CODE,
    MAX_SECRET,
    STATUSES,
    is_overdue,
    mask_name,
    normalize_code,
    normalize_secret,
    overdue_clause,
    secret_matches,
)

BUCKET = "dossier_lookup"
NOT_FOUND = _(
    "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Hãy kiểm tra lại hai mã in trên giấy biên nhận."
)
STAFF_PER_PAGE = 50


def receipt_url(page_url: str, code: str, secret: str) -> str:
    """What the receipt's QR code carries: the lookup page with both codes."""
    return f"{page_url}?{urlencode({'ma': code, 'bm': secret})}"


def _code_validator(node, value):
    if normalize_code(value) is None:
        raise colander.Invalid(node, _("Mã hồ sơ chỉ gồm chữ, số và . - _ /, tối đa 64 ký tự."))


def _secret_validator(node, value):
    if normalize_secret(value) is None:
        raise colander.Invalid(node, _("Mã tra cứu gồm 4 đến 32 chữ cái hoặc chữ số."))


class LookupSchema(PublicFormSchema):
    ma = colander.SchemaNode(
        NFCString(),
        title=_("Mã hồ sơ"),
        description=_("Ví dụ: 000.00.12.H12-261126-0001"),
        validator=_code_validator,
        widget=deform.widget.TextInputWidget(attributes={"maxlength": MAX_CODE, "autocomplete": "off"}),
    )
    bm = colander.SchemaNode(
        NFCString(),
        title=_("Mã tra cứu"),
        description=_("Mã ngắn in trên giấy biên nhận, không phân biệt chữ hoa, chữ thường."),
        validator=_secret_validator,
        widget=deform.widget.TextInputWidget(attributes={"maxlength": MAX_SECRET, "autocomplete": "off"}),
    )


def _private(request) -> None:
    # The answer holds personal data, and the URL may hold the secret (receipt QR):
    # no cache keeps it, no Referer carries it to the next site.
    request.response.headers["Cache-Control"] = "no-store"
    request.response.headers["Referrer-Policy"] = "no-referrer"


def _page(request) -> dict:
    page_url = request.route_url("dossier_lookup")
    return {
        "title": request.t(_("Tra cứu hồ sơ")),
        "page_qr": {
            "src": request.route_url("dossier_lookup_qr"),
            "size": qr_size(page_url),
            "url": page_url,
        },
        "result": None,
    }


def lookup_view(request):
    _private(request)
    button = deform.Button("tra_cuu", title=_("Tra cứu"))
    form = make_form(request, LookupSchema(), buttons=(button,), action=request.route_url("dossier_lookup"))
    page = _page(request)
    if request.method == "POST":
        appstruct, failed = validated_public(request, form, page, BUCKET)
        if failed:
            return failed
        return _answer(
            request, form, page, normalize_code(appstruct["ma"]), normalize_secret(appstruct["bm"])
        )
    ma, bm = request.GET.get("ma"), request.GET.get("bm")
    if ma is None and bm is None:
        return {**page, **render_form(request, form)}
    # The receipt's QR code: a read, so no CSRF token, but counted like a submission.
    form.set_appstruct({"ma": ma[:200] if ma else colander.null, "bm": bm[:200] if bm else colander.null})
    wait = hit(request, BUCKET)
    if wait:
        request.response.headers["Retry-After"] = str(wait)
        return refuse(request, form, page, wait_message(wait), status=429)
    return _answer(request, form, page, normalize_code(ma), normalize_secret(bm))


def _answer(request, form, page, code: str | None, secret: str | None):
    key = request.registry.settings["portal.secret"]
    row = None
    if code is not None:
        row = request.dbsession.execute(
            select(Dossier).where(Dossier.site_id == request.root_node.site_id, Dossier.code == code)
        ).scalar_one_or_none()
    # The hash is computed even for an unknown code: the same work for both mistakes.
    if not secret_matches(key, code or "", secret or "", row.secret_hash if row else None):
        return refuse(request, form, page, NOT_FOUND, status=404)
    return {**page, "result": _result(request, row)}


def _procedure_url(request, procedure_id: int | None) -> str | None:
    if procedure_id is None:
        return None
    path = request.dbsession.scalar(select(Node.path).where(Node.id == procedure_id, visible_clause()))
    return request.application_url + path if path else None


def _timeline(request, dossier_id: int) -> list[dict]:
    rows = request.dbsession.execute(
        select(DossierEvent.status, DossierEvent.status_on)
        .where(DossierEvent.dossier_id == dossier_id)
        .order_by(DossierEvent.status_on, DossierEvent.id)
    ).all()
    return [{"status": request.t(STATUSES[r.status]), "on": format_date(r.status_on)} for r in rows]


def _result(request, row: Dossier) -> dict:
    return {
        "timeline": _timeline(request, row.id),
        "code": row.code,
        "procedure": row.procedure_title,
        "procedure_url": _procedure_url(request, row.procedure_id),
        "applicant": mask_name(row.applicant_name),
        "received": format_date(row.received_on),
        "due": format_date(row.due_on),
        "status": request.t(STATUSES[row.status]),
        "status_code": row.status,
        "status_on": format_date(row.status_on),
        "returned": format_date(row.returned_on),
        "overdue": is_overdue(row.status, row.due_on, row.returned_on),
        "updated": format_date(row.updated_at),
    }


def page_qr(request):
    """/tra-cuu-ho-so/qr.svg: the lookup page's address, to print or share."""
    return qr_response(request, request.route_url("dossier_lookup"))


def receipt_qr(request):
    """/tra-cuu-ho-so/bien-nhan-qr.svg?ma=&bm= (staff): the receipt's code, both codes in it."""
    code, secret = normalize_code(request.GET.get("ma")), normalize_secret(request.GET.get("bm"))
    if code is None or secret is None:
        raise HTTPBadRequest(request.t(_("Mã hồ sơ hoặc mã tra cứu không hợp lệ.")))
    response = qr_response(request, receipt_url(request.route_url("dossier_lookup"), code, secret))
    response.cache_control = "private, no-store"  # it carries the secret
    return response


def staff_list(request):
    """/quan-tri/ho-so: the site's dossiers, newest first, filtered by code prefix,
    status or lateness; one query per page."""
    params = request.GET
    status = params.get("trang-thai", "")
    status = status if status in STATUSES else ""
    late = params.get("qua-han") == "1"
    prefix = (normalize_code(params.get("ma")) or "") if params.get("ma") else ""
    query = select(
        Dossier.code,
        Dossier.procedure_title,
        Dossier.applicant_name,
        Dossier.received_on,
        Dossier.due_on,
        Dossier.status,
        Dossier.returned_on,
    ).where(Dossier.site_id == request.root_node.site_id)
    if status:
        query = query.where(Dossier.status == status)
    if late:
        query = query.where(overdue_clause(Dossier))
    if prefix:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Dossier.code.like(escaped + "%", escape="\\"))
    batch = paged(request, query.order_by(Dossier.received_on.desc(), Dossier.id.desc()), STAFF_PER_PAGE)
    rows = [
        {
            "code": r.code,
            "procedure": r.procedure_title,
            "applicant": mask_name(r.applicant_name),
            "received": format_date(r.received_on),
            "due": format_date(r.due_on),
            "status": request.t(STATUSES[r.status]),
            "overdue": is_overdue(r.status, r.due_on, r.returned_on),
        }
        for r in batch.items
    ]
    filters = {
        k: v for k, v in (("ma", prefix), ("trang-thai", status), ("qua-han", "1" if late else "")) if v
    }

    def page_url(number):
        query = {**filters, **({"trang": number} if number > 1 else {})}
        return request.route_url("dossier_staff") + (f"?{urlencode(query)}" if query else "")

    return {
        "title": request.t(_("Hồ sơ thủ tục hành chính")),
        "rows": rows,
        "batch": batch,
        "prev_url": page_url(batch.number - 1) if batch.has_previous else None,
        "next_url": page_url(batch.number + 1) if batch.has_next else None,
        "statuses": [(code, request.t(label)) for code, label in STATUSES.items()],
        "filters": {"ma": prefix, "status": status, "late": late},
    }


def includeme(config):
    config.add_admin_page(
        "dossier_staff",
        _("Hồ sơ thủ tục hành chính"),
        _("Tình trạng hồ sơ nhận từ bộ phận một cửa; mã QR cho giấy biên nhận."),
        permission=Permissions.ManageDossiers,
    )
    config.add_fixed_page(
        "dossier_lookup",
        "/tra-cuu-ho-so",
        lookup_view,
        renderer="dossier_lookup.html",
        permission=Permissions.View,
    )
    for route in ("dossier_lookup", "dossier_lookup_slash"):
        # The form checks its own CSRF token (PublicFormSchema) and keeps what was typed.
        config.add_view(
            lookup_view,
            route_name=route,
            renderer="dossier_lookup.html",
            permission=Permissions.View,
            request_method="POST",
            require_csrf=False,
        )
    config.add_route("dossier_lookup_qr", "/tra-cuu-ho-so/qr.svg")
    config.add_view(
        page_qr, route_name="dossier_lookup_qr", permission=Permissions.View, request_method=("GET", "HEAD")
    )
    config.add_route("dossier_receipt_qr", "/tra-cuu-ho-so/bien-nhan-qr.svg")
    config.add_view(
        receipt_qr,
        route_name="dossier_receipt_qr",
        permission=Permissions.ManageDossiers,
        request_method=("GET", "HEAD"),
    )
    config.add_route("dossier_staff", "/quan-tri/ho-so")
    config.add_view(
        staff_list,
        route_name="dossier_staff",
        renderer="dossier_staff.html",
        permission=Permissions.ManageDossiers,
        request_method=("GET", "HEAD"),
    )
