"""@@move: move an item (and everything in it) to another folder."""

from __future__ import annotations

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from pyramid.view import view_config
from sqlalchemy import select

from .. import tree
from ..forms import CSRFSchema, make_form
from ..i18n import _
from ..listing import may_see_clause
from ..models import LocalRole, Node
from ..permissions import Permissions
from .editing import TOO_DEEP, render_form, validated
from .sharing import grantable_roles


def move_targets(request, node: Node) -> list[Node]:
    """Containers where this item may go: its type is allowed there and the user may add."""
    info = request.content_types.info_for(node)
    if info is None:
        return []
    rows = request.dbsession.scalars(
        select(Node)
        .where(
            Node.site_id == node.site_id,
            Node.type.in_(info.addable_to),
            Node.id != node.parent_id,
            ~Node.path.startswith(node.path, autoescape=True),
            may_see_clause(request),
        )
        .order_by(Node.path)
    ).all()
    return [c for c in rows if request.has_permission(info.add_permission, c)]


def _roles_may_travel(request, node: Node, target: Node) -> bool:
    """Local roles move with the subtree: only if the mover could grant them at the target,
    or a role granted in one section would become a role in another."""
    roles = set(
        request.dbsession.scalars(
            select(LocalRole.role)
            .join(Node, Node.id == LocalRole.node_id)
            .where(Node.site_id == node.site_id, Node.path.startswith(node.path, autoescape=True))
        )
    )
    if not roles:
        return True
    return request.has_permission(Permissions.Sharing, target) and roles <= set(
        grantable_roles(request, target)
    )


@colander.deferred
def _target_widget(node, kw):
    values = [(str(c.id), f"{c.path} — {c.title}") for c in kw["targets"]]
    return deform.widget.SelectWidget(values=[("", "—")] + values)


@colander.deferred
def _target_validator(node, kw):
    return colander.OneOf([str(c.id) for c in kw["targets"]])


class MoveSchema(CSRFSchema):
    target = colander.SchemaNode(
        colander.String(), title=_("Chuyển đến"), widget=_target_widget, validator=_target_validator
    )


@view_config(
    context=Node, name="move", renderer="form.html", permission=Permissions.Delete, require_csrf=False
)
def move_view(context: Node, request):
    if context.parent_id is None:
        raise HTTPForbidden(_("Không thể chuyển trang gốc."))
    if not tree.may_remove(request, context):
        raise HTTPForbidden(_("Bạn không có quyền chuyển mục này."))
    targets = move_targets(request, context)
    schema = MoveSchema().bind(request=request, targets=targets)
    form = make_form(request, schema, buttons=("save",), action=request.url)
    page = {"context": context, "title": request.t(_("Chuyển “${title}”"), title=context.title)}
    if request.method == "POST":
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        target = next(c for c in targets if str(c.id) == appstruct["target"])
        if not _roles_may_travel(request, context, target):
            request.response.status = 403
            page["error"] = request.t(
                _("Mục này mang vai trò được cấp riêng mà bạn không thể cấp ở nơi chuyển đến.")
            )
            return {**page, **render_form(request, form, appstruct)}
        try:
            tree.move(request.dbsession, context, target)
        except tree.TreeError:
            request.response.status = 400
            page["error"] = request.t(TOO_DEEP)
            return {**page, **render_form(request, form, appstruct)}
        request.session.flash(request.t(_("Đã chuyển đến “${title}”."), title=target.title))
        return HTTPFound(request.resource_url(context))
    return {**page, **render_form(request, form)}
