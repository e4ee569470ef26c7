"""The dossier rules shared by the importer, the API, the lookup page and the staff list:
status vocabulary, code and secret normalisation, the keyed secret hash, the masked
name, and "overdue" (in Python here, in SQL in ``overdue_clause``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from sqlalchemy import and_, or_

from portal.i18n import _
from portal.text import TZ, nfc, search_fold

# The six statuses of the one-stop office's system, in the order a dossier goes through.
STATUSES = {
    "cho-xu-ly": _("Chờ xử lý"),
    "dang-xu-ly": _("Đang xử lý"),
    "yeu-cau-bo-sung": _("Yêu cầu bổ sung"),
    "tu-choi": _("Từ chối"),
    "cho-tra-ket-qua": _("Chờ trả kết quả"),
    "da-tra-ket-qua": _("Đã trả kết quả"),
}
# Nothing more will happen to these: their due date no longer runs.
FINISHED = ("tu-choi", "da-tra-ket-qua")

# A status as the export writes it: the code, or the label with or without accents.
_STATUS_BY_TEXT = {
    **{code: code for code in STATUSES},
    **{search_fold(str(t)): c for c, t in STATUSES.items()},
}

MAX_CODE = 64
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]*$")
MIN_SECRET, MAX_SECRET = 4, 32
_SECRET = re.compile(r"^[A-Z0-9]+$")


def status_code(text: str) -> str | None:
    """``"Đang xử lý"``, ``"dang xu ly"`` or ``"dang-xu-ly"`` -> ``"dang-xu-ly"``; None if unknown."""
    folded = search_fold(text)
    return _STATUS_BY_TEXT.get(folded) or _STATUS_BY_TEXT.get(folded.replace(" ", "-"))


def normalize_code(text: str | None) -> str | None:
    """The stored form of a dossier code (upper case, no surrounding spaces), or None
    when it is not one: letters, digits and . - _ / only, at most 64 characters."""
    code = nfc(text).strip().upper()
    if not code or len(code) > MAX_CODE or not code.isascii() or not _CODE.match(code):
        return None
    return code


def normalize_secret(text: str | None) -> str | None:
    """The short secret printed on the receipt: letters and digits, case and spaces
    ignored (people retype it from paper)."""
    secret = "".join(nfc(text).split()).upper()
    if not MIN_SECRET <= len(secret) <= MAX_SECRET or not secret.isascii() or not _SECRET.match(secret):
        return None
    return secret


def secret_hash(key: str, code: str, secret: str) -> str:
    """HMAC-SHA256 keyed with ``portal.secret`` over the code and the secret: the table
    alone (a leaked backup) does not give the secrets, and a hash is not reusable for
    another dossier."""
    message = f"{code}\n{secret}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


# Compared when no dossier has the code, so a missing code costs the same as a wrong secret.
_NO_MATCH = "0" * 64


def secret_matches(key: str, code: str, secret: str, stored: str | None) -> bool:
    given = secret_hash(key, code, secret)  # always computed: same work either way
    return hmac.compare_digest(given, stored or _NO_MATCH) and stored is not None


def mask_name(name: str | None) -> str:
    """A name as shown: "Nguyễn Văn An" -> "N*** V** A*", each word's first letter and at
    most three stars, so the length of a long name is not given away either."""
    words = nfc(name).split()
    return " ".join(w[0] + "*" * min(len(w) - 1, 3) for w in words)


def today() -> dt.date:
    """Today's date in Vietnam: a due date passes at midnight in Hanoi, not in UTC."""
    return dt.datetime.now(TZ).date()


def is_overdue(
    status: str, due_on: dt.date | None, returned_on: dt.date | None, on: dt.date | None = None
) -> bool:
    """Late when not finished and the due date has passed, or finished after it
    ("trả kết quả quá hạn")."""
    if due_on is None:
        return False
    if status in FINISHED:
        return returned_on is not None and returned_on > due_on
    return (on or today()) > due_on


def overdue_clause(model, on: dt.date | None = None):
    """``is_overdue`` as SQL over ``model``'s columns (a filter of the staff list)."""
    on = on or today()
    return and_(
        model.due_on.is_not(None),
        or_(
            and_(model.status.not_in(FINISHED), model.due_on < on),
            and_(
                model.status.in_(FINISHED), model.returned_on.is_not(None), model.returned_on > model.due_on
            ),
        ),
    )
