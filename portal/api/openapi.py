"""/api/v1/openapi.json: an OpenAPI 3.1 description of the API, built from the
registry at request time (so a new content type documents itself). The tests check
real responses against it."""

from __future__ import annotations

from .content import check_token
from .fields import is_write_only, json_schema, type_schema

REF = "#/components/schemas/"


def _ref(name: str) -> dict:
    return {"$ref": REF + name}


def _nullable(schema: dict) -> dict:
    """For output: stored values may be empty whatever the input rules say."""
    out = dict(schema)
    out.pop("required", None)
    out.pop("writeOnly", None)
    if "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = types if "null" in types else [*types, "null"]
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    if "properties" in out:
        out["properties"] = {k: _nullable(v) for k, v in out["properties"].items()}
    if "items" in out:
        out["items"] = _nullable(out["items"])
    return out


def _fields_out(request, schema) -> dict:
    props = {
        child.name: _nullable(json_schema(request, child, for_output=True))
        for child in schema.children
        if child.name != "csrf_token" and not is_write_only(child)
    }
    # Every field is always there, but "name": the site root has none.
    required = sorted(k for k in props if k != "name")
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


def _fields_in(request, schema, type_name: str) -> dict:
    props = {"type": {"const": type_name}}
    required = ["type"]
    for child in schema.children:
        if child.name == "csrf_token" or json_schema(request, child).get("format") == "binary":
            continue
        props[child.name] = json_schema(request, child)
        if child.required:
            required.append(child.name)
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


STR = {"type": "string"}
STR_NULL = {"type": ["string", "null"]}
DATE_TIME = {"type": "string", "format": "date-time"}
DATE_TIME_NULL = {"type": ["string", "null"], "format": "date-time"}
INT = {"type": "integer"}

FILE_INFO = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "filename": STR,
        "mime_type": STR,
        "size": INT,
        "width": INT,
        "height": INT,
    },
    "required": ["url", "filename", "mime_type", "size"],
    "additionalProperties": False,
}

SUMMARY = {
    "type": "object",
    "properties": {
        "id": INT,
        "name": STR,
        "type": STR,
        "type_title": STR,
        "title": STR,
        "description": STR,
        "state": STR,
        "path": STR,
        "url": {"type": "string", "format": "uri"},
        "api_url": {"type": "string", "format": "uri"},
        "effective": DATE_TIME_NULL,
        "modified": DATE_TIME_NULL,
    },
    "required": ["id", "name", "type", "title", "state", "path", "url", "api_url"],
    "additionalProperties": False,
}

PAGING = {
    "type": "object",
    "properties": {
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "links": {
            "type": "object",
            "properties": {"self": STR, "next": STR_NULL, "prev": STR_NULL},
            "required": ["self", "next", "prev"],
            "additionalProperties": False,
        },
    },
    "required": ["page", "per_page", "links"],
    "additionalProperties": False,
}

CONTENT_BASE = {
    "type": "object",
    "properties": {
        "id": INT,
        "type": STR,
        "type_title": STR,
        "name": STR,
        "title": STR,
        "path": STR,
        "url": {"type": "string", "format": "uri"},
        "api_url": {"type": "string", "format": "uri"},
        "state": STR,
        "state_title": STR,
        "created": DATE_TIME_NULL,
        "modified": DATE_TIME_NULL,
        "effective": DATE_TIME_NULL,
        "expires": DATE_TIME_NULL,
        "fields": {"type": "object"},
        "files": {
            "type": "object",
            "properties": {"file": _ref("FileInfo"), "image": _ref("FileInfo"), "video": _ref("FileInfo")},
            "additionalProperties": False,
        },
        "transitions": {"type": "array", "items": STR},
        "addable": {"type": "array", "items": STR},
        "children": {"type": "array", "items": _ref("ChildSummary")},
        "paging": _ref("Paging"),
    },
    "required": ["id", "type", "name", "title", "path", "url", "api_url", "state", "fields", "files"],
    "additionalProperties": False,
}

ERROR = {
    "type": "object",
    "properties": {
        "error": STR,
        "message": STR,
        "fields": {"type": "object", "additionalProperties": STR},
    },
    "required": ["error", "message", "fields"],
    "additionalProperties": False,
}

TYPE_FIELD = {
    "type": "object",
    "properties": {
        "name": STR,
        "type": STR,
        "required": {"type": "boolean"},
        "title": STR,
        "write_only": {"type": "boolean"},
        "choices": {"type": "array"},
        "max_length": INT,
    },
    "required": ["name", "type", "required", "title", "write_only"],
    "additionalProperties": False,
}

