"""@@workflow (change state with a comment) and @@history."""

from __future__ import annotations

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.view import view_config
from sqlalchemy import select

from ..forms import CSRFSchema, NFCString, make_form
from ..i18n import _
from ..models import Node, WorkflowHistory
from ..permissions import Permissions
from ..workflow import WorkflowError, do_transition
from .editing import render_form, validated


class WorkflowSchema(CSRFSchema):
    comment = colander.SchemaNode(
        NFCString(),
        title=_("Ghi chú"),
        missing="",
        validator=colander.Length(max=2000),
        widget=deform.widget.TextAreaWidget(rows=3),
    )


def _history(request, context: Node):
    return request.dbsession.scalars(
        select(WorkflowHistory)
        .where(WorkflowHistory.node_id == context.id)
        .order_by(WorkflowHistory.at.desc(), WorkflowHistory.id.desc())
    ).all()


@view_config(
    context=Node,
    name="workflow",
    renderer="workflow.html",
    permission=Permissions.View,
    require_csrf=False,
)
def workflow_view(context: Node, request):
    if request.user is None:
        raise HTTPForbidden()
    wf = request.content_types.workflow_for(context)
    allowed = [t for t in wf.available(context.state) if request.has_permission(t.permission, context)]
    buttons = [deform.Button(t.name, title=request.t(t.title)) for t in allowed]
    form = make_form(request, WorkflowSchema(), buttons=buttons, action=request.url)
    page = {
        "context": context,
        "state_title": wf.states[context.state].title if context.state in wf.states else "",
        "transitions": allowed,
        "title": request.t(_("Trạng thái: ${title}"), title=context.title),
    }
    if request.method == "POST":
        chosen = next((t for t in wf.transitions if t in request.POST), None)
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        try:
            if chosen is None:
                raise WorkflowError(_("Hãy chọn một thao tác."))
            do_transition(request, context, chosen, appstruct["comment"])
        except WorkflowError as e:
            request.response.status = 403
            page["error"] = request.t(e.args[0])
            return {**page, **render_form(request, form, appstruct)}
        request.session.flash(
            request.t(
                _("Đã chuyển sang trạng thái “${state}”."),
                state=request.t(wf.states[context.state].title),
            )
        )
        return HTTPFound(request.resource_url(context))
    return {**page, **render_form(request, form)}


@view_config(context=Node, name="history", renderer="history.html", permission=Permissions.Edit)
def history_view(context: Node, request):
    wf = request.content_types.workflow_for(context)
    return {
        "context": context,
        "entries": _history(request, context),
        "states": wf.states,
        "title": request.t(_("Lịch sử: ${title}"), title=context.title),
    }
