"""Importing records from the one-stop system: a CSV file (``portal dossiers import``)
or the API's JSON items. Every record is checked first; one bad record and nothing
is written. Otherwise all are upserted by code in the caller's transaction with a
fixed number of queries (existing codes and procedures read once, then one
executemany insert, one executemany update and one executemany insert of status
events), so 10,000 lines take seconds."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import column, insert, select, table, update

from portal.i18n import _
from portal.models import Node, utcnow
from portal.text import nfc

from .models import Dossier, DossierEvent
from .records import COLUMNS, DROPPED, REQUIRED, Record, check
from .rules import secret_hash, today

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # portal.dossiers.max_import_bytes
SHOWN_ERRORS = 50  # lines listed when a file is refused; the rest are counted

# The procedures' own table, named here rather than imported: the core never imports
# a content type (content_types/procedure.py owns the model).
_procedures = table("procedures", column("id"), column("code"))


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    # (line number or item index, {column: reason}), in order
    errors: list = field(default_factory=list)


def max_import_bytes(settings) -> int:
    return int(settings.get("portal.dossiers.max_import_bytes", MAX_IMPORT_BYTES))


def read_csv(data: bytes) -> tuple[list, list]:
    """([(line, {column: text})], errors). UTF-8 with or without a BOM; comma or
    semicolon separated (spreadsheets set to Vietnamese write semicolons)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return [], [(line, {"_": _("Tệp không phải UTF-8.")})]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [(1, {"_": _("Tệp trống.")})]
    except csv.Error:
        return [], [(1, {"_": _("Dòng tiêu đề không đọc được.")})]
    # Columns without a name (a spreadsheet's trailing separator) are ignored.
    named = [h for h in header if h]
    unknown = [h for h in named if h not in COLUMNS]
    missing = [h for h in REQUIRED if h not in header]
    if unknown or missing or len(set(named)) != len(named):
        reasons = {}
        if unknown:
            reasons["_"] = _("Cột không được hỗ trợ: ${names}.", mapping={"names": ", ".join(unknown)[:200]})
        if missing:
            reasons["__"] = _("Thiếu cột: ${names}.", mapping={"names": ", ".join(missing)})
        if len(set(named)) != len(named):
            reasons["___"] = _("Có cột trùng tên.")
        return [], [(1, reasons)]
    rows, errors = [], []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            errors.append((reader.line_num, {"_": _("Dòng không đọc được (dấu ngoặc kép?).")}))
            break
        if not any(c.strip() for c in cells):
            continue  # blank lines, often at the end
        if len(cells) != len(header):
            errors.append(
                (
                    reader.line_num,
                    {"_": _("Có ${n} ô, cần ${m}.", mapping={"n": len(cells), "m": len(header)})},
                )
            )
            continue
        rows.append((reader.line_num, {h: c for h, c in zip(header, cells, strict=True) if h}))
    return rows, errors


def check_all(items: list) -> tuple[list, list]:
    """[(label, raw)] -> ([(label, Record)], [(label, reasons)])."""
    records, errors = [], []
    for label, raw in items:
        record, reasons = check(raw)
        if reasons:
            errors.append((label, reasons))
        else:
            records.append((label, record))
    return records, errors


def _procedure_ids(db, site_id: int) -> tuple[dict, dict]:
    """{code upper: id}, {title casefolded: id} of the site's procedures, in one query."""
    rows = db.execute(
        select(Node.id, Node.title, _procedures.c.code)
        .join(_procedures, _procedures.c.id == Node.id)
        .where(Node.site_id == site_id, Node.type == "procedure")
        .order_by(Node.id)
    ).all()
    by_code, by_title = {}, {}
    for row in rows:
        if row.code:
            by_code.setdefault(row.code.strip().upper(), row.id)
        by_title.setdefault(nfc(row.title).strip().casefold(), row.id)
    return by_code, by_title


