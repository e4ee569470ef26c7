"""Public-form guards: per-address rate limits and staff mail (portal/guard.py, portal/mail.py).
The honeypot and refusals are tested through each public form (petitions, feedback …)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from portal import guard, mail
from portal.models import RateLimit, utcnow


def fake_request(db, registry, address="203.0.113.5"):
    return SimpleNamespace(dbsession=db, registry=registry, client_addr=address)


def test_limit_counts_per_address_and_window(db, registry, monkeypatch):
    monkeypatch.setitem(registry.settings, "portal.limits.feedback", "3/60")
    now = utcnow()
    first = fake_request(db, registry)
    assert [guard.hit(first, "feedback", now) for _ in range(3)] == [0, 0, 0]
    wait = guard.hit(first, "feedback", now + dt.timedelta(seconds=10))
    assert 45 <= wait <= 50  # the window opened at `now` and lasts 60 s
    # Another address, or another form, has its own counter.
    assert guard.hit(fake_request(db, registry, "198.51.100.7"), "feedback", now) == 0
    assert guard.hit(first, "petition", now) == 0
    # After the window the count starts again.
    assert guard.hit(first, "feedback", now + dt.timedelta(seconds=61)) == 0
    row = db.get(RateLimit, "feedback:203.0.113.5")
    db.refresh(row)
    assert row.count == 1


@pytest.mark.parametrize("text", ["", "5", "x/60", "0/60", "5/0", "-1/60"])
def test_bad_limit_settings_are_refused_with_a_clear_message(text):
    with pytest.raises(ValueError, match="rate limit"):
        guard.Limit.parse(text)


def test_mail_reaches_the_smtp_server(smtp_sink, registry):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "Kiến nghị mới"
    msg.set_content("Nội dung có dấu: phường Thử Nghiệm")
    mail.send(registry.settings, [msg])
    assert len(smtp_sink) == 1
    assert smtp_sink[0]["Subject"] == "Kiến nghị mới"
    assert "phường Thử Nghiệm" in smtp_sink[0].get_content()
    assert mail.staff_recipients(registry.settings) == ["canbo@example.org", "lanhdao@example.org"]


def test_mail_failure_is_logged_not_raised(registry, monkeypatch, caplog):
    from email.message import EmailMessage

    monkeypatch.setitem(registry.settings, "portal.mail.host", "127.0.0.1")
    monkeypatch.setitem(registry.settings, "portal.mail.port", "9")  # nothing listens
    msg = EmailMessage()
    msg["Subject"] = "x"
    mail.send(registry.settings, [msg])
    assert "could not send" in caplog.text
