"""@@nguon-tin on a folder: its feed subscriptions, add, delete, and "Lấy tin ngay".

Whoever may edit the folder and add news articles in it manages its feeds; the
check is made on the server for every view here, whatever the toolbar shows.
"""

from __future__ import annotations

import colander
import deform
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import func, select

from ..forms import CSRFSchema, NFCString, make_form, select_node
from ..i18n import _
from ..models import Node
from ..permissions import Permissions
from ..registry import AddNotAllowed
from ..text import row_id
from ..views.editing import render_form, validated
from .fetch import check_url
from .importer import NEWS, may_publish, pull, settings_for
from .models import FeedSubscription, ImportedEntry

FOLDER = "folder"
MODES = {
    "pending": _("Để chờ duyệt trước khi xuất bản"),
    "publish": _("Xuất bản ngay"),
}


def _check_access(request, context: Node) -> None:
    if context.type != FOLDER:
        raise HTTPNotFound()
    try:
        request.content_types.check_add(request, context, NEWS)
    except AddNotAllowed:
        raise HTTPForbidden(_("Bạn không có quyền quản lý nguồn tin của thư mục này.")) from None


def _feed_url(node, value):
    try:
        check_url(value)
    except ValueError:
        raise colander.Invalid(
            node, _("Địa chỉ phải bắt đầu bằng http:// hoặc https:// và có tên miền.")
        ) from None


class SubscriptionSchema(CSRFSchema):
    url = colander.SchemaNode(
        NFCString(),
        title=_("Địa chỉ nguồn tin (RSS hoặc Atom)"),
        description=_("Ví dụ: https://tinh.gov.vn/tin-tuc/rss.xml"),
        validator=colander.All(colander.Length(max=2048), _feed_url),
    )
    mode = select_node(_("Tin nhập về"), MODES, default="pending")

    def validate_more(self, node, appstruct):
        request = self.bindings["request"]
        context = request.context  # make_form binds the request only
        db = request.dbsession
        taken = db.scalar(
            select(FeedSubscription.id).where(
                FeedSubscription.folder_id == context.id, FeedSubscription.url == check_url(appstruct["url"])
            )
        )
        exc = colander.Invalid(node)
        if taken is not None:
            exc["url"] = _("Thư mục này đã đăng ký nguồn tin này.")
        if appstruct["mode"] == "publish" and not may_publish(
            db, request.content_types, request.user, context
        ):
            exc["mode"] = _("Bạn không có quyền xuất bản ở thư mục này; hãy chọn để chờ duyệt.")
        if exc.children:
            raise exc


def _subscriptions(request, context: Node) -> list[dict]:
    db = request.dbsession
    counts = dict(
        db.execute(
            select(ImportedEntry.subscription_id, func.count())
            .join(FeedSubscription, FeedSubscription.id == ImportedEntry.subscription_id)
            .where(FeedSubscription.folder_id == context.id)
            .group_by(ImportedEntry.subscription_id)
        ).all()
    )
    subs = db.scalars(
        select(FeedSubscription).where(FeedSubscription.folder_id == context.id).order_by(FeedSubscription.id)
    )
    return [
        {"sub": s, "count": counts.get(s.id, 0), "mode": MODES["publish" if s.publish_at_once else "pending"]}
        for s in subs
    ]


@view_config(
    context=Node,
    name="nguon-tin",
    renderer="feed_subscriptions.html",
    permission=Permissions.Edit,
    require_csrf=False,  # the form checks its own token
)
def subscriptions_view(context: Node, request):
    _check_access(request, context)
    schema = SubscriptionSchema()
    buttons = (deform.Button("save", title=_("Thêm nguồn tin")),)
    form = make_form(request, schema, buttons=buttons, action=request.url)
    page = {
        "context": context,
        "subscriptions": _subscriptions(request, context),
        "title": request.t(_("Nguồn tin: ${title}"), title=context.title),
    }
    if request.method == "POST":
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        sub = FeedSubscription(
            folder_id=context.id,
            url=check_url(appstruct["url"]),
            publish_at_once=appstruct["mode"] == "publish",
            created_by=request.user.id,
        )
        request.dbsession.add(sub)
        request.session.flash(request.t(_("Đã thêm nguồn tin. Bấm “Lấy tin ngay” để nhập tin lần đầu.")))
        return HTTPFound(request.resource_url(context, "@@nguon-tin"))
    return {**page, **render_form(request, form)}


def _subscription(request, context: Node) -> FeedSubscription:
    sub_id = row_id(request.params.get("id", ""))
    if sub_id is None:
        raise HTTPBadRequest(_("Nguồn tin không hợp lệ."))
    sub = request.dbsession.get(FeedSubscription, sub_id)
    if sub is None or sub.folder_id != context.id:
        raise HTTPNotFound()
    return sub


@view_config(
    context=Node, name="nguon-tin-xoa", renderer="feed_subscription_delete.html", permission=Permissions.Edit
)
def delete_view(context: Node, request):
    """GET asks for confirmation; POST (with the CSRF token, checked by default) deletes."""
    _check_access(request, context)
    sub = _subscription(request, context)
    if request.method == "POST":
        request.dbsession.delete(sub)
        request.session.flash(request.t(_("Đã xóa nguồn tin. Các tin đã nhập vẫn được giữ.")))
        return HTTPFound(request.resource_url(context, "@@nguon-tin"))
    return {
        "context": context,
        "sub": sub,
        "title": request.t(_("Xóa nguồn tin “${name}”?"), name=sub.title or sub.url),
    }


@view_config(context=Node, name="nguon-tin-lay", request_method="POST", permission=Permissions.Edit)
def pull_view(context: Node, request):
    _check_access(request, context)
    sub = _subscription(request, context)
    result = pull(
        request.dbsession,
        request.content_types,
        sub,
        transport=request.registry.get("portal.feedimport.transport"),
        **settings_for(request.registry.settings),
    )
    name = sub.title or sub.url
    if result.error:
        message = request.t(_("Không lấy được tin từ “${name}”: ${error}"), name=name, error=result.error)
    elif result.not_modified:
        message = request.t(_("“${name}” không có tin mới kể từ lần lấy trước."), name=name)
    else:
        message = request.t(
            _(
                "Đã lấy tin từ “${name}”: ${new} tin mới, ${updated} tin cập nhật, "
                "${unchanged} tin không đổi, ${skipped} tin bỏ qua."
            ),
            name=name,
            new=result.new,
            updated=result.updated,
            unchanged=result.unchanged,
            skipped=result.skipped,
        )
    request.session.flash(message)
    return HTTPFound(request.resource_url(context, "@@nguon-tin"))
