"""Public pages: the form (/khao-sat), the thank-you page, the published results
(/khao-sat/ket-qua). Nothing here is cached: the results change with every response
and are a handful of small queries."""

from __future__ import annotations

import deform
from pyramid.httpexceptions import HTTPSeeOther
from sqlalchemy import select

from portal.forms import make_form
from portal.guard import validated_public
from portal.i18n import _
from portal.listing import paged
from portal.models import utcnow
from portal.permissions import Permissions
from portal.views.editing import render_form

from .models import PENDING, RATING, SurveyAnswer, SurveyQuestion, SurveyResponse
from .results import approved_comments, rating_results
from .schema import RATING_LABELS, field_name, normalise_code, public_schema

COMMENTS_PER_PAGE = 20


def active_questions(db, site_id: int):
    return db.scalars(
        select(SurveyQuestion)
        .where(SurveyQuestion.site_id == site_id, SurveyQuestion.active.is_(True))
        .order_by(SurveyQuestion.position, SurveyQuestion.id)
    ).all()


def save_response(db, site_id: int, questions, appstruct, now=None) -> SurveyResponse:
    """One response row and one answer row per question (an unanswered optional
    question is an answer with neither rating nor text, so counts stay per response)."""
    response = SurveyResponse(
        site_id=site_id, created=now or utcnow(), dossier_code=appstruct.get("dossier_code")
    )
    db.add(response)
    db.flush()
    for q in questions:
        value = appstruct.get(field_name(q.id))
        answer = SurveyAnswer(response_id=response.id, question_id=q.id)
        if q.kind == RATING:
            answer.rating = int(value) if value else None
        elif value:
            answer.text, answer.moderation = value, PENDING
        db.add(answer)
    return response


def survey_view(request):
    db, site_id = request.dbsession, request.root_node.site_id
    questions = active_questions(db, site_id)
    page = {"title": request.t(_("Khảo sát mức độ hài lòng")), "closed": not questions}
    if not questions:
        return page
    form = make_form(
        request,
        public_schema(request, questions),
        buttons=(deform.Button("send", title=_("Gửi đánh giá")),),
        action=request.route_url("survey"),
    )
    if request.method == "POST":
        appstruct, failed = validated_public(request, form, page, "survey")
        if failed:
            return failed
        save_response(db, site_id, questions, appstruct)
        return HTTPSeeOther(request.route_url("survey_thanks"))
    # ?ma=<code>: the link printed on a receipt fills in the dossier code.
    code = normalise_code(request.GET.get("ma"))
    return {**page, **render_form(request, form, {"dossier_code": code} if code else {})}


def thanks_view(request):
    return {"title": request.t(_("Cảm ơn bạn đã tham gia khảo sát"))}


def results_view(request):
    db, site_id = request.dbsession, request.root_node.site_id
    responses, results = rating_results(db, site_id, utcnow())
    comments = paged(request, approved_comments(site_id), COMMENTS_PER_PAGE)
    request.response.cache_control = "no-cache"
    return {
        "title": request.t(_("Kết quả khảo sát mức độ hài lòng")),
        "responses": responses,
        "results": results,
        "labels": RATING_LABELS,
        "batch": comments,
    }


def includeme(config):
    public = {"permission": Permissions.View}
    config.add_fixed_page("survey", "/khao-sat", survey_view, renderer="survey.html", **public)
    for route in ("survey", "survey_slash"):
        config.add_view(
            survey_view,
            route_name=route,
            renderer="survey.html",
            request_method="POST",
            require_csrf=False,  # the form checks its own token (PublicFormSchema)
            **public,
        )
    config.add_fixed_page(
        "survey_thanks", "/khao-sat/cam-on", thanks_view, renderer="survey_thanks.html", **public
    )
    config.add_fixed_page(
        "survey_results", "/khao-sat/ket-qua", results_view, renderer="survey_results.html", **public
    )
