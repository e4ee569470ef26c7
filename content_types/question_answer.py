"""Question and answer (hỏi đáp): a citizen's question as staff rewrote it for the
public, the answer and the document that answers it.

Made from a petition by its staff page (portal/citizen/petitions), or added by hand in
a folder. Only what staff wrote is stored here: never the citizen's name or contact.
"""

from __future__ import annotations

import datetime as dt

import colander
import deform
from pyramid.view import view_config
from sqlalchemy import Date, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.citizen.petitions.choices import LEGAL_DOCUMENT, node_select
from portal.feeds import FeedFields
from portal.forms import RichText, date_node, text_node
from portal.i18n import _
from portal.listing import may_see_clause
from portal.models import Node
from portal.permissions import Permissions
from portal.schemas import BaseContentSchema
from portal.text import html_text

from .demo_questions import questions_loader


class QuestionAnswer(Node):
    __tablename__ = "question_answers"

    id: Mapped[int] = mapped_column(ForeignKey("nodes.id", ondelete="CASCADE"), primary_key=True)
    question: Mapped[str] = mapped_column(Text, default="")  # plain text
    answer: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    answering_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("nodes.id", ondelete="SET NULL"), nullable=True
    )
    field: Mapped[str] = mapped_column(String(200), default="")  # lĩnh vực
    asked_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    answered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    __mapper_args__ = {
        "polymorphic_identity": "question_answer",
        # Two foreign keys to nodes: the joined-table key is the id.
        "inherit_condition": id == Node.id,
    }


def question_answer_schema():
    """The fields, shared by the type's form and the petition's publish form."""

    class QuestionAnswerSchema(BaseContentSchema):
        question = text_node(_("Câu hỏi"), 10_000, rows=8, validator=colander.Length(min=1, max=10_000),
                             missing=colander.required)  # fmt: skip
        answer = colander.SchemaNode(
            RichText(),
            title=_("Trả lời"),
            widget=deform.widget.RichTextWidget(height=300),
            validator=colander.Length(max=100_000),
        )
        answering_document_id = node_select(
            _("Văn bản trả lời"), (LEGAL_DOCUMENT,), public_only=False, empty=_("Không có")
        )
        field = text_node(_("Lĩnh vực"), 200)
        asked_on = date_node(_("Ngày hỏi"))
        answered_on = date_node(_("Ngày trả lời"))

    return QuestionAnswerSchema


QuestionAnswerSchema = question_answer_schema()


def answering_document(request, qa: QuestionAnswer):
    """(title, path) of the answering document, if this reader may see it."""
    if not qa.answering_document_id:
        return None
    return request.dbsession.execute(
        select(Node.title, Node.path).where(Node.id == qa.answering_document_id, may_see_clause(request))
    ).first()


@view_config(
    context=QuestionAnswer,
    renderer="question_answer.html",
    permission=Permissions.View,
    anonymous_cache="question-answer",
    count_view=True,
)
def question_answer_view(context: QuestionAnswer, request):
    return {
        "context": context,
        "paragraphs": [p for p in context.question.split("\n") if p.strip()],
        "document": answering_document(request, context),
    }


def search_document(obj: QuestionAnswer) -> dict:
    """Question and answer as text; the field and the year answered as facets."""
    when = obj.answered_on or obj.asked_on
    return {
        "title": obj.title,
        "description": obj.description,
        "body": f"{obj.question}\n{html_text(obj.answer)}",
        "field": obj.field or "",
        "agency": "",
        "year": when.year if when else None,
    }


def feed_fields(request, ids: list[int]) -> dict[int, FeedFields]:
    """Feeds: the question as the summary, the field as a category (one query)."""
    rows = request.dbsession.execute(
        select(QuestionAnswer.id, QuestionAnswer.question, QuestionAnswer.field).where(
            QuestionAnswer.id.in_(ids)
        )
    ).all()
    out = {}
    for id_, question, field in rows:
        summary = " ".join((question or "").split())
        out[id_] = FeedFields(
            summary=summary[:500] + ("…" if len(summary) > 500 else ""),
            categories=(field,) if field else (),
        )
    return out


def includeme(config):
    config.add_content_type(
        QuestionAnswer,
        title=_("Hỏi đáp"),
        schema=QuestionAnswerSchema,
        addable_to=("folder",),
        search=search_document,
        feed=feed_fields,
        demo=questions_loader,
    )
    config.scan(__name__)
