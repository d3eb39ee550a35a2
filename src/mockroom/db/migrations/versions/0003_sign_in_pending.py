"""OpenID Connect sign-ins under way, shared by every app process (the callback may reach another one).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_pending",
        sa.Column("state_hash", sa.String(64), primary_key=True),
        sa.Column("nonce", sa.String(128), nullable=False),
        sa.Column("code_verifier", sa.String(128), nullable=False),
        sa.Column("redirect_uri", sa.String(2048), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sign_in_pending_expires_at", "sign_in_pending", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_sign_in_pending_expires_at", "sign_in_pending")
    op.drop_table("sign_in_pending")
