"""Demo petitions for ``portal demo``: one new, one in progress and overdue, one not
accepted, one answered and published as a question-and-answer in the answers folder.
Idempotent: each is found by its fixed tracking code."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal import tree
from portal.demo import publish
from portal.models import Node, utcnow
from portal.text import TZ

from .models import ANSWERED, PROCESSING, RECEIVED, REJECTED, Petition, PetitionEvent
from .settings import DEFAULT_DEPARTMENTS, answers_folder

DEPARTMENTS = [d.strip() for d in DEFAULT_DEPARTMENTS.split(",")]

# code, days ago, status, department, field, name, subject, content, answer
PETITIONS = [
    (
        "PA-MAU2X7KQRT",
        2,
        RECEIVED,
        "",
        "",
        "Nguyễn Thị Hồng",
        "Đèn chiếu sáng hẻm 45 đường Lê Lợi bị hỏng",
        "Đèn chiếu sáng công cộng trong hẻm 45 đường Lê Lợi, khu phố 3 đã hỏng hơn hai tuần, "
        "buổi tối rất tối, người đi đường dễ bị té ngã. Đề nghị phường cho kiểm tra, sửa chữa.",
        "",
    ),
    (
        "PA-MAU8M4TWAB",
        24,
        PROCESSING,
        DEPARTMENTS[2],
        "Môi trường",
        "Trần Văn Bình",
        "Rác thải tập kết không đúng nơi quy định tại chợ Tân Phú",
        "Khu vực phía sau chợ Tân Phú thường xuyên có rác thải tập kết qua đêm, bốc mùi hôi, "
        "ảnh hưởng đến các hộ dân xung quanh. Đề nghị bố trí giờ thu gom phù hợp.",
        "",
    ),
    (
        "PA-MAU5H9NEVC",
        30,
        REJECTED,
        DEPARTMENTS[0],
        "Khác",
        "Lê Minh Tâm",
        "Tranh chấp hợp đồng mua bán xe máy",
        "Tôi mua xe máy của một người quen nhưng người bán không giao giấy tờ xe. Đề nghị "
        "phường giải quyết buộc người bán giao giấy tờ.",
        "<p>Nội dung phản ánh là tranh chấp dân sự giữa các cá nhân, thuộc thẩm quyền giải "
        "quyết của Tòa án nhân dân. Ông có thể liên hệ Phòng Tư pháp để được hướng dẫn thủ tục "
        "hòa giải hoặc khởi kiện.</p>",
    ),
    (
        "PA-MAU3C6PJUD",
        35,
        ANSWERED,
        DEPARTMENTS[3],
        "Hộ tịch",
        "Phạm Thị Lan",
        "Thời hạn giải quyết đăng ký kết hôn",
        "Tôi nộp hồ sơ đăng ký kết hôn tại Bộ phận Một cửa. Xin hỏi thời hạn giải quyết là "
        "bao lâu và hai bên có phải cùng có mặt khi nhận giấy chứng nhận kết hôn không?",
        "<p>Theo Luật Hộ tịch, đăng ký kết hôn được giải quyết ngay trong ngày tiếp nhận hồ sơ "
        "hợp lệ; trường hợp cần xác minh thì không quá 05 ngày làm việc.</p><p>Khi nhận Giấy "
        "chứng nhận kết hôn, hai bên nam, nữ phải cùng có mặt để ký vào Sổ hộ tịch.</p>",
    ),
]
PUBLISHED = "PA-MAU3C6PJUD"
# Demo sites made before this form existed sent "Phản ánh, kiến nghị" to the national portal.
OLD_SERVICE_URL = "https://dichvucong.gov.vn/p/phananhkiennghi/pakn-gui-pakn.html"
SERVICE_PATH = "/dich-vu-cong/phan-anh-kien-nghi/"


def load_demo(db, types, root, owner) -> int:
    """Returns how many content items it created (the published answer)."""
    _point_service_link_here(db, types, root)
    codes = [p[0] for p in PETITIONS]
    existing = set(db.scalars(select(Petition.code).where(Petition.code.in_(codes))))
    now = utcnow()
    count = 0
    for code, days, status, department, field, name, subject, content, answer in PETITIONS:
        if code in existing:
            continue
        received = now - dt.timedelta(days=days)
        petition = Petition(
            site_id=root.site_id, code=code, name=name, address="Khu phố 3",
            phone="0909 123 456", email="", subject=subject, content=content, status=status,
            field=field, department=department, received_at=received, modified=received,
            due_on=received.astimezone(TZ).date() + dt.timedelta(days=15), answer=answer,
            answered_at=received + dt.timedelta(days=3) if status in (ANSWERED, REJECTED) else None,
        )  # fmt: skip
        db.add(petition)
        db.flush()
        db.add(PetitionEvent(petition_id=petition.id, at=received, detail="Tiếp nhận qua trang thông tin."))
        if status != RECEIVED:
            db.add(
                PetitionEvent(
                    petition_id=petition.id,
                    at=received + dt.timedelta(days=1),
                    actor_name=owner.display_name if owner else "",
                    actor_id=owner.id if owner else None,
                    detail=f"Giao cho: {department}; Lĩnh vực: {field}",
                )
            )
        if code == PUBLISHED:
            petition.published_id = _publish_answer(db, types, root, owner, petition)
            # `portal demo` counts content items (nodes), not petitions.
            count += petition.published_id is not None
    return count


def _publish_answer(db, types, root, owner, petition: Petition) -> int | None:
    """The answer as a question-and-answer; the citizen's name and contact are not in it."""
    info = types.get("question_answer")
    folder = db.scalar(
        select(Node).where(Node.site_id == root.site_id, Node.path == answers_folder(types.settings))
    )
    if info is None or folder is None:
        return None
    when = petition.answered_at
    node = info.model(
        title="Đăng ký kết hôn được giải quyết trong bao lâu?",
        description="",
        question=petition.content,
        answer=petition.answer,
        field=petition.field,
        asked_on=petition.received_at.astimezone(TZ).date(),
        answered_on=when.astimezone(TZ).date(),
        owner_id=owner.id if owner else None,
        created=when,
        modified=when,
    )
    tree.add_child(db, folder, node, name="thoi-han-dang-ky-ket-hon")
    publish(db, node, owner, when)
    db.flush()
    return node.id


def _point_service_link_here(db, types, root) -> None:
    info = types.get("service_link")
    if info is None:
        return
    link = db.scalar(
        select(info.model).where(info.model.site_id == root.site_id, info.model.path == SERVICE_PATH)
    )
    if link is not None and link.url == OLD_SERVICE_URL:
        link.url = "/phan-anh-kien-nghi"
