"""What readers see: approved feedback under an item (loaded for the item's page by a
``BeforeRender`` subscriber, so types never import this package) and the form at
``<item>/@@phan-hoi``.

The item's page is cached whole for anonymous visitors, so it holds no CSRF token: it
shows the approved feedback and links to the form, a separate page that is never cached.
"""

from __future__ import annotations

from html import escape

import colander
import deform
from pyramid.events import BeforeRender, subscriber
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import func, select

from portal.forms import NFCString, make_form
from portal.guard import PublicFormSchema, validated_public
from portal.i18n import _
from portal.mail import link, notify_staff
from portal.models import Node, utcnow
from portal.permissions import Permissions
from portal.views.editing import render_form
from portal.workflow import visible_to_anonymous

from .models import APPROVED, MAX_CONTENT, MAX_EMAIL, MAX_NAME, PENDING, Feedback

FORM_VIEW = "phan-hoi"
ANCHOR = "phan-hoi"
# Newest first; an article with more approved feedback shows the latest ones.
SHOWN = 50


def takes_feedback(request, node) -> bool:
    """Items of types registered with ``feedback=True``."""
    if not isinstance(node, Node):
        return False
    info = request.content_types.info_for(node)
    return bool(info and info.extra.get("feedback"))


def approved_feedback(request, node: Node) -> dict:
    """The newest approved feedback of ``node`` and how many there are, in one query.
    Only what the page may show is selected: never the e-mail."""
    q = (
        select(Feedback.id, Feedback.name, Feedback.created, Feedback.content, func.count().over())
        .where(Feedback.node_id == node.id, Feedback.status == APPROVED)
        .order_by(Feedback.created.desc(), Feedback.id.desc())
        .limit(SHOWN)
    )
    rows = request.dbsession.execute(q).all()
    items = [{"id": r[0], "name": r[1], "created": r[2], "lines": r[3].splitlines()} for r in rows]
    return {
        "items": items,
        "total": rows[0][4] if rows else 0,
        "form_url": request.resource_url(node, "@@" + FORM_VIEW),
    }


@subscriber(BeforeRender)
def add_feedback_block(event):
    """``feedback`` for the templates of an item's own page (not its editing views)."""
    request = event.get("request")
    context = event.get("context")
    if request is None or "feedback" in event or not takes_feedback(request, context):
        return
    # Error pages have no view name; an item's other views (@@edit, @@in) show none.
    if getattr(request, "view_name", "") or request.__dict__.get("exception") is not None:
        return
    event["feedback"] = approved_feedback(request, context)


class FeedbackSchema(PublicFormSchema):
    name = colander.SchemaNode(
        NFCString(),
        title=_("Họ và tên"),
        validator=colander.Length(max=MAX_NAME),
        widget=deform.widget.TextInputWidget(attributes={"autocomplete": "name", "maxlength": str(MAX_NAME)}),
    )
    email = colander.SchemaNode(
        NFCString(),
        title=_("Thư điện tử"),
        description=_("Không bắt buộc. Không được công bố; chỉ cán bộ dùng để liên hệ khi cần."),
        validator=colander.All(colander.Length(max=MAX_EMAIL), colander.Email()),
        missing="",
        widget=deform.widget.TextInputWidget(
            attributes={"type": "email", "autocomplete": "email", "maxlength": str(MAX_EMAIL)}
        ),
    )
    content = colander.SchemaNode(
        NFCString(),
        title=_("Nội dung phản hồi"),
        description=_("Tối đa 2.000 ký tự."),
        validator=colander.Length(max=MAX_CONTENT),
        widget=deform.widget.TextAreaWidget(rows=8),
    )


def feedback_form(request, context: Node) -> deform.Form:
    return make_form(
        request,
        FeedbackSchema(),
        buttons=(deform.Button("send", title=_("Gửi phản hồi")),),
        action=request.resource_url(context, "@@" + FORM_VIEW),
    )


FIELDSET = '<fieldset class="deform-form-fieldset">'


def with_legend(request, page: dict) -> dict:
    """The form's fieldset named "Thông tin người gửi phản hồi". deform's own form title
    would do it, but its templates then take that title for every field's label too."""
    legend = escape(request.t(_("Thông tin người gửi phản hồi")))
    page["form"] = page["form"].replace(FIELDSET, f"{FIELDSET}<legend>{legend}</legend>", 1)
    return page


def _notify(request, context: Node, item: Feedback) -> None:
    queue = link(request, request.route_url("feedback_queue", _query={"trang-thai": "cho-duyet"}))
    # One line: a title holding a line break must not break (or inject) mail headers.
    subject = request.t(_("Phản hồi mới về “${title}”"), title=" ".join(context.title.split())[:150])
    body = "\n".join(
        (
            request.t(_("Bài viết: ${title}"), title=context.title),
            link(request, request.resource_url(context)),
            request.t(_("Người gửi: ${name}"), name=item.name),
            request.t(_("Thư điện tử: ${email}"), email=item.email or "—"),
            "",
            item.content,
            "",
            request.t(_("Duyệt hoặc từ chối tại: ${url}"), url=queue),
        )
    )
    notify_staff(request, subject, body)


@view_config(
    context=Node,
    name=FORM_VIEW,
    renderer="feedback_form.html",
    permission=Permissions.View,
    request_method=("GET", "HEAD", "POST"),
    require_csrf=False,  # the form checks its own token (and keeps what was typed)
)
def feedback_form_view(context: Node, request):
    # Only on items that take feedback and that anonymous visitors may read: an
    # editor looking at a draft cannot collect feedback on it either.
    if not takes_feedback(request, context) or not visible_to_anonymous(context):
        raise HTTPNotFound()
    form = feedback_form(request, context)
    page = {
        "title": request.t(_("Gửi phản hồi")),
        "context": context,
        "item_url": request.resource_url(context),
    }
    if request.method != "POST":
        return with_legend(request, {**page, **render_form(request, form)})
    appstruct, failed = validated_public(request, form, page, "feedback")
    if failed:
        return with_legend(request, failed)
    item = Feedback(
        node_id=context.id,
        name=appstruct["name"],
        email=appstruct["email"] or "",
        content=appstruct["content"],
        status=PENDING,
        created=utcnow(),
    )
    request.dbsession.add(item)
    _notify(request, context, item)
    request.session.flash(
        request.t(_("Cảm ơn bạn đã gửi phản hồi. Phản hồi sẽ hiển thị sau khi được kiểm duyệt."))
    )
    return HTTPSeeOther(request.resource_url(context) + "#" + ANCHOR)
