"""Demo questions and answers in /hoi-dap/ (idempotent: found by name)."""

from __future__ import annotations

import datetime as dt

from portal import tree
from portal.demo import ensure_folder, find, publish
from portal.models import utcnow

# name, title, question, answer, field, days ago asked, days ago answered
QUESTIONS = [
    (
        "thoi-han-cap-ban-sao-trich-luc-khai-sinh",
        "Cấp bản sao trích lục khai sinh mất bao lâu?",
        "Tôi bị mất bản chính giấy khai sinh. Xin hỏi xin cấp bản sao trích lục khai sinh "
        "tại Ủy ban nhân dân phường thì mất bao lâu và cần mang theo giấy tờ gì?",
        "<p>Bản sao trích lục khai sinh được cấp ngay trong ngày tiếp nhận yêu cầu; nếu nộp sau "
        "15 giờ thì trả kết quả trong ngày làm việc tiếp theo.</p><p>Người yêu cầu xuất trình "
        "căn cước công dân và nộp tờ khai theo mẫu tại Bộ phận Một cửa hoặc nộp trực tuyến "
        "trên Cổng Dịch vụ công quốc gia.</p>",
        "Hộ tịch",
        40,
        37,
    ),
    (
        "le-phi-chung-thuc-chu-ky",
        "Lệ phí chứng thực chữ ký là bao nhiêu?",
        "Gia đình tôi cần chứng thực chữ ký trên giấy ủy quyền. Lệ phí chứng thực là bao nhiêu "
        "và có được nộp qua tài khoản ngân hàng không?",
        "<p>Lệ phí chứng thực chữ ký là 10.000 đồng một trường hợp. Người dân có thể nộp tiền "
        "mặt tại Bộ phận Một cửa hoặc chuyển khoản qua mã QR in trên biên nhận hồ sơ.</p>",
        "Chứng thực",
        25,
        22,
    ),
]


def questions_loader(db, types, root, owner) -> int:
    info = types.get("question_answer")
    if info is None:
        return 0
    folder, created = ensure_folder(
        db, types, root, "hoi-dap", "Hỏi đáp", "Giải đáp thắc mắc của người dân.", owner
    )
    count = int(created)
    today = utcnow()
    for name, title, question, answer, field, asked, answered in QUESTIONS:
        if find(db, folder, name) is not None:
            continue
        when = today - dt.timedelta(days=answered)
        node = info.model(
            title=title,
            description="",
            question=question,
            answer=answer,
            field=field,
            asked_on=(today - dt.timedelta(days=asked)).date(),
            answered_on=when.date(),
            owner_id=owner.id if owner else None,
            created=when,
            modified=when,
        )
        tree.add_child(db, folder, node, name=name)
        publish(db, node, owner, when)
        count += 1
    return count
