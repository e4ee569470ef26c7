"""Search pages for the site's staff: the synonym list (administrators) and the
queries that found nothing (editors and administrators)."""

from __future__ import annotations

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPFound
from sqlalchemy import select

from portal.forms import CSRFSchema, NFCString, make_form
from portal.i18n import _
from portal.permissions import Permissions, Roles
from portal.views.editing import render_form, validated

from .models import SearchZeroResult
from .synonyms import MAX_GROUPS, format_groups, load_groups, parse_lines, save_groups
from .views import search_url

ZERO_SHOWN = 200
MAX_TEXT = 100_000


class SynonymSchema(CSRFSchema):
    groups = colander.SchemaNode(
        NFCString(),
        title=_("Từ đồng nghĩa và viết tắt"),
        description=_(
            "Mỗi dòng một nhóm, các cách viết cách nhau bằng dấu |, ví dụ: UBND | Ủy ban nhân dân. "
            "Tìm một cách viết sẽ tìm cả các cách khác trong nhóm."
        ),
        widget=deform.widget.TextAreaWidget(rows=16),
        validator=colander.Length(max=MAX_TEXT),
        missing="",
    )

    def validate_more(self, node, appstruct):
        groups, bad = parse_lines(appstruct.get("groups") or "")
        exc = colander.Invalid(node)
        if bad:
            lines = ", ".join(str(n) for n in bad[:10])
            exc["groups"] = _(
                "Dòng ${lines}: mỗi nhóm cần từ hai đến 12 cách viết khác nhau, mỗi cách tối đa 8 từ.",
                mapping={"lines": lines},
            )
            raise exc
        if len(groups) > MAX_GROUPS:
            exc["groups"] = _("Tối đa ${n} nhóm.", mapping={"n": MAX_GROUPS})
            raise exc
        appstruct["parsed"] = groups


def synonyms_view(request):
    site_id = request.root_node.site_id
    form = make_form(request, SynonymSchema(), buttons=("save",), action=request.route_url("search_synonyms"))
    page = {"title": request.t(_("Từ đồng nghĩa cho tìm kiếm"))}
    if request.method == "POST":
        appstruct, failed = validated(request, form, page)
        if failed:
            return failed
        save_groups(request.dbsession, site_id, appstruct["parsed"])
        request.session.flash(request.t(_("Đã lưu danh sách từ đồng nghĩa.")))
        return HTTPFound(request.route_url("search_synonyms"))
    current = format_groups(load_groups(request.dbsession, site_id))
    return {**page, **render_form(request, form, {"groups": current})}


STAFF = {Roles.Editor, Roles.SiteAdministrator}


def zero_results_view(request):
    ident = request.identity_obj
    if ident is None or not STAFF & ident.roles_at(request.root_node):
        raise HTTPForbidden()
    # What this process gathered since its last write, so the list is current.
    request.registry["portal.search.zero_results"].flush()
    rows = request.dbsession.scalars(
        select(SearchZeroResult)
        .where(SearchZeroResult.site_id == request.root_node.site_id)
        .order_by(SearchZeroResult.count.desc(), SearchZeroResult.last_seen.desc())
        .limit(ZERO_SHOWN)
    ).all()
    return {
        "title": request.t(_("Từ khóa tìm kiếm không có kết quả")),
        "rows": [{"row": r, "url": search_url(request, r.query, {})} for r in rows],
    }


def includeme(config):
    config.add_route("search_synonyms", "/quan-tri/tu-dong-nghia")
    config.add_view(
        synonyms_view,
        route_name="search_synonyms",
        renderer="search_synonyms.html",
        permission=Permissions.ManageSite,
        request_method=("GET", "HEAD", "POST"),
        require_csrf=False,  # the form checks its own token
    )
    config.add_route("search_zero_results", "/quan-tri/tim-kiem-khong-ket-qua")
    config.add_view(
        zero_results_view,
        route_name="search_zero_results",
        renderer="search_zero_results.html",
        permission=Permissions.View,  # and staff roles, checked in the view
        request_method=("GET", "HEAD"),
    )
    config.add_admin_page(
        "search_synonyms",
        _("Từ đồng nghĩa cho tìm kiếm"),
        _("Các cách viết và viết tắt được tìm cùng nhau (UBND | Ủy ban nhân dân)."),
        permission=Permissions.ManageSite,
    )
    config.add_admin_page(
        "search_zero_results",
        _("Từ khóa tìm kiếm không có kết quả"),
        _("Người xem đã tìm gì mà không thấy: gợi ý nội dung cần bổ sung."),
        allowed=lambda request: bool(
            request.identity_obj and STAFF & request.identity_obj.roles_at(request.root_node)
        ),
    )
