"""Editors' feedback on results (POST /v1/feedback).

Revision ID: 0002_feedback
Revises: 0001_baseline
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_feedback"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sentence_text", sa.Text(), nullable=False),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("embedding_model", sa.String(200), nullable=False),
        sa.Column("stance_model", sa.String(200), nullable=False),
    )
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    op.create_index("ix_feedback_sentence_id", "feedback", ["sentence_id"])


def downgrade() -> None:
    op.drop_table("feedback")
