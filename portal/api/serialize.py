"""Nodes as JSON: fields from the type's schema, files as absolute URLs, dates in
ISO 8601 with Vietnam's offset (+07:00), folders with one page of their children."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import colander

from .. import listing
from ..text import TZ
from ..views.editing import default_appstruct
from .fields import SKIP, api_schema, is_upload, is_write_only

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


def iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite aggregates: naive values are UTC
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(TZ).isoformat()
    return value.isoformat()


def plain(value):
    """An appstruct value as JSON."""
    if value is colander.null or value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return iso(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def etag(node) -> str:
    """Weak validator for If-Match: the item's id and its last change, to the
    microsecond (every edit and transition sets ``modified``)."""
    modified = node.modified
    stamp = int(modified.timestamp() * 1_000_000) if modified else 0
    return f'W/"{node.id}-{stamp}"'


def representation_etag(request, node, container: bool) -> str:
    """The validator of a GET answer (If-None-Match): ``etag(node)`` (the one PATCH's
    If-Match wants) plus a digest of what else the answer depends on: the site generation
    (every write: related items' titles, terms, a folder's children), the caller (their
    transitions), the language (translated titles) and the query string (paging); for a
    folder also the next scheduled publication or expiry among its children, so that its
    tag changes on time with no write. If-Match compares only the ``<id>-<modified>``
    part (``etag_base``)."""
    base = etag(node)
    upcoming = listing.next_change(request, node) if container else None
    user = request.user.id if request.user is not None else 0
    parts = (request.site_info.generation, iso(upcoming), user, request.locale_name, request.query_string)
    extra = "|".join(str(p) for p in parts)
    digest = hashlib.sha256(extra.encode()).hexdigest()[:16]
    return f'{base[:-1]}-{digest}"'


def etag_base(tag: str) -> str:
    """``W/"12-1700000000000000"`` of any of our tags (weak or strong, folder or not)."""
    inner = tag.strip().removeprefix("W/").strip('"')
    return "-".join(inner.split("-")[:2])


def api_url(request, path: str) -> str:
    return request.route_url("api_content_root") + path.lstrip("/")


def node_url(request, path: str) -> str:
    from urllib.parse import quote

    return request.application_url + quote(path, safe="/-._~")


def field_values(request, info, node) -> dict:
    """Every field of the type's schema as the edit form would fill it in."""
    from ..views.editing import build_schema

    schema = build_schema(request, info, node, "edit", obj=node)
    appstruct = (info.to_appstruct or default_appstruct)(node, schema)
    return {
        child.name: output(child, appstruct.get(child.name))
        for child in schema.children
        if child.name not in SKIP and not is_write_only(child)
    }


def output(node: colander.SchemaNode, value):
    """A value as JSON, led by its schema node: nested files (a table row's template)
    show their name, type and size, never the upload bookkeeping around them."""
    if value is colander.null or value is None:
        return None
    if is_upload(node):
        return {
            "filename": value.get("filename") or "",
            "mime_type": value.get("sniffed") or value.get("mimetype") or "",
            "size": value.get("size") or 0,
        }
    if isinstance(node.typ, colander.Mapping) and isinstance(value, dict):
        return {child.name: output(child, value.get(child.name)) for child in node.children}
    if isinstance(node.typ, colander.Sequence) and isinstance(value, list | tuple):
        return [output(node.children[0], v) for v in value]
    return plain(value)


def files(request, node) -> dict:
    """Absolute URLs of the item's stored files (a file or image, a news lead image
    and video): what a client downloads."""
    out = {}
    url = node_url(request, node.path)
    if getattr(node, "sha256", ""):
        entry = {
            "url": f"{url}@@download",
            "filename": node.filename,
            "mime_type": node.mime_type,
            "size": node.size,
        }
        if hasattr(node, "width"):
            entry.update(width=node.width, height=node.height)
        out["file"] = entry
    if getattr(node, "image_sha256", ""):
        out["image"] = {
            "url": f"{url}@@anh-dai-dien/goc",
            "filename": node.image_filename,
            "mime_type": node.image_mime_type,
            "size": node.image_size,
            "width": node.image_width,
            "height": node.image_height,
        }
    if getattr(node, "video_sha256", ""):
        out["video"] = {
            "url": f"{url}@@video",
            "filename": node.video_filename,
            "mime_type": node.video_mime_type,
            "size": node.video_size,
        }
    return out


def summary(request, row, types) -> dict:
    """A child in a listing, from the listing's columns only (no subtype table)."""
    info = types.get(row.type)
    return {
        "id": row.id,
        "name": row.name,
        "type": row.type,
        "type_title": request.localizer.translate(info.title) if info else row.type,
        "title": row.title,
        "description": row.description or "",
        "state": row.state,
        "path": row.path,
        "url": node_url(request, row.path),
        "api_url": api_url(request, row.path),
        "effective": iso(row.effective),
        "modified": iso(row.modified),
    }


def per_page(request) -> int:
    try:
        value = int(request.GET.get("per_page", DEFAULT_PER_PAGE))
    except (TypeError, ValueError):
        return DEFAULT_PER_PAGE
    return min(max(value, 1), MAX_PER_PAGE)


def page(request) -> int:
    try:
        value = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        return 1
    return min(max(value, 1), 100_000)


def children_page(request, node) -> tuple[list[dict], dict]:
    """One page of the children the caller may see (one query: one row more than shown
    says whether there is a next page), and the links to the pages around it."""
    number, size = page(request), per_page(request)
    rows = listing.children(request, node, limit=size + 1, offset=(number - 1) * size)
    types = request.content_types
    items = [summary(request, row, types) for row in rows[:size]]
    base = api_url(request, node.path)
    links = {"self": f"{base}?page={number}&per_page={size}", "next": None, "prev": None}
    if len(rows) > size:
        links["next"] = f"{base}?page={number + 1}&per_page={size}"
    if number > 1:
        links["prev"] = f"{base}?page={number - 1}&per_page={size}"
    return items, {"page": number, "per_page": size, "links": links}


def node_json(request, node, *, with_children: bool = True) -> dict:
    types = request.content_types
    info = types.info_for(node)
    workflow = types.workflow_for(node)
    state = workflow.states.get(node.state)
    t = request.localizer.translate
    data = {
        "id": node.id,
        "type": node.type,
        "type_title": t(info.title) if info else node.type,
        "name": node.name,
        "title": node.title,
        "path": node.path,
        "url": node_url(request, node.path),
        "api_url": api_url(request, node.path),
        "state": node.state,
        "state_title": t(state.title) if state else node.state,
        "created": iso(node.created),
        "modified": iso(node.modified),
        "effective": iso(node.effective),
        "expires": iso(node.expires),
        "fields": field_values(request, info, node) if info else {},
        "files": files(request, node),
    }
    if request.user is not None:
        # The transitions this caller may fire now (POST .../@workflow/<name>).
        data["transitions"] = [
            tr.name for tr in workflow.available(node.state) if request.has_permission(tr.permission, node)
        ]
        if info is not None and info.container:
            # What this caller may add here (the registry's rules and their permission).
            data["addable"] = [i.name for i in types.addable(request, node)]
    if info is not None and info.container and with_children:
        data["children"], data["paging"] = children_page(request, node)
    return data


__all__ = ["api_schema", "node_json", "etag", "iso"]
