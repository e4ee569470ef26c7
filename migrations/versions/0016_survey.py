"""Satisfaction survey: questions per site, responses, answers.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_survey_questions_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_questions")),
    )
    op.create_index(op.f("ix_survey_questions_site_id"), "survey_questions", ["site_id"])
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("dossier_code", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_survey_responses_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )
    op.create_index(op.f("ix_survey_responses_site_id"), "survey_responses", ["site_id"])
    op.create_index(op.f("ix_survey_responses_created"), "survey_responses", ["created"])
    op.create_index(op.f("ix_survey_responses_dossier_code"), "survey_responses", ["dossier_code"])
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("moderation", sa.String(length=16), nullable=True),
        sa.Column("moderated_at", sa.DateTime(), nullable=True),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_survey_answers_response_id_survey_responses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["survey_questions.id"],
            name=op.f("fk_survey_answers_question_id_survey_questions"),
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["users.id"],
            name=op.f("fk_survey_answers_moderator_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
    )
    op.create_index(op.f("ix_survey_answers_response_id"), "survey_answers", ["response_id"])
    op.create_index(op.f("ix_survey_answers_question_id"), "survey_answers", ["question_id"])
    op.create_index(op.f("ix_survey_answers_moderation"), "survey_answers", ["moderation"])


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_answers_moderation"), table_name="survey_answers")
    op.drop_index(op.f("ix_survey_answers_question_id"), table_name="survey_answers")
    op.drop_index(op.f("ix_survey_answers_response_id"), table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_index(op.f("ix_survey_responses_dossier_code"), table_name="survey_responses")
    op.drop_index(op.f("ix_survey_responses_created"), table_name="survey_responses")
    op.drop_index(op.f("ix_survey_responses_site_id"), table_name="survey_responses")
    op.drop_table("survey_responses")
    op.drop_index(op.f("ix_survey_questions_site_id"), table_name="survey_questions")
    op.drop_table("survey_questions")
