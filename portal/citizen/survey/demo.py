"""``portal demo``: a survey with five questions and about sixty responses over the
last six months (seeded, so every run makes the same), some comments approved, some
waiting. Skipped when the site already has questions."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from portal.models import utcnow

from .models import APPROVED, PENDING, RATING, TEXT, SurveyAnswer, SurveyQuestion, SurveyResponse

QUESTIONS = [
    ("Thái độ phục vụ của công chức tiếp nhận hồ sơ", RATING, True),
    ("Thời gian giải quyết hồ sơ so với giấy hẹn", RATING, True),
    ("Mức độ công khai, minh bạch thông tin về thủ tục", RATING, False),
    ("Cơ sở vật chất tại Bộ phận Tiếp nhận và Trả kết quả", RATING, False),
    ("Góp ý khác để cơ quan phục vụ tốt hơn", TEXT, False),
]

COMMENTS = [
    "Cán bộ hướng dẫn tận tình, tôi nộp hồ sơ một lần là đủ.",
    "Nên bố trí thêm ghế chờ vào buổi sáng thứ Hai, thường rất đông.",
    "Nhận kết quả đúng hẹn, có tin nhắn báo trước nên rất tiện.",
    "Mong có thêm hướng dẫn nộp hồ sơ trực tuyến cho người lớn tuổi.",
    "Máy lấy số thứ tự đôi lúc bị lỗi, đề nghị kiểm tra lại.",
    "Thủ tục chứng thực nhanh, không phải chờ lâu.",
    "Bãi giữ xe hơi chật, nên có người hướng dẫn.",
    "Niêm yết phí, lệ phí rõ ràng, dễ hiểu.",
    "Cán bộ trả lời điện thoại đường dây nóng rất nhanh.",
    "Đề nghị mở thêm quầy vào buổi trưa để người đi làm kịp nộp hồ sơ.",
]

RESPONSES = 60


def seed_demo(db, types, root, owner) -> int:
    site_id = root.site_id
    if db.scalar(select(SurveyQuestion.id).where(SurveyQuestion.site_id == site_id).limit(1)):
        return 0
    now = utcnow()
    questions = []
    for position, (text, kind, required) in enumerate(QUESTIONS, start=1):
        q = SurveyQuestion(
            site_id=site_id,
            text=text,
            kind=kind,
            required=required,
            position=position,
            active=True,
            created=now - dt.timedelta(days=200),
        )
        db.add(q)
        questions.append(q)
    db.flush()
    rng = random.Random(20251126)
    comments = iter(COMMENTS)
    for i in range(RESPONSES):
        created = now - dt.timedelta(days=rng.uniform(0, 180), minutes=rng.randint(0, 600))
        code = f"H23.10-{created:%y%m%d}-{rng.randint(1, 9999):04d}" if rng.random() < 0.4 else None
        response = SurveyResponse(site_id=site_id, created=created, dossier_code=code)
        db.add(response)
        db.flush()
        for q in questions:
            answer = SurveyAnswer(response_id=response.id, question_id=q.id)
            if q.kind == RATING:
                # Mostly satisfied, as the published indexes of such offices are.
                answer.rating = (
                    rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 10, 35, 50])[0]
                    if q.required or rng.random() < 0.8
                    else None
                )
            elif i % 6 == 0:
                text = next(comments, None)
                if text:
                    answer.text = text
                    answer.moderation = APPROVED if i % 12 == 0 else PENDING
                    answer.moderated_at = (
                        min(created + dt.timedelta(days=1), now) if answer.moderation == APPROVED else None
                    )
            db.add(answer)
    db.flush()
    return 0  # not content items