def upsert(db, site_id: int, key: str, records: list) -> Outcome:
    """Write ``[(label, Record)]`` (already checked) for the site, or write nothing and
    return the errors found against the stored rows (duplicates, missing secrets)."""
    outcome = Outcome()
    existing = {
        row.code: row
        for row in db.execute(
            select(Dossier.id, Dossier.code, Dossier.status, Dossier.status_on).where(
                Dossier.site_id == site_id
            )
        )
    }
    seen: dict[str, object] = {}
    for label, record in records:
        if record.code in seen:
            outcome.errors.append(
                (label, {"ma_ho_so": _("Trùng mã hồ sơ với ${other}.", mapping={"other": seen[record.code]})})
            )
        seen[record.code] = label
        if record.secret is None and record.code not in existing:
            outcome.errors.append((label, {"ma_bi_mat": _("Bắt buộc với hồ sơ mới.")}))
    if outcome.errors:
        return outcome
    by_code, by_title = _procedure_ids(db, site_id)
    now, day = utcnow(), today()
    new, changed, changed_keep_secret = [], [], []
    for _label, r in records:
        old = existing.get(r.code)
        values = {
            "procedure_title": r.procedure_title,
            "procedure_id": by_code.get(r.procedure_code.upper()) if r.procedure_code else None,
            "applicant_name": r.applicant_name,
            "received_on": r.received_on,
            "due_on": r.due_on,
            "status": r.status,
            "status_on": r.status_on
            or (old.status_on if old is not None and old.status == r.status else day),
            "returned_on": r.returned_on,
            "updated_at": now,
        }
        if values["procedure_id"] is None:
            values["procedure_id"] = by_title.get(r.procedure_title.casefold())
        if r.secret is not None:
            values["secret_hash"] = secret_hash(key, r.code, r.secret)
        if old is None:
            new.append({"site_id": site_id, "code": r.code, **values})
        elif r.secret is None:
            changed_keep_secret.append({"id": old.id, **values})
        else:
            changed.append({"id": old.id, **values})
    events = []
    if new:
        # RETURNING with executemany (SQLite 3.35+, PostgreSQL): the new ids in the same pass.
        ids = dict(db.execute(insert(Dossier).returning(Dossier.code, Dossier.id), new).tuples().all())
        events += [{"dossier_id": ids[row["code"]], "status": row["status"], "status_on": row["status_on"]}
                   for row in new]  # fmt: skip
    for rows in (changed, changed_keep_secret):
        if rows:
            db.execute(update(Dossier), rows)
    for _label, r in records:
        old = existing.get(r.code)
        if old is not None and old.status != r.status:
            events.append({"dossier_id": old.id, "status": r.status, "status_on": r.status_on or day})
    if events:
        for event in events:
            event["recorded_at"] = now
        db.execute(insert(DossierEvent), events)
    outcome.created, outcome.updated = len(new), len(changed) + len(changed_keep_secret)
    return outcome


def import_items(db, site_id: int, key: str, items: list) -> Outcome:
    """Check every ``(label, raw)`` item, then upsert them all or none."""
    records, errors = check_all(items)
    if errors:
        return Outcome(errors=errors)
    return upsert(db, site_id, key, records)


def import_csv(db, site_id: int, key: str, data: bytes) -> Outcome:
    rows, errors = read_csv(data)
    records, bad = check_all(rows)
    errors = sorted(errors + bad, key=lambda e: e[0])
    if errors:
        return Outcome(errors=errors)
    return upsert(db, site_id, key, records)


def describe(errors: list, translate=None, limit: int = SHOWN_ERRORS) -> list[str]:
    """One line per bad line, columns in the documented order:
    "dòng 5: ma_ho_so: …; ngay_nhan: Ngày không hợp lệ (…)." """
    translate = translate or (lambda m: m.interpolate() if hasattr(m, "interpolate") else str(m))
    order = {name: i for i, name in enumerate(COLUMNS)}
    lines = []
    for label, reasons in errors[:limit]:
        parts = []
        for key in sorted(reasons, key=lambda k: order.get(k, -1)):
            text = translate(reasons[key]).rstrip(".")
            parts.append(text if key.startswith("_") else f"{key}: {text}")
        lines.append(f"dòng {label}: " + "; ".join(parts) + ".")
    if len(errors) > limit:
        lines.append(f"… và {len(errors) - limit} dòng lỗi khác.")
    return lines


__all__ = ["DROPPED", "Outcome", "Record", "describe", "import_csv", "import_items", "max_import_bytes"]
