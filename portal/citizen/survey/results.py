"""Published results in a fixed number of queries, whatever the number of questions:
the distribution (GROUP BY question, rating), the last 12 months (GROUP BY question and
a month index computed by a CASE over bound month boundaries: portable SQL, no
strftime/date_trunc), and one page of approved comments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select

from portal.text import TZ

from .models import APPROVED, RATING, SurveyAnswer, SurveyQuestion, SurveyResponse

MONTHS = 12


def month_starts(now: dt.datetime, count: int = MONTHS) -> list[dt.datetime]:
    """The first instants of the last ``count`` months in Vietnam's time zone (oldest
    first), plus the start of next month as the end of the last bucket."""
    local = now.astimezone(TZ)
    year, month = local.year, local.month
    starts = []
    for back in range(count - 1, -2, -1):  # ..., this month, next month
        m = month - back
        y = year + (m - 1) // 12
        m = (m - 1) % 12 + 1
        starts.append(dt.datetime(y, m, 1, tzinfo=TZ).astimezone(dt.UTC))
    return starts


def decimal_comma(value: float | None) -> str:
    """One decimal, Vietnamese style (4,3)."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")


@dataclass
class Month:
    start: dt.datetime
    count: int = 0
    total: int = 0

    @property
    def label(self) -> str:
        local = self.start.astimezone(TZ)
        return f"{local.month:02d}/{local.year}"

    @property
    def average(self) -> str:
        return decimal_comma(self.total / self.count) if self.count else ""


@dataclass
class QuestionResult:
    question: SurveyQuestion
    counts: dict = field(default_factory=lambda: {n: 0 for n in range(1, 6)})
    months: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> str:
        total = sum(n * c for n, c in self.counts.items())
        return decimal_comma(total / self.count) if self.count else ""

    def percent(self, rating: int) -> int:
        return round(100 * self.counts[rating] / self.count) if self.count else 0


def rating_results(db, site_id: int, now: dt.datetime) -> tuple[int, list[QuestionResult]]:
    """(number of responses, one result per rating question that is active or has
    answers), in four queries."""
    responses = db.scalar(select(func.count(SurveyResponse.id)).where(SurveyResponse.site_id == site_id))
    questions = db.scalars(
        select(SurveyQuestion)
        .where(SurveyQuestion.site_id == site_id, SurveyQuestion.kind == RATING)
        .order_by(SurveyQuestion.active.desc(), SurveyQuestion.position, SurveyQuestion.id)
    ).all()
    results = {q.id: QuestionResult(q) for q in questions}
    starts = month_starts(now)
    for r in results.values():
        r.months = [Month(start) for start in starts[:-1]]
    if not results:
        return responses or 0, []
    in_site = and_(SurveyQuestion.id == SurveyAnswer.question_id, SurveyQuestion.site_id == site_id)
    rows = db.execute(
        select(SurveyAnswer.question_id, SurveyAnswer.rating, func.count())
        .join(SurveyQuestion, in_site)
        .where(SurveyAnswer.rating.is_not(None))
        .group_by(SurveyAnswer.question_id, SurveyAnswer.rating)
    ).all()
    for qid, rating, count in rows:
        if qid in results and rating in results[qid].counts:
            results[qid].counts[rating] = count
    bucket = case(
        *[
            (and_(SurveyResponse.created >= starts[i], SurveyResponse.created < starts[i + 1]), i)
            for i in range(len(starts) - 1)
        ],
        else_=-1,
    )
    # Grouped outside a subquery, so GROUP BY names a column rather than repeating an
    # expression full of bound parameters (which a server-side-binding driver would send
    # as different placeholders from the select list's).
    answers = (
        select(SurveyAnswer.question_id, SurveyAnswer.rating, bucket.label("bucket"))
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(
            SurveyResponse.site_id == site_id,
            SurveyResponse.created >= starts[0],
            SurveyResponse.created < starts[-1],
            SurveyAnswer.rating.is_not(None),
        )
        .subquery()
    )
    rows = db.execute(
        select(answers.c.question_id, answers.c.bucket, func.count(), func.sum(answers.c.rating)).group_by(
            answers.c.question_id, answers.c.bucket
        )
    ).all()
    for qid, index, count, total in rows:
        if qid in results and 0 <= index < MONTHS:
            month = results[qid].months[index]
            month.count, month.total = count, int(total or 0)
    # Questions no longer asked and never answered say nothing.
    shown = [r for r in results.values() if r.question.active or r.count]
    return responses or 0, shown


def approved_comments(site_id: int):
    """Approved free-text answers, newest first (a query for ``listing.paged``): the
    text, the question and the response's date; never the dossier code."""
    return (
        select(
            SurveyAnswer.id, SurveyAnswer.text, SurveyQuestion.text.label("question"), SurveyResponse.created
        )
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyQuestion.site_id == site_id, SurveyAnswer.moderation == APPROVED)
        .order_by(SurveyResponse.created.desc(), SurveyAnswer.id.desc())
    )
