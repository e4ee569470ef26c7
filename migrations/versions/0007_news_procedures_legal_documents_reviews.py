"""News articles, procedures, legal documents, reviews and their lists; terms and attachments.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 19:36:30.423369
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=127), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"], ["nodes.id"], name=op.f("fk_attachments_node_id_nodes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_node_id"), ["node_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachments_sha256"), ["sha256"], unique=False)

    op.create_table(
        "document_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["nodes.id"],
            name=op.f("fk_document_relations_source_id_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["nodes.id"],
            name=op.f("fk_document_relations_target_id_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_relations")),
        sa.UniqueConstraint(
            "source_id", "target_id", "kind", name=op.f("uq_document_relations_source_id_target_id_kind")
        ),
    )
    with op.batch_alter_table("document_relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_relations_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_relations_target_id"), ["target_id"], unique=False)

    op.create_table(
        "legal_document_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("review_round", sa.String(length=64), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("reviewing_body", sa.String(length=255), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("responsible_agency", sa.String(length=255), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["nodes.id"],
            name=op.f("fk_legal_document_reviews_document_id_nodes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["id"], ["nodes.id"], name=op.f("fk_legal_document_reviews_id_nodes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_document_reviews")),
    )
    with op.batch_alter_table("legal_document_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legal_document_reviews_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_legal_document_reviews_recommendation"), ["recommendation"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_legal_document_reviews_review_round"), ["review_round"], unique=False
        )

    op.create_table(
        "legal_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("doc_type", sa.String(length=32), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("signer", sa.String(length=255), nullable=False),
        sa.Column("signer_title", sa.String(length=255), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("expiry_on", sa.Date(), nullable=True),
        sa.Column("gazette_number", sa.String(length=64), nullable=False),
        sa.Column("gazette_date", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("validity", sa.String(length=32), nullable=False),
        sa.Column("validity_reason", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["nodes.id"], name=op.f("fk_legal_documents_id_nodes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_documents")),
    )
    with op.batch_alter_table("legal_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_documents_doc_type"), ["doc_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_documents_issued_on"), ["issued_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_documents_issuer"), ["issuer"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_documents_number"), ["number"], unique=False)

    op.create_table(
        "news_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("byline", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("source_url", sa.String(length=2048), nullable=False),
        sa.Column("featured", sa.Boolean(), nullable=False),
        sa.Column("image_sha256", sa.String(length=64), nullable=False),
        sa.Column("image_mime_type", sa.String(length=127), nullable=False),
        sa.Column("image_filename", sa.String(length=255), nullable=False),
        sa.Column("image_size", sa.BigInteger(), nullable=False),
        sa.Column("image_width", sa.Integer(), nullable=False),
        sa.Column("image_height", sa.Integer(), nullable=False),
        sa.Column("image_alt", sa.String(length=500), nullable=False),
        sa.Column("image_caption", sa.String(length=1000), nullable=False),
        sa.Column("image_credit", sa.String(length=255), nullable=False),
        sa.Column("video_sha256", sa.String(length=64), nullable=False),
        sa.Column("video_mime_type", sa.String(length=127), nullable=False),
        sa.Column("video_filename", sa.String(length=255), nullable=False),
        sa.Column("video_size", sa.BigInteger(), nullable=False),
        sa.Column("video_embed_url", sa.String(length=2048), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["nodes.id"], name=op.f("fk_news_articles_id_nodes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_articles")),
    )
    with op.batch_alter_table("news_articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_news_articles_featured"), ["featured"], unique=False)
        batch_op.create_index(batch_op.f("ix_news_articles_image_sha256"), ["image_sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_news_articles_video_sha256"), ["video_sha256"], unique=False)

    op.create_table(
        "procedure_legal_basis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["nodes.id"],
            name=op.f("fk_procedure_legal_basis_document_id_nodes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["procedure_id"],
            ["nodes.id"],
            name=op.f("fk_procedure_legal_basis_procedure_id_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_legal_basis")),
    )
    with op.batch_alter_table("procedure_legal_basis", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_procedure_legal_basis_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_procedure_legal_basis_procedure_id"), ["procedure_id"], unique=False
        )

    op.create_table(
        "procedures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("decision_number", sa.String(length=255), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=255), nullable=False),
        sa.Column("field", sa.String(length=255), nullable=False),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("filing_ways", sa.JSON(), nullable=False),
        sa.Column("dossier_components", sa.JSON(), nullable=False),
        sa.Column("applicants", sa.Text(), nullable=False),
        sa.Column("implementing_agency", sa.String(length=500), nullable=False),
        sa.Column("competent_agency", sa.String(length=500), nullable=False),
        sa.Column("receiving_address", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("requirements", sa.Text(), nullable=False),
        sa.Column("online_level", sa.String(length=16), nullable=False),
        sa.Column("online_url", sa.String(length=2048), nullable=False),
        sa.Column("validity", sa.String(length=32), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["nodes.id"], name=op.f("fk_procedures_id_nodes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedures")),
    )
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_procedures_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_procedures_field"), ["field"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_procedures_implementing_agency"), ["implementing_agency"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_procedures_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_procedures_online_level"), ["online_level"], unique=False)

    op.create_table(
        "review_list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expired_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["nodes.id"],
            name=op.f("fk_review_list_entries_document_id_nodes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["list_id"], ["nodes.id"], name=op.f("fk_review_list_entries_list_id_nodes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_list_entries")),
    )
    with op.batch_alter_table("review_list_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_list_entries_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_list_entries_list_id"), ["list_id"], unique=False)

    op.create_table(
        "review_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_round", sa.String(length=64), nullable=False),
        sa.Column("list_kind", sa.String(length=32), nullable=False),
        sa.Column("issuing_decision", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["id"], ["nodes.id"], name=op.f("fk_review_lists_id_nodes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_lists")),
    )
    with op.batch_alter_table("review_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_lists_list_kind"), ["list_kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_lists_review_round"), ["review_round"], unique=False)

    op.create_table(
        "terms",
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"], ["nodes.id"], name=op.f("fk_terms_node_id_nodes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("node_id", "kind", "slug", name=op.f("pk_terms")),
    )
    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.create_index("ix_terms_kind_slug", ["kind", "slug"], unique=False)

    with op.batch_alter_table("folders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("home_block", sa.String(length=16), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("folders", schema=None) as batch_op:
        batch_op.drop_column("home_block")

    with op.batch_alter_table("terms", schema=None) as batch_op:
        batch_op.drop_index("ix_terms_kind_slug")

    op.drop_table("terms")
    with op.batch_alter_table("review_lists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_lists_review_round"))
        batch_op.drop_index(batch_op.f("ix_review_lists_list_kind"))

    op.drop_table("review_lists")
    with op.batch_alter_table("review_list_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_list_entries_list_id"))
        batch_op.drop_index(batch_op.f("ix_review_list_entries_document_id"))

    op.drop_table("review_list_entries")
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procedures_online_level"))
        batch_op.drop_index(batch_op.f("ix_procedures_level"))
        batch_op.drop_index(batch_op.f("ix_procedures_implementing_agency"))
        batch_op.drop_index(batch_op.f("ix_procedures_field"))
        batch_op.drop_index(batch_op.f("ix_procedures_code"))

    op.drop_table("procedures")
    with op.batch_alter_table("procedure_legal_basis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procedure_legal_basis_procedure_id"))
        batch_op.drop_index(batch_op.f("ix_procedure_legal_basis_document_id"))

    op.drop_table("procedure_legal_basis")
    with op.batch_alter_table("news_articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_news_articles_video_sha256"))
        batch_op.drop_index(batch_op.f("ix_news_articles_image_sha256"))
        batch_op.drop_index(batch_op.f("ix_news_articles_featured"))

    op.drop_table("news_articles")
    with op.batch_alter_table("legal_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_documents_number"))
        batch_op.drop_index(batch_op.f("ix_legal_documents_issuer"))
        batch_op.drop_index(batch_op.f("ix_legal_documents_issued_on"))
        batch_op.drop_index(batch_op.f("ix_legal_documents_doc_type"))

    op.drop_table("legal_documents")
    with op.batch_alter_table("legal_document_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_document_reviews_review_round"))
        batch_op.drop_index(batch_op.f("ix_legal_document_reviews_recommendation"))
        batch_op.drop_index(batch_op.f("ix_legal_document_reviews_document_id"))

    op.drop_table("legal_document_reviews")
    with op.batch_alter_table("document_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_relations_target_id"))
        batch_op.drop_index(batch_op.f("ix_document_relations_source_id"))

    op.drop_table("document_relations")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_sha256"))
        batch_op.drop_index(batch_op.f("ix_attachments_node_id"))

    op.drop_table("attachments")
