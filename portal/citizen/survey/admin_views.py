"""Staff pages: the questions (site administrators, ``ManageSurvey``) and the
moderation of free-text answers (``ModerateFeedback``). Plain action buttons are POST
forms checked by Pyramid's default CSRF check; the question form checks its own token."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from sqlalchemy import func, select

from portal.forms import make_form
from portal.i18n import _
from portal.listing import paged
from portal.models import utcnow
from portal.permissions import Permissions
from portal.text import row_id
from portal.views.editing import render_form, validated

from .models import APPROVED, PENDING, REJECTED, SurveyAnswer, SurveyQuestion, SurveyResponse
from .schema import KINDS, question_schema

MODERATION_PER_PAGE = 20
# ?trang-thai= on the moderation page -> stored state, and its tab title.
STATES = {
    "cho-duyet": (PENDING, _("Chờ duyệt")),
    "da-duyet": (APPROVED, _("Đã duyệt")),
    "tu-choi": (REJECTED, _("Đã từ chối")),
}
DECISIONS = {"duyet": APPROVED, "tu-choi": REJECTED}


def site_questions(db, site_id: int):
    return db.scalars(
        select(SurveyQuestion)
        .where(SurveyQuestion.site_id == site_id)
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
    ).all()


def answer_counts(db, site_id: int) -> dict[int, int]:
    """Answers given (a rating or a text) per question, in one query."""
    rows = db.execute(
        select(SurveyAnswer.question_id, func.count())
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .where(
            SurveyQuestion.site_id == site_id,
            (SurveyAnswer.rating.is_not(None)) | (SurveyAnswer.text.is_not(None)),
        )
        .group_by(SurveyAnswer.question_id)
    ).all()
    return dict(rows)


def has_answers(db, question_id: int) -> bool:
    return (
        db.scalar(select(SurveyAnswer.id).where(SurveyAnswer.question_id == question_id).limit(1)) is not None
    )


def question_or_404(request) -> SurveyQuestion:
    qid = row_id(request.matchdict.get("id"))
    question = request.dbsession.get(SurveyQuestion, qid) if qid else None
    if question is None or question.site_id != request.root_node.site_id:
        raise HTTPNotFound()
    return question


def questions_view(request):
    db, site_id = request.dbsession, request.root_node.site_id
    questions = site_questions(db, site_id)
    counts = answer_counts(db, site_id)
    return {
        "title": request.t(_("Câu hỏi khảo sát")),
        "questions": questions,
        "counts": counts,
        "kinds": KINDS,
    }


def question_form_view(request):
    db, site_id = request.dbsession, request.root_node.site_id
    question = question_or_404(request) if "id" in request.matchdict else None
    answered = question is not None and has_answers(db, question.id)
    action = (
        request.route_url("survey_question_edit", id=question.id)
        if question
        else request.route_url("survey_question_add")
    )
    form = make_form(request, question_schema(request, answered), buttons=("save",), action=action)
    page = {
        "title": request.t(_("Sửa câu hỏi khảo sát") if question else _("Thêm câu hỏi khảo sát")),
        "answered": answered,
    }
    if request.method == "POST":
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        if question is None:
            last = db.scalar(
                select(func.max(SurveyQuestion.position)).where(SurveyQuestion.site_id == site_id)
            )
            question = SurveyQuestion(site_id=site_id, position=(last or 0) + 1, created=utcnow())
            db.add(question)
        question.text = appstruct["text"]
        if "kind" in appstruct:
            question.kind = appstruct["kind"]
        question.required = appstruct["required"]
        question.active = appstruct["active"]
        request.session.flash(request.t(_("Đã lưu câu hỏi.")))
        return HTTPSeeOther(request.route_url("survey_questions"))
    values = (
        {
            "text": question.text,
            "kind": question.kind,
            "required": question.required,
            "active": question.active,
        }
        if question
        else {"active": True}
    )
    return {**page, **render_form(request, form, values)}


def question_action_view(request):
    """len / xuong (move up, down), tat / bat (deactivate, reactivate), xoa (delete:
    only a question nobody answered; one with answers is deactivated instead)."""
    db = request.dbsession
    question = question_or_404(request)
    action = request.matchdict["action"]
    if action in ("len", "xuong"):
        questions = list(site_questions(db, question.site_id))
        i = questions.index(question)
        j = i - 1 if action == "len" else i + 1
        if 0 <= j < len(questions):
            questions[i], questions[j] = questions[j], questions[i]
        for position, q in enumerate(questions, start=1):
            q.position = position
    elif action in ("tat", "bat"):
        question.active = action == "bat"
        request.session.flash(
            request.t(_("Đã ngừng dùng câu hỏi; các câu trả lời cũ và kết quả vẫn được giữ."))
            if action == "tat"
            else request.t(_("Câu hỏi đã được dùng lại."))
        )
    elif action == "xoa":
        if has_answers(db, question.id):
            question.active = False
            request.session.flash(
                request.t(_("Câu hỏi đã có câu trả lời nên không xóa được; đã chuyển sang ngừng dùng."))
            )
        else:
            db.delete(question)
            request.session.flash(request.t(_("Đã xóa câu hỏi.")))
    else:
        raise HTTPNotFound()
    return HTTPSeeOther(request.route_url("survey_questions"))


def moderation_state(request) -> str:
    key = request.GET.get("trang-thai", "cho-duyet")
    return key if key in STATES else "cho-duyet"


def moderation_view(request):
    site_id = request.root_node.site_id
    key = moderation_state(request)
    state = STATES[key][0]
    query = (
        select(
            SurveyAnswer.id,
            SurveyAnswer.text,
            SurveyAnswer.moderated_at,
            SurveyQuestion.text.label("question"),
            SurveyResponse.created,
        )
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyQuestion.site_id == site_id, SurveyAnswer.moderation == state)
        # The oldest waiting first; decided ones newest first.
        .order_by(
            SurveyResponse.created.asc() if state == PENDING else SurveyAnswer.moderated_at.desc(),
            SurveyAnswer.id,
        )
    )
    batch = paged(request, query, MODERATION_PER_PAGE)
    base = request.route_url("survey_moderation", _query={"trang-thai": key})
    return {
        "title": request.t(_("Duyệt ý kiến khảo sát")),
        "states": STATES,
        "current": key,
        "batch": batch,
        "prev_url": f"{base}&trang={batch.number - 1}" if batch.has_previous else None,
        "next_url": f"{base}&trang={batch.number + 1}" if batch.has_next else None,
        "back": {"trang-thai": key, "trang": batch.number},
    }


def decide_view(request):
    db = request.dbsession
    aid = row_id(request.matchdict.get("id"))
    decision = DECISIONS.get(request.matchdict.get("decision"))
    answer = db.get(SurveyAnswer, aid) if aid else None
    question = db.get(SurveyQuestion, answer.question_id) if answer is not None else None
    if (
        decision is None
        or question is None
        or question.site_id != request.root_node.site_id
        or not answer.moderation
    ):
        raise HTTPNotFound()
    answer.moderation = decision
    answer.moderated_at = utcnow()
    answer.moderator_id = request.identity_obj.user.id if request.identity_obj else None
    request.session.flash(
        request.t(_("Đã duyệt ý kiến; ý kiến được công bố trên trang kết quả."))
        if decision == APPROVED
        else request.t(_("Đã từ chối ý kiến; ý kiến không được công bố."))
    )
    # Back to the list the moderator was on: built from known values, never a URL sent.
    key = request.POST.get("trang-thai")
    query = {"trang-thai": key} if key in STATES else {}
    number = row_id(request.POST.get("trang"))
    if number and number > 1:
        query["trang"] = number
    return HTTPSeeOther(request.route_url("survey_moderation", _query=query))


def includeme(config):
    config.add_admin_page(
        "survey_moderation",
        _("Duyệt ý kiến khảo sát"),
        _("Ý kiến viết trong phiếu khảo sát, công bố sau khi duyệt."),
        permission=Permissions.ModerateFeedback,
    )
    config.add_admin_page(
        "survey_questions",
        _("Câu hỏi khảo sát"),
        _("Các câu hỏi của phiếu khảo sát mức độ hài lòng."),
        permission=Permissions.ManageSurvey,
    )
    manage = {"permission": Permissions.ManageSurvey}
    config.add_route("survey_questions", "/quan-tri/khao-sat")
    config.add_view(
        questions_view,
        route_name="survey_questions",
        renderer="survey_questions.html",
        request_method=("GET", "HEAD"),
        **manage,
    )
    config.add_route("survey_question_add", "/quan-tri/khao-sat/them")
    config.add_route("survey_question_edit", "/quan-tri/khao-sat/{id}/sua")
    for route in ("survey_question_add", "survey_question_edit"):
        config.add_view(
            question_form_view,
            route_name=route,
            renderer="form.html",
            request_method=("GET", "HEAD", "POST"),
            require_csrf=False,  # the form checks its own token
            **manage,
        )
    config.add_route("survey_question_action", "/quan-tri/khao-sat/{id}/{action}")
    config.add_view(
        question_action_view, route_name="survey_question_action", request_method="POST", **manage
    )
    moderate = {"permission": Permissions.ModerateFeedback}
    config.add_route("survey_moderation", "/quan-tri/khao-sat/y-kien")
    config.add_view(
        moderation_view,
        route_name="survey_moderation",
        renderer="survey_moderation.html",
        request_method=("GET", "HEAD"),
        **moderate,
    )
    config.add_route("survey_decide", "/quan-tri/khao-sat/y-kien/{id}/{decision}")
    config.add_view(decide_view, route_name="survey_decide", request_method="POST", **moderate)
