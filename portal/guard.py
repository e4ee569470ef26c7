"""Public forms (feedback, petitions, dossier lookup, survey): a honeypot field,
per-address rate limits from settings, and refusals that keep what was typed.

Counters live in ``rate_limits`` (one fixed window per bucket and address), written
with one upsert in the request's own transaction: a refused submission still
commits its count, and several processes share the limit with no extra service.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import colander
import deform
from pyramid.csrf import check_csrf_token
from sqlalchemy import case, delete, literal
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .forms import CSRF_EXPIRED, CSRFSchema
from .i18n import _
from .models import RateLimit, UTCDateTime, utcnow

# Bots fill fields with a tempting name; people never see this one.
HONEYPOT = "website"


_PRUNE_EVERY = 600.0
_KEEP = dt.timedelta(days=1)
_pruned = {"at": 0.0}
_prune_lock = threading.Lock()


class PublicFormSchema(CSRFSchema):
    """Base schema of every form anonymous citizens submit: adds the honeypot."""

    website = colander.SchemaNode(
        colander.String(),
        title=_("Để trống ô này"),
        missing="",
        widget=deform.widget.TextInputWidget(
            item_css_class="honeypot", attributes={"autocomplete": "off", "tabindex": "-1"}
        ),
    )


class Limit:
    def __init__(self, count: int, seconds: int):
        self.count, self.seconds = count, seconds

    @classmethod
    def parse(cls, text: str) -> Limit:
        count, _sep, seconds = str(text).partition("/")
        try:
            limit = cls(int(count), int(seconds))
        except ValueError:
            raise ValueError(f"a rate limit is '<count>/<seconds>', not {text!r}") from None
        if limit.count < 1 or limit.seconds < 1:
            raise ValueError(f"a rate limit needs a positive count and window, not {text!r}")
        return limit


def limit_for(settings, bucket: str) -> Limit:
    """``portal.limits.<bucket>`` ("<count>/<seconds>"; defaults in portal/settings.py)."""
    return Limit.parse(settings[f"portal.limits.{bucket}"])


def client_address(request) -> str:
    # waitress has already applied portal.trusted_proxy to REMOTE_ADDR.
    return (request.client_addr or "unknown")[:100]


def hit(request, bucket: str, now: dt.datetime | None = None) -> int:
    """Count one attempt in ``bucket`` for the client's address; 0 if allowed, else the
    seconds until the window ends."""
    limit = limit_for(request.registry.settings, bucket)
    db = request.dbsession
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=limit.seconds)
    key = f"{bucket}:{client_address(request)}"
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    expired = RateLimit.window_start < literal(cutoff, UTCDateTime)
    stmt = (
        insert(RateLimit)
        .values(key=key, window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=["key"],
            set_={
                "count": case((expired, 1), else_=RateLimit.count + 1),
                "window_start": case((expired, literal(now, UTCDateTime)), else_=RateLimit.window_start),
            },
        )
        .returning(RateLimit.count, RateLimit.window_start)
    )
    count, start = db.execute(stmt).one()
    _maybe_prune(db, now)
    if count <= limit.count:
        return 0
    return max(1, int((start + dt.timedelta(seconds=limit.seconds) - now).total_seconds()))


def _maybe_prune(db, now: dt.datetime) -> None:
    with _prune_lock:
        if time.monotonic() - _pruned["at"] < _PRUNE_EVERY:
            return
        _pruned["at"] = time.monotonic()
    db.execute(delete(RateLimit).where(RateLimit.window_start < now - _KEEP))


def refuse(request, form: deform.Form, page: dict, message, status: int = 400) -> dict:
    """The form again with what was typed and ``message`` at its top (the error summary)."""
    from .views.editing import render_form

    exc = colander.Invalid(form.schema, message)
    form.widget.handle_error(form, exc)
    request.response.status = status
    return {**page, **render_form(request, form, failure=deform.ValidationFailure(form, form.cstruct, exc))}


def wait_message(seconds: int):
    minutes = max(1, -(-seconds // 60))
    return _(
        "Bạn đã gửi quá nhiều lần. Vui lòng thử lại sau ${minutes} phút; thông tin bạn nhập vẫn được giữ.",
        mapping={"minutes": minutes},
    )


def _typed_back(form: deform.Form, controls) -> None:
    """Fill ``form.cstruct`` with what was typed, files left out: validation stores an
    upload as it reads it, and a refused request must not write anything."""
    try:
        form.validate([(k, "" if hasattr(v, "file") else v) for k, v in controls])
    except deform.ValidationFailure:
        pass


def validated_public(request, form: deform.Form, page: dict, bucket: str):
    """Like ``views.editing.validated`` for a public form: (appstruct, None) when the
    submission is valid, not from a bot and within the address's limit; otherwise
    (None, the page re-rendered with what was typed and why, status 400 or 429).

    The honeypot, the limit and the CSRF token are checked before the form is
    validated, so that a bot, an address over its limit or a forged request never
    gets an upload stored; every other attempt counts against the limit."""
    from .views.editing import validated

    controls = list(request.POST.items())
    if request.POST.get(HONEYPOT):
        _typed_back(form, controls)
        return None, refuse(request, form, page, _("Không gửi được: ô “Để trống ô này” phải để trống."))
    wait = hit(request, bucket)
    if wait:
        request.response.headers["Retry-After"] = str(wait)
        _typed_back(form, controls)
        return None, refuse(request, form, page, wait_message(wait), status=429)
    if not check_csrf_token(request, token="csrf_token", header=None, raises=False):
        _typed_back(form, controls)
        return None, refuse(request, form, page, CSRF_EXPIRED)
    return validated(request, form, page)
