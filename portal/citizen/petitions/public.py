"""Public petition pages: the form, the confirmation with the tracking code, and the
progress check. None of them shows a citizen's address, phone or e-mail."""

from __future__ import annotations

import datetime as dt

from pyramid.httpexceptions import HTTPFound
from sqlalchemy import select

from portal.forms import make_form
from portal.guard import hit, validated_public, wait_message
from portal.i18n import _
from portal.mail import link, notify_staff
from portal.models import Node, utcnow
from portal.permissions import Permissions
from portal.text import format_date
from portal.views.editing import render_form
from portal.workflow import visible_clause

from .models import Petition, PetitionAttachment, PetitionEvent, new_code, normalise_code, today
from .schemas import PetitionSchema, attachments_of
from .settings import answers_folder, attachment_max_bytes, due_days

SESSION_CODE = "petition_code"
LATEST_ANSWERS = 5


def no_store(request) -> None:
    request.response.cache_control = "no-store"


def latest_answers(request) -> dict:
    """The newest published answers in the answers folder (one query) and its URL."""
    path = answers_folder(request.registry.settings)
    site = request.root_node.site_id
    rows = request.dbsession.execute(
        select(Node.title, Node.path, Node.effective)
        .where(
            Node.site_id == site,
            Node.type == "question_answer",
            Node.path.startswith(path, autoescape=True),
            visible_clause(),
        )
        .order_by(Node.effective.desc(), Node.id.desc())
        .limit(LATEST_ANSWERS)
    ).all()
    return {"answers": rows, "answers_url": request.application_url + path if rows else None}


def petition_form_view(request):
    form = make_form(request, PetitionSchema(), buttons=("send",), action=request.route_url("petitions"))
    form.buttons[0].title = request.t(_("Gửi phản ánh, kiến nghị"))
    page = {
        "title": request.t(_("Phản ánh, kiến nghị")),
        "files_note": request.t(
            _(
                "Tệp đính kèm: tối đa 3 tệp PDF, ảnh, Word hoặc ODT, mỗi tệp không quá ${mb} MB. "
                "Nếu gửi không thành công, thông tin bạn nhập được giữ lại; tệp đã chọn chỉ được giữ "
                "khi tên tệp hiện bên cạnh ô chọn tệp, nếu không hãy chọn lại tệp.",
                mapping={"mb": f"{attachment_max_bytes(request.registry.settings) / 1024 / 1024:g}"},
            )
        ),
        **latest_answers(request),
    }
    no_store(request)
    if request.method == "POST":
        appstruct, failed = validated_public(request, form, page, "petition")
        if failed:
            return failed
        petition = create_petition(request, appstruct)
        request.session[SESSION_CODE] = petition.code
        return HTTPFound(request.route_url("petition_sent"))
    return {**page, **render_form(request, form)}


def create_petition(request, appstruct: dict) -> Petition:
    db = request.dbsession
    related_title = ""
    if appstruct.get("related_id"):
        related_title = db.scalar(select(Node.title).where(Node.id == appstruct["related_id"])) or ""
    now = utcnow()
    petition = Petition(
        site_id=request.root_node.site_id,
        code=new_code(),
        name=appstruct["name"],
        address=appstruct.get("address") or "",
        phone=appstruct.get("phone") or "",
        email=appstruct.get("email") or "",
        subject=appstruct["subject"],
        content=appstruct["content"],
        related_id=appstruct.get("related_id"),
        related_title=related_title,
        received_at=now,
        modified=now,
        due_on=today() + dt.timedelta(days=due_days(request.registry.settings)),
    )
    petition.attachments = [
        PetitionAttachment(
            position=i, filename=f["filename"], mime_type=f["sniffed"], size=f["size"], sha256=f["sha256"]
        )
        for i, f in enumerate(attachments_of(appstruct))
    ]
    db.add(petition)
    db.flush()
    db.add(
        PetitionEvent(petition_id=petition.id, at=now, detail=request.t(_("Tiếp nhận qua trang thông tin.")))
    )
    url = link(request, request.route_url("petition_admin", id=petition.id))
    notify_staff(
        request,
        request.t(
            _(
                "Phản ánh, kiến nghị mới ${code}: ${subject}",
                mapping={"code": petition.code, "subject": petition.subject[:120]},
            )
        ),
        request.t(
            _(
                "Người gửi: ${name}\nTiêu đề: ${subject}\nHạn xử lý: ${due}\n\nXem và xử lý: ${url}\n",
                mapping={
                    "name": petition.name,
                    "subject": petition.subject,
                    "due": format_date(petition.due_on),
                    "url": url,
                },
            ),
        ),
    )
    return petition


def petition_sent_view(request):
    """The tracking code, once: it is taken out of the session as it is shown."""
    code = request.session.pop(SESSION_CODE, None)
    if not code:
        return HTTPFound(request.route_url("petitions"))
    no_store(request)
    return {
        "title": request.t(_("Đã gửi phản ánh, kiến nghị")),
        "code": code,
        "status_url": request.route_url("petition_status", _query={"ma": code}),
    }


def petition_status_view(request):
    no_store(request)
    raw = request.GET.get("ma", "")
    raw = raw if isinstance(raw, str) else ""
    page = {"title": request.t(_("Tra cứu phản ánh, kiến nghị")), "typed": raw.strip()[:40], "petition": None,
            "not_found": False, "error": None}  # fmt: skip
    if not raw.strip():
        return page
    wait = hit(request, "petition_status")
    if wait:
        request.response.status = 429
        request.response.headers["Retry-After"] = str(wait)
        return {**page, "error": request.t(wait_message(wait))}
    petition = request.dbsession.scalar(
        select(Petition).where(
            Petition.site_id == request.root_node.site_id, Petition.code == normalise_code(raw)
        )
    )
    if petition is None:
        return {**page, "not_found": True}
    document = None
    if petition.answer_document_id and petition.status == "answered":
        document = request.dbsession.execute(
            select(Node.title, Node.path).where(Node.id == petition.answer_document_id, visible_clause())
        ).first()
    return {**page, "petition": petition, "document": document}


def includeme(config):
    view = dict(permission=Permissions.View, require_csrf=False)  # the form checks its own token
    config.add_fixed_page(
        "petitions", "/phan-anh-kien-nghi", petition_form_view, renderer="petition_form.html", **view
    )
    for route in ("petitions", "petitions_slash"):
        config.add_view(
            petition_form_view, route_name=route, request_method="POST", renderer="petition_form.html", **view
        )
    config.add_fixed_page("petition_sent", "/phan-anh-kien-nghi/da-gui", petition_sent_view,
                          renderer="petition_sent.html", permission=Permissions.View)  # fmt: skip
    config.add_fixed_page("petition_status", "/phan-anh-kien-nghi/tra-cuu", petition_status_view,
                          renderer="petition_status.html", permission=Permissions.View)  # fmt: skip
