"""Search cursors: each index's own position in the search outbox.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_cursors",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_cursors")),
    )


def downgrade() -> None:
    op.drop_table("search_cursors")
