"""Sentences indexed by (article, position): a check's context is found by position.

Revision ID: 0005_sentence_positions
Revises: 0004_worthiness_and_jobs

A check shows each result with the body sentences before and after it; a draft's 200
results ask for a few hundred positions in one query. With an index on article_id
alone, the database read every sentence of those articles to find them (about 100 ms
for a draft at 100,000 sentences); the index on (article_id, position) finds each one,
and still serves every lookup by article. It replaces ix_sentences_article_id.
"""
from alembic import op

revision = "0005_sentence_positions"
down_revision = "0004_worthiness_and_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sentences_article_position", "sentences", ["article_id", "position"])
    op.drop_index("ix_sentences_article_id", table_name="sentences")


def downgrade() -> None:
    op.create_index("ix_sentences_article_id", "sentences", ["article_id"])
    op.drop_index("ix_sentences_article_position", table_name="sentences")
