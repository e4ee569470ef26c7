"""/api/v1/content/{path}: read, create, update, delete, change state.

Paths resolve with the site's own one-query lookup (``resources.lookup``), so an item
the caller may not view is a 404 exactly as on the site. Writes go through the same
registry add rules, colander schemas, ``apply`` hooks, tree operations and workflow as
the forms; only the transport differs.
"""

from __future__ import annotations

import datetime as dt

import colander
from pyramid.csrf import check_csrf_token
from pyramid.httpexceptions import HTTPNotFound

from .. import tree
from ..forms import LocalDateTime
from ..i18n import _
from ..models import Node, utcnow
from ..permissions import Permissions
from ..registry import AddNotAllowed
from ..resources import MAX_DEPTH, lookup
from ..text import TZ
from ..views.editing import default_apply, default_appstruct, name_conflict
from ..workflow import WorkflowError, do_transition
from .body import read_body, read_json
from .errors import ApiError, invalid
from .fields import SKIP, api_schema, is_upload
from .serialize import api_url, etag, etag_base, node_json, representation_etag

WORKFLOW_MARK = "@workflow"
# Keys a client may send back from a GET without meaning a change.
IGNORED_KEYS = frozenset({"type"})


# --- guards -------------------------------------------------------------------------


def check_token(request) -> None:
    """A bearer token that matches nothing is a 401, never an anonymous request."""
    if request.environ.get("portal.bad_token") or (request.identity_obj is None and _has_bearer(request)):
        raise _unauthorized(_("Mã truy cập API không hợp lệ hoặc đã bị thu hồi."), bad=True)


def _has_bearer(request) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer")


def _unauthorized(message, bad=False):
    header = 'Bearer realm="portal"' + (', error="invalid_token"' if bad else "")
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": header})


def require_writer(request) -> None:
    """Writes need a user; a cookie-authenticated write also needs the CSRF token in
    X-CSRF-Token (a bearer token is no ambient credential: a forged cross-site request
    cannot send it)."""
    check_token(request)
    ident = request.identity_obj
    if ident is None:
        raise _unauthorized(_("Cần đăng nhập hoặc gửi mã truy cập API (Authorization: Bearer)."))
    if ident.via != "bearer" and not check_csrf_token(request, token="", header="X-CSRF-Token", raises=False):
        raise ApiError(403, "csrf", _("Thiếu hoặc sai mã CSRF (tiêu đề X-CSRF-Token)."))


def forbidden():
    return ApiError(403, "forbidden", _("Bạn không có quyền thực hiện thao tác này."))


# --- resolving ------------------------------------------------------------------------


def resolve(request, names: list[str]) -> Node:
    """The node at exactly this path (404 if it is missing or hidden from the caller)."""
    if len(names) > MAX_DEPTH or any(n in ("", ".", "..") for n in names):
        raise HTTPNotFound()
    node, traversed = lookup(request, request.root_node, names)
    if len(traversed) != len(names):
        raise HTTPNotFound()
    return node


def split_subpath(request) -> tuple[list[str], str | None]:
    """(path names, the transition after "@workflow" or None)."""
    names = [s for s in request.matchdict.get("subpath", ()) if s]
    if WORKFLOW_MARK in names:
        i = names.index(WORKFLOW_MARK)
        rest = names[i + 1 :]
        if len(rest) != 1:
            raise HTTPNotFound()
        return names[:i], rest[0]
    return names, None


# --- input -> colander ------------------------------------------------------------------


def _datetime_cstruct(value):
    """ISO 8601 with an offset (what GET returns) -> the form's local notation."""
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value  # the schema type says what is wrong, in Vietnamese
        if parsed.tzinfo is not None:
            return parsed.astimezone(TZ).strftime("%Y-%m-%dT%H:%M:%S")
    return value


