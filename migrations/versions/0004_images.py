"""Image content type: a file with its size in pixels, alternative text, caption, credit.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("alt", sa.String(length=500), nullable=False),
        sa.Column("caption", sa.String(length=1000), nullable=False),
        sa.Column("credit", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["files.id"], name=op.f("fk_images_id_files"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_images")),
    )


def downgrade() -> None:
    op.drop_table("images")
