"""Check-worthiness on sentences, and the import jobs of `POST /v1/articles/batch`.

Revision ID: 0004_worthiness_and_jobs
Revises: 0003_keys_and_audit

Sentences stored before this revision keep a null check_worthiness (never scored).
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_worthiness_and_jobs"
down_revision = "0003_keys_and_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sentences") as batch:
        batch.add_column(sa.Column("check_worthiness", sa.Float(), nullable=True))
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_import_jobs_state", "import_jobs", ["state"])
    op.create_table(
        "import_items",
        sa.Column("job_id", sa.String(32), sa.ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("url", sa.String(2048), nullable=True),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("import_items")
    op.drop_index("ix_import_jobs_state", "import_jobs")
    op.drop_table("import_jobs")
    with op.batch_alter_table("sentences") as batch:
        batch.drop_column("check_worthiness")
