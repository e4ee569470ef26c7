"""Feed import: folders' subscriptions to external RSS/Atom feeds, and imported entries.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("folder_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("publish_at_once", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=False),
        sa.Column("last_modified", sa.String(length=100), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_feed_subscriptions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["folder_id"],
            ["nodes.id"],
            name=op.f("fk_feed_subscriptions_folder_id_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_subscriptions")),
    )
    with op.batch_alter_table("feed_subscriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_subscriptions_folder_id"), ["folder_id"], unique=False)

    op.create_table(
        "feed_imported_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=500), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source_url", sa.String(length=2048), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updates", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["nodes.id"],
            name=op.f("fk_feed_imported_entries_node_id_nodes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["feed_subscriptions.id"],
            name=op.f("fk_feed_imported_entries_subscription_id_feed_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_imported_entries")),
        sa.UniqueConstraint(
            "subscription_id", "guid", name=op.f("uq_feed_imported_entries_subscription_id_guid")
        ),
    )
    with op.batch_alter_table("feed_imported_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feed_imported_entries_node_id"), ["node_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_feed_imported_entries_subscription_id"), ["subscription_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feed_imported_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_imported_entries_subscription_id"))
        batch_op.drop_index(batch_op.f("ix_feed_imported_entries_node_id"))
    op.drop_table("feed_imported_entries")
    with op.batch_alter_table("feed_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feed_subscriptions_folder_id"))
    op.drop_table("feed_subscriptions")
