"""/dang-nhap and /dang-xuat."""

from __future__ import annotations

from urllib.parse import quote

import colander
import deform
from pyramid.httpexceptions import HTTPFound
from pyramid.security import forget, remember
from pyramid.view import view_config
from sqlalchemy import select

from .. import throttle
from ..forms import CSRFSchema, NFCString, make_form
from ..i18n import _
from ..models import User, utcnow
from ..security import verify_password, verify_unknown
from .editing import render_form, validated


class LoginSchema(CSRFSchema):
    login = colander.SchemaNode(
        NFCString(),
        title=_("Tên đăng nhập"),
        validator=colander.Length(min=1, max=64),
        widget=deform.widget.TextInputWidget(attributes={"autocomplete": "username"}),
    )
    password = colander.SchemaNode(
        colander.String(),
        title=_("Mật khẩu"),
        validator=colander.Length(min=1, max=1024),
        widget=deform.widget.PasswordWidget(attributes={"autocomplete": "current-password"}),
    )
    came_from = colander.SchemaNode(
        colander.String(), widget=deform.widget.HiddenWidget(), missing="/", title=""
    )


def safe_redirect(request, target: str) -> str:
    """Only same-site paths: never an open redirect to another host."""
    bad = (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 or ord(c) == 127 for c in target)
    )
    if bad:
        return request.application_url + "/"
    return request.application_url + quote(target, safe="/?&=%#:@!$'()*+,;~-._")


@view_config(route_name="login", renderer="login.html", require_csrf=False)
def login_view(request):
    schema = LoginSchema().bind(request=request)
    form = make_form(
        request,
        schema,
        buttons=(deform.Button("do_login", title=request.t(_("Đăng nhập"))),),
        action=request.route_url("login"),
    )
    page = {"title": request.t(_("Đăng nhập")), "error": None}
    if request.method == "POST":
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        settings = request.registry.settings
        lock = int(settings["portal.login.lock_minutes"])
        limits = {
            "account": int(settings["portal.login.max_failures_per_account"]),
            "ip": int(settings["portal.login.max_failures_per_ip"]),
        }
        keys = throttle.keys_for(appstruct["login"], request.remote_addr)
        db = request.dbsession
        wait = throttle.locked_minutes(db, [k for _kind, k in keys])
        if wait:
            request.response.status = 429
            page["error"] = request.t(
                _("Đăng nhập tạm bị khóa do nhập sai nhiều lần. Vui lòng thử lại sau ${n} phút."),
                n=wait,
            )
            return {**page, **render_form(request, form, {**appstruct, "password": ""})}
        user = db.scalar(select(User).where(User.login == appstruct["login"]))
        if user is None:
            verify_unknown(appstruct["password"])
        # Always verify, then check the account: an inactive one must not answer faster.
        ok = user is not None and verify_password(user, appstruct["password"]) and user.active
        if not ok:
            for kind, key in keys:
                throttle.record_failure(db, key, limits[kind], lock)
            request.response.status = 400
            page["error"] = request.t(_("Tên đăng nhập hoặc mật khẩu không đúng."))
            return {**page, **render_form(request, form, {**appstruct, "password": ""})}
        throttle.clear(db, keys[0][1])
        user.last_login = utcnow()
        headers = remember(request, user.id)
        request.session.flash(request.t(_("Xin chào ${name}."), name=user.display_name))
        return HTTPFound(safe_redirect(request, appstruct["came_from"]), headers=headers)
    came_from = request.params.get("came_from", "/")
    return {**page, **render_form(request, form, {"came_from": came_from})}


@view_config(route_name="logout", renderer="logout.html")
def logout_view(request):
    """GET asks; POST (CSRF-checked) logs out, so no link can log a user out."""
    if request.method == "POST":
        headers = forget(request)
        return HTTPFound(request.application_url + "/", headers=headers)
    return {"title": request.t(_("Đăng xuất"))}
