"""One dossier record as the one-stop system sends it (a CSV line or a JSON object):
field names, checks and Vietnamese reasons, shared by the importer and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.i18n import _
from portal.text import nfc, strip_controls

from .rules import normalize_code, normalize_secret, status_code

# The documented columns (docs/architecture.md, "Dossier lookup"), ASCII on purpose.
REQUIRED = ("ma_ho_so", "thu_tuc", "ngay_nhan", "trang_thai")
OPTIONAL = ("ma_bi_mat", "ma_thu_tuc", "nguoi_nop", "dia_chi", "han_tra", "ngay_trang_thai", "ngay_tra")
COLUMNS = REQUIRED + OPTIONAL
# Accepted so that a full export imports as it is, and dropped at once: the portal
# never needs the applicant's address (data minimisation).
DROPPED = ("dia_chi",)

MAX_TITLE, MAX_NAME, MAX_FIELD = 500, 255, 2000


@dataclass
class Record:
    code: str
    secret: str | None  # None: keep the stored secret (only for a code already known)
    procedure_title: str
    procedure_code: str
    applicant_name: str
    received_on: dt.date
    due_on: dt.date | None
    status: str
    status_on: dt.date | None
    returned_on: dt.date | None


def parse_date(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            value = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return value if 1900 <= value.year <= 9999 else None
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError
    # Control characters (NUL above all, which PostgreSQL refuses) never reach a column.
    return strip_controls(nfc(str(value))).strip()


def check(raw: dict) -> tuple[Record | None, dict]:
    """(the record, {}) or (None, {column: Vietnamese reason}). ``raw`` maps column
    names to strings (a CSV line) or JSON scalars; unknown names are refused, since a
    misspelt column would otherwise lose its data silently."""
    errors: dict = {}
    values: dict[str, str] = {}
    for key, value in raw.items():
        if key not in COLUMNS:
            errors[str(key)[:40]] = _("Cột không được hỗ trợ.")
            continue
        try:
            text = _text(value)
        except TypeError:
            errors[key] = _("Phải là một chuỗi ký tự.")
            continue
        if len(text) > MAX_FIELD:
            errors[key] = _("Quá dài (tối đa ${n} ký tự).", mapping={"n": MAX_FIELD})
            continue
        values[key] = text
    for key in REQUIRED:
        if key not in errors and not values.get(key):
            errors[key] = _("Bắt buộc.")

    code = secret = status = None
    if values.get("ma_ho_so") and "ma_ho_so" not in errors:
        code = normalize_code(values["ma_ho_so"])
        if code is None:
            errors["ma_ho_so"] = _("Mã hồ sơ chỉ gồm chữ, số và . - _ /, tối đa 64 ký tự.")
    if values.get("ma_bi_mat"):
        secret = normalize_secret(values["ma_bi_mat"])
        if secret is None:
            errors["ma_bi_mat"] = _("Mã tra cứu gồm 4 đến 32 chữ cái hoặc chữ số.")
    if values.get("trang_thai") and "trang_thai" not in errors:
        status = status_code(values["trang_thai"])
        if status is None:
            errors["trang_thai"] = _(
                "Trạng thái không hợp lệ (Chờ xử lý, Đang xử lý, Yêu cầu bổ sung, Từ chối, "
                "Chờ trả kết quả, Đã trả kết quả)."
            )
    dates = {}
    for key in ("ngay_nhan", "han_tra", "ngay_trang_thai", "ngay_tra"):
        if values.get(key) and key not in errors:
            dates[key] = parse_date(values[key])
            if dates[key] is None:
                errors[key] = _("Ngày không hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd).")
    for key, limit in (("thu_tuc", MAX_TITLE), ("nguoi_nop", MAX_NAME), ("ma_thu_tuc", 64)):
        if len(values.get(key, "")) > limit and key not in errors:
            errors[key] = _("Quá dài (tối đa ${n} ký tự).", mapping={"n": limit})
    received, due, returned = dates.get("ngay_nhan"), dates.get("han_tra"), dates.get("ngay_tra")
    if received and due and due < received:
        errors["han_tra"] = _("Hạn trả trước ngày nhận.")
    if received and returned and returned < received:
        errors["ngay_tra"] = _("Ngày trả trước ngày nhận.")
    if status == "da-tra-ket-qua" and not returned and "ngay_tra" not in errors:
        errors["ngay_tra"] = _("Bắt buộc khi hồ sơ đã trả kết quả.")
    if errors:
        return None, errors
    return (
        Record(
            code=code,
            secret=secret,
            procedure_title=values["thu_tuc"],
            procedure_code=values.get("ma_thu_tuc", ""),
            applicant_name=values.get("nguoi_nop", ""),
            received_on=received,
            due_on=due,
            status=status,
            status_on=dates.get("ngay_trang_thai"),
            returned_on=returned,
        ),
        {},
    )
