"""How long dossiers stay: finished ones (refused or result returned) are deleted, with
their timeline, some days after they ended (``portal dossiers prune --days N``). The
applicant's name is personal data the portal needs only while the citizen may still
look the dossier up."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, delete, func, or_, select

from .models import Dossier, DossierEvent
from .rules import FINISHED, today


def prune(db, site_id: int, days: int) -> int:
    """Delete the site's dossiers finished more than ``days`` days ago; return how many.
    "Finished on" is the returned date, else the date of the finishing status."""
    cutoff = today() - dt.timedelta(days=days)
    ended = func.coalesce(Dossier.returned_on, Dossier.status_on)
    where = and_(
        Dossier.site_id == site_id,
        Dossier.status.in_(FINISHED),
        or_(ended < cutoff, and_(ended.is_(None), Dossier.received_on < cutoff)),
    )
    ids = list(db.scalars(select(Dossier.id).where(where)))
    if not ids:
        return 0
    # Explicitly, not by the foreign key's cascade alone: SQLite enforces it only
    # where the connection turned foreign keys on.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.execute(delete(DossierEvent).where(DossierEvent.dossier_id.in_(chunk)))
        db.execute(delete(Dossier).where(Dossier.id.in_(chunk)))
    return len(ids)
