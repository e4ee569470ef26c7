"""Staff pages for petitions (Permissions.HandlePetitions at the site root): the list,
one petition (classify, assign, due date, answer, status; its history), its files,
and publishing its answer as a public question-and-answer."""

from __future__ import annotations

from urllib.parse import urlencode

import colander
from pyramid.httpexceptions import HTTPFound, HTTPNotFound
from sqlalchemy import select

from portal import tree
from portal.downloads import INLINE_TYPES, blob_response
from portal.forms import make_form
from portal.i18n import _
from portal.listing import paged
from portal.models import Node, utcnow
from portal.permissions import Permissions
from portal.registry import AddNotAllowed
from portal.text import TZ, format_date, row_id
from portal.views.editing import default_apply, render_form, validated
from portal.workflow import WorkflowError, do_transition

from .models import ANSWERED, STATUSES, Petition, PetitionEvent, overdue_clause, today
from .schemas import HandleSchema
from .settings import answers_folder, departments

PER_PAGE = 30


# --- the list ----------------------------------------------------------------------


def list_filters(request) -> dict:
    """Filters from the query string; anything not offered is dropped."""
    params = request.GET
    found = {}
    status = params.get("trang-thai", "")
    if status in STATUSES:
        found["trang-thai"] = status
    if params.get("qua-han") == "1":
        found["qua-han"] = "1"
    department = " ".join(str(params.get("don-vi", "")).split())
    if department and department in departments(request.registry.settings):
        found["don-vi"] = department
    return found


def list_query(request, filters: dict):
    p = Petition
    q = select(
        p.id, p.code, p.received_at, p.subject, p.status, p.department, p.due_on, p.published_id
    ).where(p.site_id == request.root_node.site_id)
    if "trang-thai" in filters:
        q = q.where(p.status == filters["trang-thai"])
    if "qua-han" in filters:
        q = q.where(overdue_clause())
    if "don-vi" in filters:
        q = q.where(p.department == filters["don-vi"])
    return q.order_by(p.received_at.desc(), p.id.desc())


def petitions_list_view(request):
    filters = list_filters(request)
    batch = paged(request, list_query(request, filters), PER_PAGE)

    def url(n):
        query = {**filters, **({"trang": n} if n > 1 else {})}
        return request.path_url + ("?" + urlencode(query) if query else "")

    on = today()
    return {
        "title": request.t(_("Phản ánh, kiến nghị")),
        "filters": filters,
        "statuses": STATUSES,
        "departments": departments(request.registry.settings),
        "batch": batch,
        "rows": [
            {"r": r, "overdue": r.status not in ("answered", "rejected") and r.due_on < on}
            for r in batch.items
        ],
        "prev_url": url(batch.number - 1) if batch.has_previous else None,
        "next_url": url(batch.number + 1) if batch.has_next else None,
    }


# --- one petition --------------------------------------------------------------------


def petition_of(request) -> Petition:
    pid = row_id(request.matchdict.get("id"))
    petition = request.dbsession.get(Petition, pid) if pid else None
    if petition is None or petition.site_id != request.root_node.site_id:
        raise HTTPNotFound()
    return petition


def record(request, petition: Petition, detail: str) -> None:
    user = request.user
    request.dbsession.add(
        PetitionEvent(
            petition_id=petition.id,
            at=utcnow(),
            actor_id=user.id if user else None,
            actor_name=user.display_name if user else "",
            detail=detail,
        )
    )


def node_titles(request, ids) -> dict[int, tuple[str, str]]:
    ids = [i for i in ids if i]
    if not ids:
        return {}
    rows = request.dbsession.execute(select(Node.id, Node.title, Node.path).where(Node.id.in_(ids))).all()
    return {r.id: (r.title, request.application_url + r.path) for r in rows}


