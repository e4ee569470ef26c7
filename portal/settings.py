"""Settings: built-in defaults, then the ini file, then the environment.

Every ``portal.*`` setting can be overridden by an environment variable named
``PORTAL_`` + the rest of the key in upper case with dots as underscores
(``portal.site_name`` -> ``PORTAL_SITE_NAME``). A few keys have shorter,
conventional names (``PORTAL_DATABASE_URL`` for ``sqlalchemy.url``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .blobs import DEFAULT_ALLOWED

# Keys whose environment variable is not derived mechanically from the key.
ENV_ALIASES = {
    "sqlalchemy.url": "PORTAL_DATABASE_URL",
    "portal.data_dir": "PORTAL_DATA_DIR",
    "portal.secret": "PORTAL_SECRET",
}

DEFAULTS: dict[str, str] = {
    "portal.data_dir": "var",
    "sqlalchemy.url": "",  # empty: SQLite under the data directory
    "portal.secret": "",  # empty: generated once and kept in the data directory
    "portal.site_name": "Trang thông tin điện tử",
    "portal.site_level": "Ủy ban nhân dân xã",
    "portal.site_address": "",
    "portal.site_hotline": "",
    "portal.site_email": "",
    "portal.default_locale": "vi",
    # The site's name, level and address on pages in English (empty: as above).
    "portal.site_name_en": "",
    "portal.site_level_en": "",
    "portal.site_address_en": "",
    "portal.session_secure": "false",
    "portal.session_max_age": "28800",
    "portal.login.max_failures_per_account": "5",
    "portal.login.max_failures_per_ip": "30",
    "portal.login.lock_minutes": "15",
    # Packages included after the core; "search" is the full-text search (issue 4).
    "portal.includes": "content_types search",
    # Full-text engine: tantivy (default) or whoosh; index under <data dir>/index/<engine>/
    # unless portal.search.index_dir is set.
    "portal.search.engine": "tantivy",
    "portal.search.index_dir": "",
    # This index's name for its outbox cursor (empty: host name + hash of the index dir);
    # seconds a new outbox row is re-applied (commits out of id order); days after which an
    # index not seen no longer holds outbox pruning back (it is rebuilt when it returns).
    "portal.search.index_name": "",
    "portal.search.reapply_seconds": "60",
    "portal.search.cursor_max_age_days": "7",
    # Addresses of reverse proxies whose X-Forwarded-* headers waitress may trust
    # (log-in throttling per address needs the real client address).
    "portal.trusted_proxy": "",
    "portal.upload.max_bytes": str(20 * 1024 * 1024),
    # portal import: the largest file (blob) an archive may bring.
    "portal.transfer.max_blob_bytes": str(1024 * 1024 * 1024),
    # How often counted page views are written (seconds; 0: only when asked to).
    "portal.views.flush_seconds": "30",
    # MIME types (read from the bytes) that uploads may have.
    "portal.upload.allowed_types": DEFAULT_ALLOWED,
    # Larger request bodies are refused by the server before any view sees them.
    "portal.max_request_body": str(25 * 1024 * 1024),
    # Feed import: seconds to wait for a feed's server, and the largest feed read.
    "portal.feeds.timeout": "20",
    "portal.feeds.max_bytes": str(5 * 1024 * 1024),
    # Feed URLs on loopback or private networks are refused (SSRF) unless this is set.
    "portal.feeds.allow_private": "false",
    "portal.reload_templates": "false",
    # Feeds: items per feed; full content in the site-wide feeds (folders have their own
    # flag); "domain,year" for tag: URI guids (empty: urn:uuid from the site and node id).
    "portal.feeds.items": "20",
    "portal.feeds.full_content": "false",
    "portal.feeds.tag_authority": "",
    # Seconds a feed ETag may be confirmed (304) without reading the database; 0: never.
    "portal.feeds.fast_304_seconds": "10",
    # WebSub hub announced in feeds and notified after publishing (empty: none).
    "portal.websub.hub": "",
    # URLs per sitemap file; more make /sitemap.xml an index (50,000 is the protocol's limit).
    "portal.sitemap.max_urls": "50000",
    # Public forms: "<count>/<seconds>" submissions per client address (portal/guard.py).
    "portal.limits.feedback": "10/3600",
    "portal.limits.petition": "10/3600",
    "portal.limits.petition_status": "30/600",
    "portal.limits.dossier_lookup": "20/600",
    "portal.limits.survey": "10/3600",
    # Dossier lookup: the largest CSV `portal dossiers import` reads, the most items one
    # POST /api/v1/dossiers may carry, and the site's public address that
    # `portal dossiers qr` puts in receipt QR codes (empty: http://localhost:6543).
    "portal.dossiers.max_import_bytes": str(20 * 1024 * 1024),
    "portal.dossiers.api_max_items": "1000",
    "portal.dossiers.public_url": "",
    # Mail to staff (new petitions, feedback); off while the host is empty.
    # The site's public address (https://ubnd.example.gov.vn): links in mail to staff are
    # built on it, never on the request's Host header; empty: mail gives paths only.
    "portal.public_url": "",
    "portal.mail.host": "",
    "portal.mail.port": "25",
    "portal.mail.sender": "no-reply@localhost",
    "portal.mail.username": "",
    "portal.mail.password": "",
    "portal.mail.starttls": "false",
    "portal.mail.timeout": "10",
    # Comma-separated addresses told of new petitions and feedback.
    "portal.mail.staff": "",
    # Petitions (/phan-anh-kien-nghi): the departments staff assign them to (comma-
    # separated), days until a new one is due, the folder published answers go to, and
    # the largest file a citizen may attach.
    "portal.petitions.departments": (
        "Văn phòng HĐND và UBND, Phòng Tư pháp, Phòng Tài nguyên và Môi trường, Bộ phận Một cửa"
    ),
    "portal.petitions.due_days": "15",
    "portal.petitions.answers_folder": "/hoi-dap/",
    "portal.petitions.attachment_max_bytes": str(5 * 1024 * 1024),
    "retry.attempts": "3",
    "tm.annotate_user": "false",
    # A transaction manager per request, not the thread-local global one: nothing
    # outside the request (a script's or a test's session) is joined or aborted by it.
    "tm.manager_hook": "pyramid_tm.explicit_manager",
}


def env_name(key: str) -> str:
    if key in ENV_ALIASES:
        return ENV_ALIASES[key]
    if key.startswith("portal."):
        key = key[len("portal.") :]
    return "PORTAL_" + key.replace(".", "_").upper()


def as_bool(value: object) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def resolve(settings: dict | None = None, environ: dict | None = None) -> dict:
    """Merge defaults, the given (ini) settings and the environment."""
    environ = os.environ if environ is None else environ
    merged = dict(DEFAULTS)
    merged.update({k: v for k, v in (settings or {}).items() if v is not None})
    for key in list(merged):
        name = env_name(key)
        if name in environ:
            merged[key] = environ[name]

    data_dir = Path(merged["portal.data_dir"]).expanduser().resolve()
    merged["portal.data_dir"] = str(data_dir)
    if not merged["sqlalchemy.url"]:
        merged["sqlalchemy.url"] = f"sqlite:///{data_dir / 'portal.sqlite'}"
    return merged


def ensure_data_dir(settings: dict) -> Path:
    data_dir = Path(settings["portal.data_dir"])
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir


def ensure_secret(settings: dict) -> str:
    """Return the signing secret, creating one in the data directory if none is set.

    The secret never lives in the repository: it comes from the environment or
    from a file only the portal's user can read.
    """
    if settings.get("portal.secret"):
        return settings["portal.secret"]
    path = ensure_data_dir(settings) / "secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    secret = path.read_text().strip()
    settings["portal.secret"] = secret
    return secret
