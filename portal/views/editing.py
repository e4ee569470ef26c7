"""Generic add and edit forms, built from each type's colander schema."""

from __future__ import annotations

import colander
import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPFound, HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import select

from .. import tree
from ..forms import describe_controls, make_form
from ..i18n import _
from ..models import Node, utcnow
from ..permissions import Permissions
from ..registry import AddNotAllowed, TypeInfo

SKIP_FIELDS = {"csrf_token", "name"}

TOO_DEEP = _("Cây thư mục đã quá sâu hoặc đường dẫn quá dài ở vị trí này.")

# deform's widgets run inline scripts that need these first (served locally).
FORM_BASE_JS = ("deform:static/scripts/jquery-2.0.3.min.js", "deform:static/scripts/deform.js")
# Fetched by forms.js when an editor first uses a rich-text field, not with the page:
# TinyMCE and its theme are over a megabyte, most edits never touch the body.
LAZY_JS = {"deform:static/tinymce/tinymce.min.js": "tinymce"}
# Only deform's AJAX forms need it, and the portal has none.
UNUSED_JS = frozenset({"deform:static/scripts/jquery.form-3.09.js"})


def default_apply(obj: Node, appstruct: dict) -> None:
    for key, value in appstruct.items():
        if key not in SKIP_FIELDS:
            setattr(obj, key, value)


def default_appstruct(obj: Node, schema: colander.SchemaNode) -> dict:
    data = {}
    for child in schema.children:
        if child.name in ("csrf_token",):
            continue
        value = getattr(obj, child.name, colander.null)
        data[child.name] = colander.null if value is None else value
    return data


# The fields every type shares about where and when an item shows: last in every form,
# after what the item says.
PUBLISHING_FIELDS = ("name", "effective", "expires", "exclude_from_nav", "language")


def build_schema(request, info: TypeInfo, context: Node, mode: str, obj: Node | None = None):
    schema = info.schema()
    schema.children.sort(
        key=lambda c: PUBLISHING_FIELDS.index(c.name) + 1 if c.name in PUBLISHING_FIELDS else 0
    )
    if obj is not None and obj.parent_id is None and "name" in schema:
        del schema["name"]  # the site root has no name to change
    schema = schema.bind(request=request, context=context, mode=mode, obj=obj)
    return schema


def name_conflict(request, container: Node, name: str, exclude_id: int | None) -> bool:
    q = select(Node.id).where(Node.parent_id == container.id, Node.name == name)
    if exclude_id is not None:
        q = q.where(Node.id != exclude_id)
    return request.dbsession.scalar(q) is not None or (
        container.parent_id is None and name in tree.RESERVED_NAMES
    )


def render_form(request, form: deform.Form, appstruct=colander.null, failure=None) -> dict:
    html = describe_controls(failure.render() if failure is not None else form.render(appstruct))
    resources = form.get_widget_resources()
    page = {
        "form": html,
        "form_js": [],
        "form_lazy_js": {},
        "form_css": [request.static_url(r) for r in resources["css"]],
    }
    if "<script" not in html:
        return page  # no widget runs a script (a log-in form): the page needs none
    js = [r for r in FORM_BASE_JS if r not in resources["js"]] + list(resources["js"])
    page["form_js"] = [request.static_url(r) for r in js if r not in LAZY_JS and r not in UNUSED_JS]
    page["form_lazy_js"] = {name: request.static_url(r) for r, name in LAZY_JS.items() if r in js}
    return page


def validated(request, form: deform.Form, page: dict):
    """(appstruct, None) for a valid POST, or (None, the page re-rendered with the
    errors and everything the user typed, status 400)."""
    try:
        return form.validate(request.POST.items()), None
    except deform.ValidationFailure as e:
        request.response.status = 400
        return None, {**page, **render_form(request, form, failure=e)}


def _validate_name(request, form, controls, container, exclude_id):
    """Run the form's validation, then the name check that needs the database."""
    appstruct = form.validate(controls)
    name = appstruct.get("name")
    if name and name_conflict(request, container, name, exclude_id):
        exc = colander.Invalid(form.schema)
        exc["name"] = _("Tên này đã được dùng trong thư mục. Hãy chọn tên khác.")
        form.widget.handle_error(form, exc)
        raise deform.ValidationFailure(form, form.cstruct, exc)
    return appstruct


@view_config(
    context=Node,
    name="add",
    renderer="form.html",
    permission=Permissions.Add,
    require_csrf=False,  # the form checks its own token
)
def add_view(context: Node, request):
    type_name = request.params.get("type", "")
    try:
        info = request.content_types.check_add(request, context, type_name)
    except AddNotAllowed:
        raise HTTPForbidden(_("Không được thêm loại nội dung này vào đây.")) from None

    schema = build_schema(request, info, context, "add")
    form = make_form(request, schema, buttons=("save",), action=request.url)
    page = {"title": request.t(_("Thêm ${type}"), type=request.t(info.title).lower()), "context": context}

    if request.method == "POST" and "save" in request.POST:
        try:
            appstruct = _validate_name(request, form, request.POST.items(), context, None)
        except deform.ValidationFailure as e:
            request.response.status = 400
            return {**page, **render_form(request, form, failure=e)}
        obj = info.model()
        obj.owner_id = request.user.id
        obj.state = info.workflow.initial
        (info.apply or default_apply)(obj, appstruct)
        now = utcnow()
        obj.created = obj.modified = now
        try:
            tree.add_child(request.dbsession, context, obj, name=appstruct.get("name") or obj.title)
        except tree.TreeError:
            request.response.status = 400
            page["error"] = request.t(TOO_DEEP)
            return {**page, **render_form(request, form, appstruct)}
        request.session.flash(request.t(_("Đã tạo “${title}”."), title=obj.title))
        return HTTPFound(request.resource_url(obj))
    return {**page, **render_form(request, form)}


@view_config(
    context=Node,
    name="edit",
    renderer="form.html",
    permission=Permissions.Edit,
    require_csrf=False,
)
def edit_view(context: Node, request):
    info = request.content_types.info_for(context)
    if info is None:
        raise HTTPNotFound()
    schema = build_schema(request, info, context, "edit", obj=context)
    form = make_form(request, schema, buttons=("save",), action=request.url)
    page = {"title": request.t(_("Sửa: ${title}"), title=context.title), "context": context}

    if request.method == "POST" and "save" in request.POST:
        parent_id = context.parent_id
        container = request.dbsession.get(Node, parent_id) if parent_id else context
        try:
            appstruct = _validate_name(request, form, request.POST.items(), container, context.id)
        except deform.ValidationFailure as e:
            request.response.status = 400
            return {**page, **render_form(request, form, failure=e)}
        (info.apply or default_apply)(context, appstruct)
        context.modified = utcnow()
        new_name = appstruct.get("name")
        if new_name and context.parent_id is not None and new_name != context.name:
            try:
                tree.rename(request.dbsession, context, new_name)
            except tree.TreeError:
                request.tm.doom()  # the other changes are not saved half-way either
                request.response.status = 400
                page["error"] = request.t(TOO_DEEP)
                return {**page, **render_form(request, form, appstruct)}
        request.session.flash(request.t(_("Đã lưu thay đổi.")))
        return HTTPFound(request.resource_url(context))
    appstruct = (info.to_appstruct or default_appstruct)(context, schema)
    return {**page, **render_form(request, form, appstruct)}