def to_cstruct(request, schema, data: dict, upload: dict | None) -> dict:
    """The client's fields as colander input; unknown names are a 422."""
    cstruct: dict = {}
    unknown = {}
    for key, value in data.items():
        if key in IGNORED_KEYS:
            continue
        node = schema.get(key) if key not in SKIP else None
        if node is None or is_upload(node):
            unknown[key] = _("Trường này không có ở loại nội dung này.")
            continue
        if value is None:
            cstruct[key] = colander.null
        elif isinstance(node.typ, LocalDateTime):
            cstruct[key] = _datetime_cstruct(value)
        elif isinstance(node.typ, colander.Boolean) and isinstance(value, bool):
            cstruct[key] = "true" if value else "false"
        else:
            cstruct[key] = value
    if unknown:
        raise ApiError(422, "invalid", _("Dữ liệu không hợp lệ."), unknown)
    if upload is not None:
        field = next((c.name for c in schema.children if is_upload(c)), None)
        if field is None:
            raise ApiError(
                422, "invalid", _("Dữ liệu không hợp lệ."), {"file": _("Loại nội dung này không nhận tệp.")}
            )
        cstruct[field] = upload
    return cstruct


def deserialize(request, schema, cstruct: dict) -> dict:
    try:
        return schema.deserialize(cstruct)
    except colander.Invalid as e:
        raise invalid(request, e) from None


def _name_taken():
    return ApiError(
        409,
        "name_conflict",
        _("Tên này đã được dùng trong thư mục. Hãy chọn tên khác."),
        {"name": _("Tên này đã được dùng trong thư mục. Hãy chọn tên khác.")},
    )


def _too_deep():
    return ApiError(422, "too_deep", _("Cây thư mục đã quá sâu hoặc đường dẫn quá dài ở vị trí này."))


# --- responses ------------------------------------------------------------------------


def respond(request, node: Node, status: int = 200) -> dict:
    request.response.status = status
    request.response.headers["ETag"] = etag(node)
    if request.identity_obj is not None:
        request.response.cache_control = "private, no-store"
    return node_json(request, node)


def read(request, node: Node):
    """GET: the item, or 304 when the client's copy (If-None-Match) is current. The
    permission check (``resolve``) runs first, so a 304 never tells a hidden item apart."""
    info = request.content_types.info_for(node)
    tag = representation_etag(request, node, bool(info is not None and info.container))
    if matches(request.headers.get("If-None-Match", ""), tag):
        response = request.response
        response.status = 304
        response.headers["ETag"] = tag
        response.headers.pop("Content-Type", None)  # a 304 has no body to describe
        if request.identity_obj is not None:
            response.cache_control = "private, no-store"
        return response
    data = respond(request, node)
    request.response.headers["ETag"] = tag
    return data


