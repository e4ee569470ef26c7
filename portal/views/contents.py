"""@@contents: a folder's children with their state; reorder and delete."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPBadRequest, HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import select

from .. import listing, tree
from ..i18n import _
from ..models import Node
from ..permissions import Permissions
from ..text import row_id


def _child(request, context: Node, raw_id) -> Node:
    node_id = row_id(raw_id)
    if node_id is None:
        raise HTTPBadRequest(_("Mục không hợp lệ."))
    node = request.dbsession.scalar(select(Node).where(Node.id == node_id, Node.parent_id == context.id))
    if node is None:
        raise HTTPNotFound()
    node.__parent__ = context
    return node


@view_config(context=Node, name="contents", renderer="contents.html", permission=Permissions.View)
def contents_view(context: Node, request):
    info = request.content_types.info_for(context)
    if request.user is None:
        raise HTTPForbidden()
    if info is None or not info.container:
        raise HTTPNotFound()
    batch = listing.children_batch(request, context, per_page=50)
    rows = batch.items
    types = request.content_types
    items = []
    for r in rows:
        # Each child by its own type and workflow, not the folder's.
        child_info = types.get(r.type)
        states = types.workflow_for(r).states
        items.append(
            {
                "row": r,
                "url": request.application_url + r.path,
                "state_title": states[r.state].title if r.state in states else r.state,
                "type_title": child_info.title if child_info else r.type,
            }
        )
    return {
        "context": context,
        "items": items,
        "batch": batch,
        "can_edit": request.has_permission(Permissions.Edit, context),
        "title": request.t(_("Nội dung: ${title}"), title=context.title),
    }


@view_config(context=Node, name="move-item", request_method="POST", permission=Permissions.Edit)
def move_item(context: Node, request):
    """Move a child one place up or down; ordering is the folder's to edit."""
    node = _child(request, context, request.POST.get("id"))
    delta = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if delta is None:
        raise HTTPBadRequest(_("Hướng không hợp lệ."))
    tree.move_step(request.dbsession, node, delta)
    return HTTPFound(request.resource_url(context, "@@contents"))


@view_config(context=Node, name="delete", renderer="confirm_delete.html")
def delete_view(context: Node, request):
    """GET asks for confirmation; POST (with the CSRF token) deletes."""
    if context.parent_id is None:
        raise HTTPForbidden(_("Không thể xóa trang gốc."))
    if not tree.may_remove(request, context):
        raise HTTPForbidden(_("Bạn không có quyền xóa mục này."))
    if request.method == "POST":
        parent = request.dbsession.get(Node, context.parent_id)
        title = context.title
        tree.delete(request.dbsession, context)
        request.session.flash(request.t(_("Đã xóa “${title}”."), title=title))
        return HTTPFound(request.resource_url(parent, "@@contents"))
    count = request.dbsession.scalar(
        select(Node.id)
        .where(
            Node.path.startswith(context.path, autoescape=True),
            Node.site_id == context.site_id,
            Node.id != context.id,
        )
        .limit(1)
    )
    return {
        "context": context,
        "has_children": count is not None,
        "title": request.t(_("Xóa “${title}”?"), title=context.title),
    }