TYPES = {
    "type": "object",
    "properties": {
        "types": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": STR,
                    "title": STR,
                    "container": {"type": "boolean"},
                    "addable_to": {"type": "array", "items": STR},
                    "workflow": {"type": "object"},
                    "fields": {"type": "array", "items": _ref("TypeField")},
                },
                "required": ["name", "title", "container", "addable_to", "workflow", "fields"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["types"],
    "additionalProperties": False,
}


def _error_responses(*codes: int) -> dict:
    titles = {
        400: "Bad request (bad JSON)",
        401: "No or bad credentials",
        403: "Not permitted (or bad CSRF token on a cookie-authenticated write)",
        404: "Not found, or not visible to the caller",
        405: "Method not allowed",
        409: "Version conflict (stale If-Match), name clash or transition not available",
        413: "Body too large",
        415: "Unsupported media type",
        422: "Invalid fields (messages in Vietnamese under `fields`)",
        428: "If-Match required",
    }
    err = {"application/json": {"schema": _ref("Error")}}
    return {str(c): {"description": titles[c], "content": err} for c in codes}


def build(request) -> dict:
    types = sorted(request.content_types, key=lambda i: i.name)
    schemas = {
        "Error": ERROR,
        "FileInfo": FILE_INFO,
        "ChildSummary": SUMMARY,
        "Paging": PAGING,
        "ContentBase": CONTENT_BASE,
        "TypeField": TYPE_FIELD,
        "Types": TYPES,
    }
    variants, inputs = [], []
    for info in types:
        schema = type_schema(request, info, "add")
        schemas[f"Fields_{info.name}"] = _fields_out(request, schema)
        schemas[f"Content_{info.name}"] = {
            "allOf": [
                _ref("ContentBase"),
                {
                    "type": "object",
                    "properties": {"type": {"const": info.name}, "fields": _ref(f"Fields_{info.name}")},
                },
            ]
        }
        variants.append(_ref(f"Content_{info.name}"))
        if info.addable_to:
            schemas[f"Input_{info.name}"] = _fields_in(request, schema, info.name)
            inputs.append(_ref(f"Input_{info.name}"))
    schemas["Content"] = {"oneOf": variants}
    schemas["ContentInput"] = {"oneOf": inputs}

    json_content = {"application/json": {"schema": _ref("Content")}}
    path_param = {
        "name": "path",
        "in": "path",
        "required": True,
        "description": "The item's path in the site, e.g. tin-tuc/bai-viet (empty for the site root).",
        "schema": STR,
    }
    etag_header = {"ETag": {"schema": STR, "description": 'W/"<id>-<modified, µs>"'}}
    get_etag_header = {
        "ETag": {
            "schema": STR,
            "description": 'Items: W/"<id>-<modified, µs>" (as for If-Match). Folders and the site '
            'root: W/"<id>-<modified, µs>-<digest>", the digest covering the children listing '
            "(site generation, next scheduled change, caller, language, query); If-Match accepts "
            "it too.",
        }
    }
    body_in = {
        "required": True,
        "content": {
            "application/json": {"schema": _ref("ContentInput")},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "additionalProperties": {"type": "string"},
                },
                "description": "Fields as parts; upload is the part `file` (file, image, news lead image).",
            },
        },
    }
    content_path = {
        "parameters": [path_param],
        "get": {
            "summary": "An item with its fields; folders and the site root with a page of their children",
            "parameters": [
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {
                    "name": "per_page",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                },
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "schema": STR,
                    "description": "ETags of the copies the client holds (or `*`): 304 when one is current.",
                },
            ],
            "responses": {
                "200": {"description": "The item", "headers": get_etag_header, "content": json_content},
                "304": {
                    "description": "Not modified: the copy named in If-None-Match is current (no body)",
                    "headers": get_etag_header,
                },
                **_error_responses(401, 404),
            },
        },
        "post": {
            "summary": "Create an item in this folder (type in the body)",
            "requestBody": body_in,
            "responses": {
                "201": {
                    "description": "Created",
                    "headers": {**etag_header, "Location": {"schema": STR}},
                    "content": json_content,
                },
                **_error_responses(400, 401, 403, 404, 409, 413, 415, 422),
            },
        },
        "patch": {
            "summary": "Change some fields (If-Match required)",
            "parameters": [{"name": "If-Match", "in": "header", "required": True, "schema": STR}],
            "requestBody": body_in,
            "responses": {
                "200": {"description": "Updated", "headers": etag_header, "content": json_content},
                **_error_responses(400, 401, 403, 404, 409, 413, 415, 422, 428),
            },
        },
        "delete": {
            "summary": "Delete the item and everything in it",
            "responses": {"204": {"description": "Deleted"}, **_error_responses(401, 403, 404)},
        },
    }
    # Endpoints of other packages (POST /api/v1/dossiers) describe themselves.
    extra_paths = {}
    for part in request.registry.get("portal.api.openapi_parts", ()):
        paths, more = part(request)
        extra_paths.update(paths)
        schemas.update(more)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Cổng thông tin điện tử — API JSON",
            "version": "1",
            "description": "Read for everyone (what anonymous visitors may see); write with a "
            "per-user API token (Authorization: Bearer pt_...) or the session cookie plus "
            "X-CSRF-Token. Dates are ISO 8601 with the +07:00 offset.",
        },
        "servers": [{"url": request.application_url}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "portal_session"},
            },
        },
        "security": [{}, {"token": []}, {"cookie": []}],
        "paths": {
            "/api/v1/content/": {k: v for k, v in content_path.items() if k != "parameters"},
            "/api/v1/content/{path}": content_path,
            "/api/v1/content/{path}/@workflow/{transition}": {
                "parameters": [
                    path_param,
                    {"name": "transition", "in": "path", "required": True, "schema": STR},
                ],
                "post": {
                    "summary": "Fire a workflow transition (recorded in the history)",
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"comment": {"type": "string", "maxLength": 2000}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {"description": "New state", "headers": etag_header, "content": json_content},
                        **_error_responses(400, 401, 403, 404, 409, 415, 422),
                    },
                },
            },
            "/api/v1/types": {
                "get": {
                    "summary": "Content types, their fields and where they may be added",
                    "responses": {
                        "200": {
                            "description": "The types",
                            "content": {"application/json": {"schema": _ref("Types")}},
                        },
                        **_error_responses(401),
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}
            },
            **extra_paths,
        },
    }


def openapi_view(request):
    check_token(request)
    return build(request)
