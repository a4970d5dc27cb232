"""Several instances on one database: an inbox row knows its chat and who claimed it until when.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the chat (for per-chat order) and the claim (instance, lease end) to the inbox."""
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("chat_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the claim and the chat."""
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
        batch.drop_column("chat_id")
