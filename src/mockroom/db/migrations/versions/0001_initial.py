"""Interviews and messages.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interviews",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("job_description", sa.Text),
        sa.Column("cv_format", sa.String(8)),
        sa.Column("cv_text", sa.Text),
        sa.Column("cv_profile", sa.JSON),
        sa.Column("matched_topics", sa.JSON, nullable=False),
        sa.Column("notices", sa.JSON, nullable=False),
        sa.Column("brain", sa.String(32), nullable=False),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("report", sa.JSON),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_interviews_created_at", "interviews", ["created_at"])
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "interview_id", sa.String(32), sa.ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("phase", sa.String(32)),
        sa.Column("move", sa.String(32)),
        sa.Column("meta", sa.JSON),
        sa.UniqueConstraint("interview_id", "seq"),
    )
    op.create_index("ix_messages_interview_id", "messages", ["interview_id"])


def downgrade() -> None:
    op.drop_index("ix_messages_interview_id", "messages")
    op.drop_table("messages")
    op.drop_index("ix_interviews_created_at", "interviews")
    op.drop_table("interviews")
