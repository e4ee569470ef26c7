"""POST /api/v1/dossiers: the one-stop system pushes status updates (one JSON object or
a list, the CSV's column names as keys). Needs a user holding ``manage_dossiers`` at
the site root (an API token, or the session cookie plus X-CSRF-Token). All items are
checked first: one bad item and nothing is written (422 naming each bad field as
"<index>.<column>")."""

from __future__ import annotations

import json

from portal.api.body import JSON_MAX
from portal.api.content import require_writer
from portal.api.errors import ApiError
from portal.i18n import _
from portal.permissions import Permissions

from .importer import import_items
from .records import COLUMNS, REQUIRED
from .rules import STATUSES

API_MAX_ITEMS = 1000  # portal.dossiers.api_max_items


def _items(request) -> list:
    settings = request.registry.settings
    limit = int(settings.get("portal.api.max_json_bytes", JSON_MAX))
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "too_large", _("Dữ liệu gửi lên quá lớn."))
    body = request.body_file.read(limit + 1)
    if len(body) > limit:
        raise ApiError(413, "too_large", _("Dữ liệu gửi lên quá lớn."))
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", _("Hãy gửi dữ liệu dạng application/json."))
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_json", _("Dữ liệu JSON không hợp lệ.")) from None
    items = data if isinstance(data, list) else [data]
    most = int(settings.get("portal.dossiers.api_max_items", API_MAX_ITEMS))
    if not items or len(items) > most:
        raise ApiError(422, "invalid", _("Gửi từ 1 đến ${n} hồ sơ mỗi lần.", mapping={"n": most}))
    if not all(isinstance(item, dict) for item in items):
        raise ApiError(400, "bad_json", _("Mỗi hồ sơ phải là một đối tượng JSON."))
    return list(enumerate(items))


def push_view(request):
    require_writer(request)  # the CSRF header for cookie-authenticated calls
    items = _items(request)
    key = request.registry.settings["portal.secret"]
    outcome = import_items(request.dbsession, request.root_node.site_id, key, items)
    if outcome.errors:
        fields = {}
        for index, reasons in outcome.errors[:200]:
            for column, message in reasons.items():
                fields[str(index) if column.startswith("_") else f"{index}.{column}"] = message
        raise ApiError(422, "invalid", _("Có hồ sơ không hợp lệ; không hồ sơ nào được ghi."), fields)
    request.response.cache_control = "no-store"
    return {"created": outcome.created, "updated": outcome.updated}


def openapi_part(request) -> tuple[dict, dict]:
    """(paths, schemas) this endpoint adds to /api/v1/openapi.json."""
    string = {"type": "string", "maxLength": 2000}
    item = {
        "type": "object",
        "description": "A dossier as the one-stop system exports it; `dia_chi` is accepted and "
        "dropped. Dates dd/mm/yyyy or yyyy-mm-dd; `trang_thai` a code or its Vietnamese label "
        f"({', '.join(STATUSES)}). `ma_bi_mat` may be left out for a dossier already known.",
        "properties": {name: string for name in COLUMNS},
        "required": list(REQUIRED),
        "additionalProperties": False,
    }
    schemas = {
        "DossierInput": item,
        "DossierResult": {
            "type": "object",
            "properties": {
                "created": {"type": "integer", "minimum": 0},
                "updated": {"type": "integer", "minimum": 0},
            },
            "required": ["created", "updated"],
            "additionalProperties": False,
        },
    }
    err = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    errors = {
        "400": "Bad JSON",
        "401": "No or bad credentials",
        "403": "Not permitted (manage_dossiers) or bad CSRF token",
        "413": "Body too large",
        "415": "Unsupported media type",
        "422": "Invalid items (nothing written); `fields` keys are `<index>.<column>`",
    }
    paths = {
        "/api/v1/dossiers": {
            "post": {
                "summary": "Create or update dossiers by code (all or nothing)",
                "security": [{"token": []}, {"cookie": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"$ref": "#/components/schemas/DossierInput"},
                                    {"type": "array", "items": {"$ref": "#/components/schemas/DossierInput"}},
                                ]
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Counts of dossiers created and updated",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/DossierResult"}}
                        },
                    },
                    **{code: {"description": text, "content": err} for code, text in errors.items()},
                },
            }
        }
    }
    return paths, schemas


def add_api(config):
    config.add_route("api_dossiers", "/api/v1/dossiers")
    config.add_view(
        push_view,
        route_name="api_dossiers",
        renderer="json",
        request_method="POST",
        permission=Permissions.ManageDossiers,
        require_csrf=False,  # a bearer request needs none; cookies are checked in the view
    )
    config.registry.setdefault("portal.api.openapi_parts", []).append(openapi_part)
