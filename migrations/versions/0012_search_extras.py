"""Search extras: synonym groups edited by administrators, zero-result queries.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("terms", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_search_synonyms_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonyms")),
    )
    with op.batch_alter_table("search_synonyms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_synonyms_site_id"), ["site_id"], unique=False)
    op.create_table(
        "search_zero_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(length=256), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_search_zero_results_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_zero_results")),
        sa.UniqueConstraint("site_id", "query", name=op.f("uq_search_zero_results_site_id_query")),
    )
    with op.batch_alter_table("search_zero_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_zero_results_last_seen"), ["last_seen"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("search_zero_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_zero_results_last_seen"))
    op.drop_table("search_zero_results")
    with op.batch_alter_table("search_synonyms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_synonyms_site_id"))
    op.drop_table("search_synonyms")
