"""@@sharing: local roles on a node, inherited by everything below it."""

from __future__ import annotations

import colander
import deform
from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPFound
from pyramid.view import view_config
from sqlalchemy import delete, select

from ..forms import CSRFSchema, NFCString, make_form
from ..i18n import _
from ..models import Group, LocalRole, Node, User
from ..permissions import GRANTABLE_ROLES, ROLE_TITLES, Permissions, Roles
from .editing import render_form, validated


def grantable_roles(request, context: Node) -> list[str]:
    """A user may grant only roles they hold here: no one raises themselves."""
    held = request.identity_obj.roles_at(context) if request.identity_obj else set()
    if Roles.SiteAdministrator in held:
        return list(GRANTABLE_ROLES)
    return [r for r in GRANTABLE_ROLES if r in held]


@colander.deferred
def _role_widget(node, kw):
    request, context = kw["request"], kw["context"]
    values = [(r, request.t(ROLE_TITLES[r])) for r in grantable_roles(request, context)]
    return deform.widget.SelectWidget(values=values)


@colander.deferred
def _role_validator(node, kw):
    return colander.OneOf(grantable_roles(kw["request"], kw["context"]))


class GrantSchema(CSRFSchema):
    principal = colander.SchemaNode(
        NFCString(),
        title=_("Tên đăng nhập hoặc tên nhóm"),
        validator=colander.Length(min=1, max=64),
    )
    role = colander.SchemaNode(
        colander.String(), title=_("Vai trò"), widget=_role_widget, validator=_role_validator
    )

    def validate_more(self, node, appstruct):
        db = self.bindings["request"].dbsession
        name = appstruct["principal"]
        user = db.scalar(select(User).where(User.login == name))
        group = None if user else db.scalar(select(Group).where(Group.name == name))
        if user is None and group is None:
            exc = colander.Invalid(node)
            exc["principal"] = _("Không tìm thấy người dùng hoặc nhóm này.")
            raise exc
        appstruct["principal_id"] = (user or group).principal


def _entries(request, context: Node):
    db = request.dbsession
    rows = db.execute(
        select(LocalRole.principal, LocalRole.role)
        .where(LocalRole.node_id == context.id)
        .order_by(LocalRole.principal, LocalRole.role)
    ).all()
    user_ids = [int(p.split(":")[1]) for p, _r in rows if p.startswith("user:")]
    group_ids = [int(p.split(":")[1]) for p, _r in rows if p.startswith("group:")]
    names = {}
    if user_ids:
        names.update(
            {u.principal: u.display_name for u in db.scalars(select(User).where(User.id.in_(user_ids)))}
        )
    if group_ids:
        names.update(
            {g.principal: g.title or g.name for g in db.scalars(select(Group).where(Group.id.in_(group_ids)))}
        )
    return [
        {"principal": p, "name": names.get(p, p), "role": r, "role_title": ROLE_TITLES.get(r, r)}
        for p, r in rows
    ]


@view_config(
    context=Node,
    name="sharing",
    renderer="sharing.html",
    permission=Permissions.Sharing,
    require_csrf=False,
)
def sharing_view(context: Node, request):
    schema = GrantSchema().bind(request=request, context=context)
    form = make_form(request, schema, buttons=("save",), action=request.url)
    page = {
        "context": context,
        "entries": _entries(request, context),
        "grantable": grantable_roles(request, context),
        "title": request.t(_("Chia sẻ: ${title}"), title=context.title),
    }
    if request.method == "POST":
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        exists = request.dbsession.get(LocalRole, (context.id, appstruct["principal_id"], appstruct["role"]))
        if exists is None:
            request.dbsession.add(
                LocalRole(node_id=context.id, principal=appstruct["principal_id"], role=appstruct["role"])
            )
        request.session.flash(request.t(_("Đã cấp vai trò.")))
        return HTTPFound(request.resource_url(context, "@@sharing"))
    return {**page, **render_form(request, form)}


@view_config(context=Node, name="sharing-remove", request_method="POST", permission=Permissions.Sharing)
def sharing_remove(context: Node, request):
    principal, role = request.POST.get("principal", ""), request.POST.get("role", "")
    if role not in GRANTABLE_ROLES:
        raise HTTPBadRequest(_("Vai trò không hợp lệ."))
    if role not in grantable_roles(request, context):
        raise HTTPForbidden(_("Bạn không thể thu hồi vai trò này."))
    request.dbsession.execute(
        delete(LocalRole).where(
            LocalRole.node_id == context.id,
            LocalRole.principal == principal,
            LocalRole.role == role,
        )
    )
    request.session.flash(request.t(_("Đã thu hồi vai trò.")))
    return HTTPFound(request.resource_url(context, "@@sharing"))