def matches(header: str, tag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2); ``*`` matches anything."""
    given = {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}
    return "*" in given or tag.removeprefix("W/") in given


# --- views -----------------------------------------------------------------------------


def content_view(request):
    names, transition = split_subpath(request)
    method = request.method
    if transition is not None:
        if method != "POST":
            raise _method_not_allowed(("POST",))
        return change_state(request, names, transition)
    if method in ("GET", "HEAD"):
        check_token(request)
        node = resolve(request, names)
        return read(request, node)
    if method == "POST":
        return create(request, names)
    if method == "PATCH":
        return update(request, names)
    if method == "DELETE":
        return delete(request, names)
    raise _method_not_allowed(("GET", "HEAD", "POST", "PATCH", "DELETE"))


def _method_not_allowed(allowed):
    return ApiError(
        405,
        "method_not_allowed",
        _("Phương thức không được hỗ trợ."),
        headers={"Allow": ", ".join(allowed)},
    )


def create(request, names):
    require_writer(request)
    container = resolve(request, names)
    fields, upload = read_body(request)
    type_name = fields.get("type")
    info = request.content_types.get(type_name) if isinstance(type_name, str) else None
    if info is None:
        raise ApiError(
            422, "invalid", _("Dữ liệu không hợp lệ."), {"type": _("Loại nội dung không tồn tại.")}
        )
    try:
        info = request.content_types.check_add(request, container, type_name)
    except AddNotAllowed:
        if info.can_be_added_to(container):
            raise forbidden() from None
        raise ApiError(
            422,
            "not_addable",
            _("Không được thêm loại nội dung này vào đây."),
            {"type": _("Không được thêm vào đây.")},
        ) from None
    schema = api_schema(request, info, container, "add")
    appstruct = deserialize(request, schema, to_cstruct(request, schema, fields, upload))
    name = appstruct.get("name")
    if name and name_conflict(request, container, name, None):
        raise _name_taken()
    obj = info.model()
    obj.owner_id = request.user.id
    obj.state = info.workflow.initial
    (info.apply or default_apply)(obj, appstruct)
    obj.created = obj.modified = utcnow()
    try:
        tree.add_child(request.dbsession, container, obj, name=name or obj.title)
    except tree.TreeError:
        raise _too_deep() from None
    request.response.headers["Location"] = api_url(request, obj.path)
    return respond(request, obj, 201)


def _if_match(request, node: Node) -> None:
    """PATCH needs the ETag the client last saw: an update made meanwhile by someone
    else is refused (409), not silently overwritten."""
    header = request.headers.get("If-Match")
    if not header:
        raise ApiError(
            428, "precondition_required", _("Cần gửi tiêu đề If-Match với ETag của phiên bản đang sửa.")
        )
    current = etag(node)
    given = [t.strip() for t in header.split(",")]
    # Weak comparison: W/"x" and "x" name the same version; a folder's GET tag adds what
    # its children listing depends on, and names the same version of the folder itself.
    if etag_base(current) not in {etag_base(t) for t in given}:
        raise ApiError(
            409,
            "conflict",
            _("Nội dung đã được người khác thay đổi. Hãy tải lại rồi sửa lại."),
            headers={"ETag": current},
        )


def update(request, names):
    require_writer(request)
    node = resolve(request, names)
    if not request.has_permission(Permissions.Edit, node):
        raise forbidden()
    _if_match(request, node)
    info = request.content_types.info_for(node)
    if info is None:
        raise forbidden()
    fields, upload = read_body(request)
    if fields.get("type", node.type) != node.type:
        raise ApiError(
            422, "invalid", _("Dữ liệu không hợp lệ."), {"type": _("Không thể đổi loại nội dung.")}
        )
    schema = api_schema(request, info, node, "edit", obj=node)
    # What the edit form would show, with the client's changes on top: the whole
    # item is validated together, as the form validates it.
    original = (info.to_appstruct or default_appstruct)(node, schema)
    current = schema.serialize(original)
    cstruct = {k: v for k, v in current.items() if k in schema}
    cstruct.update(to_cstruct(request, schema, fields, upload))
    appstruct = deserialize(request, schema, cstruct)
    for child in schema.children:
        # The form shows moments to the minute; a date the client did not send must
        # not lose its seconds by the round trip.
        if isinstance(child.typ, LocalDateTime) and child.name not in fields:
            value = original.get(child.name)
            appstruct[child.name] = None if value is colander.null else value
    container = request.dbsession.get(Node, node.parent_id) if node.parent_id else node
    new_name = appstruct.get("name")
    if new_name and node.parent_id is not None and name_conflict(request, container, new_name, node.id):
        raise _name_taken()
    (info.apply or default_apply)(node, appstruct)
    node.modified = utcnow()
    if new_name and node.parent_id is not None and new_name != node.name:
        try:
            tree.rename(request.dbsession, node, new_name)
        except tree.TreeError:
            raise _too_deep() from None
    request.dbsession.flush()
    return respond(request, node)


def delete(request, names):
    require_writer(request)
    node = resolve(request, names)
    # Same rule as the UI: Delete on the item and everything in it, and Add on its folder.
    if node.parent_id is None or not tree.may_remove(request, node):
        raise forbidden()
    tree.delete(request.dbsession, node)
    response = request.response
    response.status = 204
    response.content_type = None
    return response


def change_state(request, names, transition_name):
    require_writer(request)
    node = resolve(request, names)
    data = read_json(request, optional=True)
    comment = data.get("comment", "")
    if not isinstance(comment, str) or len(comment) > 2000:
        raise ApiError(
            422, "invalid", _("Dữ liệu không hợp lệ."), {"comment": _("Ghi chú là chuỗi tối đa 2000 ký tự.")}
        )
    from ..forms import NFCString

    comment = NFCString().deserialize(colander.SchemaNode(NFCString()), comment)
    workflow = request.content_types.workflow_for(node)
    transition = workflow.transitions.get(transition_name)
    if transition is None:
        raise HTTPNotFound()
    if node.state not in transition.sources:
        raise ApiError(409, "invalid_transition", _("Không thể chuyển trạng thái này."))
    try:
        do_transition(request, node, transition_name, comment if comment is not colander.null else "")
    except WorkflowError:
        raise forbidden() from None
    request.dbsession.flush()
    return respond(request, node)
