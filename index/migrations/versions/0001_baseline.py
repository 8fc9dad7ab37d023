"""Baseline: the store as it was before migrations (commit a37231b): sayso_meta,
articles, sentences, index_log.

Revision ID: 0001_baseline
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sayso_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.String(2048), nullable=True, unique=True),
        sa.Column("outlet", sa.String(200), nullable=True),
        sa.Column("author", sa.String(500), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("external_id", sa.String(200), nullable=True, unique=True),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("dedup_key", sa.String(2100), nullable=False, unique=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published_at", "articles", ["published_at"])
    op.create_index("ix_articles_text_sha256", "articles", ["text_sha256"])
    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("is_claim", sa.Boolean(), nullable=False),
        sa.Column("section", sa.String(16), nullable=False),
        sa.Column("speaker", sa.JSON(), nullable=True),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_sentences_article_id", "sentences", ["article_id"])
    op.create_table(
        "index_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sentence_ids", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    for table in ("index_log", "sentences", "articles", "sayso_meta"):
        op.drop_table(table)
