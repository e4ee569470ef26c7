"""E-mail to staff (new petitions, feedback): optional, sent after the commit.

Off unless ``portal.mail.host`` is set. Messages are gathered during the request
and sent by an after-commit hook of its transaction, so a rolled-back request
sends nothing; a failure is logged and never fails the citizen's request.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from .settings import as_bool

log = logging.getLogger(__name__)

def enabled(settings) -> bool:
    return bool(settings.get("portal.mail.host", "").strip())


def link(request, url: str) -> str:
    """``url`` as it may go into a mail: on ``portal.public_url`` when set, else only its
    path. Never the request's own host: anyone can send any Host header, and a petition
    form would otherwise mail staff a link to the sender's site."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    path += f"#{parts.fragment}" if parts.fragment else ""
    base = request.registry.settings.get("portal.public_url", "").strip().rstrip("/")
    return base + path if base else path


def one_line(text: str) -> str:
    """A header value on one line: a line break in a subject would make the mail library
    refuse the message (a header injection otherwise)."""
    return " ".join(str(text).split())


def staff_recipients(settings) -> list[str]:
    return [a.strip() for a in settings.get("portal.mail.staff", "").split(",") if a.strip()]


def notify_staff(request, subject: str, body: str) -> None:
    """Queue a message to ``portal.mail.staff`` (nothing when mail is off or nobody is set)."""
    settings = request.registry.settings
    to = staff_recipients(settings)
    if enabled(settings) and to:
        queue(request, to, subject, body)


def queue(request, to: list[str], subject: str, body: str) -> None:
    settings = request.registry.settings
    msg = EmailMessage()
    msg["From"] = formataddr((settings["portal.site_name"], settings["portal.mail.sender"]))
    msg["To"] = ", ".join(to)
    msg["Subject"] = one_line(subject)[:250]
    msg["Message-ID"] = make_msgid(domain=settings["portal.mail.sender"].rpartition("@")[2] or None)
    msg.set_content(body)
    # On the request (not the environ): a retried request is a new request and a new
    # transaction, and an aborted one calls no after-commit hook.
    pending = getattr(request, "_portal_mail", None)
    if pending is None:
        pending = request._portal_mail = []
        request.tm.get().addAfterCommitHook(_after_commit, args=(settings, pending))
    pending.append(msg)


def _after_commit(success: bool, settings, pending: list[EmailMessage]) -> None:
    if success and pending:
        send(settings, list(pending))
    pending.clear()


def send(settings, messages: list[EmailMessage]) -> None:
    host = settings["portal.mail.host"].strip()
    port = int(settings["portal.mail.port"])
    timeout = float(settings["portal.mail.timeout"])
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if as_bool(settings["portal.mail.starttls"]):
                smtp.starttls(context=ssl.create_default_context())
            user = settings["portal.mail.username"]
            if user:
                smtp.login(user, settings["portal.mail.password"])
            for msg in messages:
                smtp.send_message(msg)
    except (OSError, smtplib.SMTPException):
        log.exception("mail: could not send %d message(s) through %s:%s", len(messages), host, port)