def changes(request, petition: Petition, appstruct: dict) -> list[str]:
    """What the form changes, in words for the history ("Trạng thái: A → B")."""
    t = request.t
    out = []
    if appstruct["status"] != petition.status:
        old, new = t(STATUSES.get(petition.status, "")), t(STATUSES[appstruct["status"]])
        out.append(t(_("Trạng thái: ${old} → ${new}", mapping={"old": old, "new": new})))
    if appstruct["field"] != petition.field:
        out.append(t(_("Lĩnh vực: ${value}", mapping={"value": appstruct["field"] or "—"})))
    if appstruct["department"] != petition.department:
        out.append(t(_("Giao cho: ${value}", mapping={"value": appstruct["department"] or "—"})))
    if appstruct["due_on"] != petition.due_on:
        out.append(t(_("Hạn xử lý: ${old} → ${new}", mapping={
            "old": format_date(petition.due_on), "new": format_date(appstruct["due_on"])})))  # fmt: skip
    if appstruct["answer"] != petition.answer:
        out.append(t(_("Cập nhật nội dung trả lời")))
    if appstruct["answer_document_id"] != petition.answer_document_id:
        title = node_titles(request, [appstruct["answer_document_id"]]).get(appstruct["answer_document_id"])
        out.append(t(_("Văn bản trả lời: ${value}", mapping={"value": title[0] if title else "—"})))
    return out


def petition_view(request):
    petition = petition_of(request)
    url = request.route_url("petition_admin", id=petition.id)
    form = make_form(request, HandleSchema(), buttons=("save",), action=url)
    page = detail_page(request, petition)
    if request.method == "POST":
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        done = changes(request, petition, appstruct)
        if done:
            if appstruct["status"] == ANSWERED and petition.status != ANSWERED:
                petition.answered_at = utcnow()
            for key in ("status", "field", "department", "due_on", "answer", "answer_document_id"):
                setattr(petition, key, appstruct[key])
            petition.modified = utcnow()
            record(request, petition, "; ".join(done))
            request.session.flash(request.t(_("Đã lưu.")))
        else:
            request.session.flash(request.t(_("Không có thay đổi.")))
        return HTTPFound(url)
    values = {
        k: getattr(petition, k)
        for k in ("status", "field", "department", "due_on", "answer", "answer_document_id")
    }
    values = {k: colander.null if v is None else v for k, v in values.items()}
    return {**page, **render_form(request, form, values)}


def detail_page(request, petition: Petition) -> dict:
    events = request.dbsession.scalars(
        select(PetitionEvent)
        .where(PetitionEvent.petition_id == petition.id)
        .order_by(PetitionEvent.at, PetitionEvent.id)
    ).all()
    nodes = node_titles(request, [petition.related_id, petition.published_id])
    return {
        "title": request.t(_("Phản ánh, kiến nghị ${code}", mapping={"code": petition.code})),
        "petition": petition,
        "events": events,
        "related": nodes.get(petition.related_id),
        "published": nodes.get(petition.published_id),
        "list_url": request.route_url("petitions_admin"),
        "publish_url": request.route_url("petition_publish", id=petition.id),
        "inline_types": INLINE_TYPES,
    }


def attachment_view(request):
    petition = petition_of(request)
    att_id = row_id(request.matchdict.get("att"))
    att = next((a for a in petition.attachments if a.id == att_id), None)
    if att is None:
        raise HTTPNotFound()
    # Staff only (the view's permission); blob_response marks it private, no-store.
    return blob_response(
        request, att.sha256, att.mime_type, att.filename, inline=request.params.get("inline") == "1"
    )


# --- publishing the answer ------------------------------------------------------------

# The publishing fields of the type's form that a published answer does not need here.
NOT_ASKED = ("name", "effective", "expires", "exclude_from_nav", "language")


