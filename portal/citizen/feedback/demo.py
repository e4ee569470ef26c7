"""``portal demo``: approved and pending feedback on a few demo articles (idempotent)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.models import Node, utcnow
from portal.workflow import visible_clause

from .models import APPROVED, PENDING, Feedback

# The article the accessibility checks open comes first when it exists.
PREFERRED = "/tin-tuc/cai-cach-hanh-chinh/cchc-01/"

# (name, e-mail, content, status) per article.
SAMPLES = [
    [
        (
            "Nguyễn Văn Bình",
            "binh.nguyen@example.org",
            "Thủ tục nộp hồ sơ trực tuyến giờ nhanh hơn nhiều, tôi không phải đến phường như trước.\n"
            "Mong phường tiếp tục hướng dẫn người cao tuổi sử dụng dịch vụ công.",
            APPROVED,
        ),
        (
            "Trần Thị Mai",
            "",
            "Đề nghị bộ phận một cửa niêm yết thêm số điện thoại hỗ trợ ngoài giờ hành chính.",
            APPROVED,
        ),
        (
            "Lê Hoàng",
            "hoang.le@example.org",
            "Cho tôi hỏi hồ sơ chứng thực bản sao có nộp qua mạng được không?",
            PENDING,
        ),
    ],
    [
        ("Phạm Minh Tuấn", "", "Bài viết rất hữu ích, cảm ơn ban biên tập.", APPROVED),
        (
            "Võ Thị Lan",
            "lan.vo@example.org",
            "Xin phường cho biết lịch tiếp công dân tháng tới có thay đổi không?",
            PENDING,
        ),
    ],
]


def seed_demo(db, types, root, owner) -> int:
    names = [info.name for info in types if info.extra.get("feedback")]
    site_items = select(Node.id).where(Node.site_id == root.site_id)
    if not names or db.scalar(select(Feedback.id).where(Feedback.node_id.in_(site_items)).limit(1)):
        return 0
    rows = db.execute(
        select(Node.id, Node.path)
        .where(Node.site_id == root.site_id, Node.type.in_(names), visible_clause())
        .order_by(Node.path)
    ).all()
    ids = [r.id for r in rows if r.path == PREFERRED] + [r.id for r in rows if r.path != PREFERRED]
    now = utcnow()
    for node_id, samples in zip(ids, SAMPLES, strict=False):
        for i, (name, email, content, status) in enumerate(samples):
            when = now - dt.timedelta(days=len(samples) - i, hours=3)
            db.add(
                Feedback(
                    node_id=node_id,
                    name=name,
                    email=email,
                    content=content,
                    status=status,
                    created=when,
                    moderated_at=when if status != PENDING else None,
                )
            )
    return 0  # not content items
