"""A type's fields, read from its registered colander schema.

The same schema validates the add/edit forms and the API; this module describes it
as JSON Schema (for /api/v1/types and /api/v1/openapi.json) and tells which fields
are write-only (uploads, "remove this file" flags).
"""

from __future__ import annotations

import colander
import deform

from ..forms import CalendarDate, LocalDateTime
from ..views.editing import build_schema

# Never fields of the JSON body: the form's own bookkeeping.
SKIP = frozenset({"csrf_token"})


def is_upload(node: colander.SchemaNode) -> bool:
    return isinstance(node.typ, deform.FileData)


def is_write_only(node: colander.SchemaNode) -> bool:
    """Uploads and the flags that remove one: they change the item, but are not part
    of what it says (its files are described under "files")."""
    words = node.name.split("_")
    return is_upload(node) or "remove" in (words[0], words[-1])


def api_schema(request, info, context, mode: str, obj=None) -> colander.SchemaNode:
    """The type's schema bound like the form's, without the form's CSRF field and check:
    the API checks CSRF itself (and bearer requests need none)."""
    schema = build_schema(request, info, context, mode, obj)
    if "csrf_token" in schema:
        del schema["csrf_token"]
    # The CSRFSchema validator would look for a form field; keep only the cross-field
    # checks it runs after that (validate_more), which must hold for the API too.
    more = getattr(schema, "validate_more", None)
    schema.validator = (lambda node, value: more(node, value)) if more else None
    return schema


def _choices(node: colander.SchemaNode):
    validators = [node.validator] if node.validator is not None else []
    if isinstance(node.validator, colander.All):
        validators = list(node.validator.validators)
    for v in validators:
        if isinstance(v, colander.OneOf):
            return list(v.choices)
    widget = getattr(node, "widget", None)
    values = getattr(widget, "values", None)
    if isinstance(values, list | tuple) and values and isinstance(values[0], list | tuple):
        return [k for k, _title in values]
    return None


def _max_length(node):
    validators = [node.validator] if node.validator is not None else []
    if isinstance(node.validator, colander.All):
        validators = list(node.validator.validators)
    for v in validators:
        if isinstance(v, colander.Length) and v.max is not None:
            return v.max
    return None


def is_required(node) -> bool:
    return node.missing is colander.required


def json_schema(request, node: colander.SchemaNode, for_output: bool = False) -> dict:
    """JSON Schema of one colander node (titles translated)."""
    t = request.localizer.translate
    typ = node.typ
    out: dict = {}
    if isinstance(typ, colander.Mapping):
        out = {"type": "object", "properties": {}, "required": []}
        for child in node.children:
            out["properties"][child.name] = json_schema(request, child, for_output)
            if is_required(child) and not (for_output and is_write_only(child)):
                out["required"].append(child.name)
        if not out["required"]:
            del out["required"]
    elif isinstance(typ, colander.Sequence):
        out = {"type": "array", "items": json_schema(request, node.children[0], for_output)}
    elif isinstance(typ, colander.Set):
        out = {"type": "array", "items": {"type": ["string", "integer"]}, "uniqueItems": True}
    elif is_upload(node) and for_output:
        # A file inside a table row (a procedure's form template): described, not sent.
        out = {
            "type": "object",
            "properties": {
                "filename": {"type": "string"},
                "mime_type": {"type": "string"},
                "size": {"type": "integer"},
            },
        }
    elif is_upload(node):
        out = {"type": "string", "format": "binary", "writeOnly": True}
    elif isinstance(typ, colander.Boolean):
        out = {"type": "boolean"}
    elif isinstance(typ, colander.Integer):
        out = {"type": "integer"}
    elif isinstance(typ, colander.Float | colander.Decimal):
        out = {"type": "number"}
    elif isinstance(typ, LocalDateTime):
        out = {"type": "string", "format": "date-time"}
    elif isinstance(typ, CalendarDate):
        out = {"type": "string", "format": "date"}
    else:
        out = {"type": "string"}
        max_length = _max_length(node)
        if max_length:
            out["maxLength"] = max_length
        choices = _choices(node)
        if choices is not None:
            out["enum"] = [str(c) for c in choices]
    if not is_required(node) and "type" in out and not is_upload(node):
        # Optional fields may be empty: null in and out.
        out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    if node.title:
        out["title"] = t(node.title)
    if node.description and isinstance(node.description, str):
        out["description"] = t(node.description)
    if is_write_only(node):
        out["writeOnly"] = True
    return out


def describe_fields(request, schema: colander.SchemaNode) -> list[dict]:
    """What /api/v1/types lists for each field."""
    t = request.localizer.translate
    fields = []
    for child in schema.children:
        if child.name in SKIP:
            continue
        js = json_schema(request, child)
        kind = js["type"][0] if isinstance(js["type"], list) else js["type"]
        entry = {
            "name": child.name,
            "type": "file" if is_upload(child) else js.get("format", kind) if kind == "string" else kind,
            "required": is_required(child),
            "title": t(child.title) if child.title else child.name,
            "write_only": is_write_only(child),
        }
        if "enum" in js:
            entry["choices"] = [c for c in js["enum"] if c is not None]
        if "maxLength" in js:
            entry["max_length"] = js["maxLength"]
        fields.append(entry)
    return fields


def type_schema(request, info, mode: str = "add"):
    """The type's API schema, bound on the site root (no item yet): for descriptions."""
    return api_schema(request, info, request.root_node, mode)