def publish_view(request):
    petition = petition_of(request)
    info = request.content_types.get("question_answer")
    folder_path = answers_folder(request.registry.settings)
    folder = request.dbsession.scalar(
        select(Node).where(Node.site_id == request.root_node.site_id, Node.path == folder_path)
    )
    page = {
        "title": request.t(_("Công khai câu trả lời ${code}", mapping={"code": petition.code})),
        "petition": petition,
        "detail_url": request.route_url("petition_admin", id=petition.id),
        "folder_path": folder_path,
        "problem": None,
    }
    if petition.published_id and request.dbsession.get(Node, petition.published_id) is not None:
        # One public answer per petition: edit that item instead of making a second.
        request.session.flash(request.t(_("Câu trả lời này đã được công khai.")))
        return HTTPFound(page["detail_url"])
    if info is None or folder is None:
        request.response.status = 409
        page["problem"] = request.t(_(
            "Chưa có thư mục “${path}” để đăng câu hỏi, trả lời. Hãy tạo thư mục này "
            "(hoặc đổi thiết lập portal.petitions.answers_folder) rồi thử lại.",
            mapping={"path": folder_path}))  # fmt: skip
        return {**page, "form": ""}
    try:
        # The folder must take this type, and this user must be allowed to add it there.
        request.content_types.check_add(request, folder, info.name)
    except AddNotAllowed:
        request.response.status = 409
        page["problem"] = request.t(_(
            "Không thể đăng câu hỏi, trả lời vào “${path}”: mục này không nhận loại nội dung đó, "
            "hoặc bạn không có quyền thêm nội dung vào đó.",
            mapping={"path": folder_path}))  # fmt: skip
        return {**page, "form": ""}
    schema = info.schema()
    for name in NOT_ASKED:
        if name in schema:
            del schema[name]
    url = request.route_url("petition_publish", id=petition.id)
    form = make_form(
        request, schema.bind(request=request, context=folder, mode="add"), buttons=("save",), action=url
    )
    form.buttons[0].title = request.t(_("Đăng công khai"))
    if request.method == "POST":
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        node = info.model()
        node.owner_id = request.user.id
        node.state = info.workflow.initial
        (info.apply or default_apply)(node, appstruct)
        node.created = node.modified = utcnow()
        db = request.dbsession
        try:
            tree.add_child(db, folder, node, name=node.title)
        except tree.TreeError:
            request.response.status = 400
            return {
                **page,
                "problem": request.t(_("Không tạo được mục trong thư mục này.")),
                **render_form(request, form, appstruct),
            }
        db.flush()
        try:
            do_transition(request, node, "publish")
            message = _("Đã đăng câu hỏi, trả lời.")
        except WorkflowError:
            # An editor may not publish: the item waits for a reviewer.
            do_transition(request, node, "submit")
            message = _("Đã gửi câu hỏi, trả lời để duyệt đăng.")
        petition.published_id = node.id
        petition.modified = utcnow()
        record(
            request, petition, request.t(_("Công khai câu trả lời: ${title}", mapping={"title": node.title}))
        )
        request.session.flash(request.t(message))
        return HTTPFound(request.route_url("petition_admin", id=petition.id))
    prefill = {
        "title": petition.subject,
        "question": petition.content,
        "answer": petition.answer or colander.null,
        "answering_document_id": petition.answer_document_id,
        "field": petition.field,
        "asked_on": petition.received_at.astimezone(TZ).date(),
        "answered_on": (petition.answered_at or utcnow()).astimezone(TZ).date(),
    }
    return {**page, **render_form(request, form, prefill)}


def includeme(config):
    config.add_admin_page(
        "petitions_admin",
        _("Phản ánh, kiến nghị"),
        _("Phân loại, giao đơn vị, trả lời và theo dõi hạn xử lý; công khai câu trả lời."),
        permission=Permissions.HandlePetitions,
    )
    staff = dict(permission=Permissions.HandlePetitions)
    form = dict(staff, request_method=("GET", "HEAD", "POST"), require_csrf=False)  # forms check their token
    config.add_route("petitions_admin", "/quan-tri/phan-anh-kien-nghi")
    config.add_view(petitions_list_view, route_name="petitions_admin", renderer="petitions_admin.html",
                    request_method=("GET", "HEAD"), **staff)  # fmt: skip
    config.add_route("petition_admin", "/quan-tri/phan-anh-kien-nghi/{id}")
    config.add_view(petition_view, route_name="petition_admin", renderer="petition_admin.html", **form)
    config.add_route("petition_attachment", "/quan-tri/phan-anh-kien-nghi/{id}/tep/{att}")
    config.add_view(
        attachment_view, route_name="petition_attachment", request_method=("GET", "HEAD"), **staff
    )
    config.add_route("petition_publish", "/quan-tri/phan-anh-kien-nghi/{id}/cong-khai")
    config.add_view(publish_view, route_name="petition_publish", renderer="petition_publish.html", **form)
