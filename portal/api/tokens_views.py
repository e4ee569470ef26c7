"""/tai-khoan/token: a user's API tokens; create one (shown once) or revoke one."""

from __future__ import annotations

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from sqlalchemy import select

from ..forms import CSRFSchema, NFCString, make_form
from ..i18n import _
from ..models import ApiToken
from ..text import row_id
from ..views.editing import render_form, validated
from .tokens import MAX_NAME, create_token, revoke, user_tokens


class TokenSchema(CSRFSchema):
    name = colander.SchemaNode(
        NFCString(),
        title=_("Tên mã (để nhớ dùng ở đâu)"),
        missing="",
        validator=colander.Length(max=MAX_NAME),
    )


def tokens_page(request):
    if request.user is None:
        raise HTTPForbidden()  # anonymous GET: the forbidden view sends them to log in
    form = make_form(
        request,
        TokenSchema(),
        buttons=(deform.Button("create", title=request.t(_("Tạo mã mới"))),),
        action=request.route_url("api_tokens_page"),
    )
    page = {
        "title": request.t(_("Mã truy cập API")),
        "tokens": user_tokens(request.dbsession, request.user.id),
        "new_token": None,
        "revoke_url": request.route_url("api_tokens_revoke"),
    }
    if request.method == "POST" and "create" in request.POST:
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        _row, secret = create_token(request.dbsession, request.user, appstruct["name"])
        # Shown in this response only: the database keeps its hash.
        page["new_token"] = secret
        page["tokens"] = user_tokens(request.dbsession, request.user.id)
        request.response.cache_control = "private, no-store"
    return {**page, **render_form(request, form)}


def revoke_view(request):
    if request.user is None:
        raise HTTPForbidden()
    token_id = row_id(request.POST.get("id", ""))
    if token_id is None:
        raise HTTPNotFound()
    token = request.dbsession.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == request.user.id)
    )
    if token is None:
        raise HTTPNotFound()  # someone else's token is none of this user's business
    revoke(request.dbsession, token)
    request.session.flash(request.t(_("Đã thu hồi mã “${name}”."), name=token.name or token.id))
    return HTTPFound(request.route_url("api_tokens_page"))


def add_token_views(config):
    config.add_route("api_tokens_page", "/tai-khoan/token")
    config.add_route("api_tokens_revoke", "/tai-khoan/token/thu-hoi")
    config.add_view(
        tokens_page,
        route_name="api_tokens_page",
        renderer="api_tokens.html",
        request_method=("GET", "HEAD", "POST"),
        require_csrf=False,  # the form checks its own token
    )
    # Pyramid's default CSRF check guards this one (a hidden csrf_token field).
    config.add_view(revoke_view, route_name="api_tokens_revoke", request_method="POST")
