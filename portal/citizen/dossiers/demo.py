"""Demo dossiers for ``portal demo``: one per status and one overdue, dated around
today, with codes and secrets documented in docs/architecture.md (e.g. code
000.00.12.H12-261120-0001, secret KS2026). Loaded through the importer, as the
one-stop office's export would be; skipped when the site already has them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from portal.settings import ensure_secret

from .importer import import_items
from .models import Dossier
from .rules import today

PREFIX = "000.00.12.H12-261120-"

# (number, secret, procedure code, procedure title, applicant, status, received, due, returned)
# Days are relative to today, so the overdue one stays overdue.
DOSSIERS = [
    ("0001", "KS2026", "1.001193", "Thủ tục đăng ký khai sinh", "Nguyễn Văn An", "Chờ xử lý", 0, 1, None),
    ("0002", "KH4821", "1.000894", "Thủ tục đăng ký kết hôn", "Trần Thị Bình", "Đang xử lý", -2, 2, None),
    ("0003", "BS7731", "1.004873", "Thủ tục cấp giấy xác nhận tình trạng hôn nhân", "Lê Hoàng Cường",
     "Yêu cầu bổ sung", -4, 3, None),
    ("0004", "TC5512", "1.000656", "Thủ tục đăng ký khai tử", "Phạm Minh Đức", "Từ chối", -6, -1, -2),
    ("0005", "TR3090", "2.000635", "Thủ tục cấp bản sao trích lục hộ tịch", "Hoàng Thị Em", "Chờ trả kết quả",
     -3, 1, None),
    ("0006", "DT6648", "1.001193", "Thủ tục đăng ký khai sinh", "Võ Văn Phúc", "Đã trả kết quả", -9, -7, -7),
    ("0007", "QH1234", "1.000894", "Thủ tục đăng ký kết hôn", "Đặng Thị Giang", "Đang xử lý", -12, -3, None),
]  # fmt: skip


def _day(offset: int | None) -> str:
    return "" if offset is None else (today() + dt.timedelta(days=offset)).strftime("%d/%m/%Y")


def seed_demo(db, types, root, owner) -> int:
    """Load the demo dossiers unless the site has them; returns 0 (they are not nodes)."""
    codes = [PREFIX + d[0] for d in DOSSIERS]
    known = db.scalar(
        select(func.count())
        .select_from(Dossier)
        .where(Dossier.site_id == root.site_id, Dossier.code.in_(codes))
    )
    if known:
        return 0
    key = ensure_secret(types.settings)
    # Two passes, as two nightly exports would be: every dossier first arrives waiting,
    # then reaches its status, so the result page shows a short timeline.
    for first in (True, False):
        items = []
        for i, row in enumerate(DOSSIERS):
            number, secret, proc_code, title, name, status, received, due, returned = row
            moved = returned if returned is not None else min(received + 1, 0)
            items.append(
                (
                    i,
                    {
                        "ma_ho_so": PREFIX + number,
                        "ma_bi_mat": secret,
                        "ma_thu_tuc": proc_code,
                        "thu_tuc": title,
                        "nguoi_nop": name,
                        # As in a real export; the importer drops it.
                        "dia_chi": "Số 12 đường Lê Lợi, khu phố 3",
                        "trang_thai": "Chờ xử lý" if first else status,
                        "ngay_trang_thai": _day(received if first else moved),
                        "ngay_nhan": _day(received),
                        "han_tra": _day(due),
                        "ngay_tra": "" if first else _day(returned),
                    },
                )
            )
        outcome = import_items(db, root.site_id, key, items)
        assert not outcome.errors, outcome.errors  # the demo's own data
    return 0  # not content items: `portal demo` counts nodes
