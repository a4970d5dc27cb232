"""What erasure needs of a purged outbox row: the case, the staff group and the message id.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the staff-group messages of cases; the next purge moves the kept outbox rows there."""
    op.create_table(
        "staff_messages",
        sa.Column("case_number", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("case_number", "chat_id", "message_id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    """Put the staff-group messages back where erasure looked for them before, then drop them."""
    staff_messages = sa.table(
        "staff_messages",
        sa.column("case_number", sa.String),
        sa.column("chat_id", sa.BigInteger),
        sa.column("message_id", sa.BigInteger),
    )
    outbox = sa.table(
        "outbox",
        sa.column("chat_id", sa.BigInteger),
        sa.column("payload", sa.JSON),
        sa.column("priority", sa.Integer),
        sa.column("status", sa.String),
        sa.column("attempts", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("sent_at", sa.DateTime(timezone=True)),
        sa.column("telegram_message_id", sa.BigInteger),
        sa.column("case_number", sa.String),
    )
    kept = sa.select(
        staff_messages.c.chat_id,
        sa.cast(sa.literal("{}"), sa.JSON),
        sa.literal(0),
        sa.literal("sent"),
        sa.literal(0),
        sa.func.current_timestamp(),
        sa.func.current_timestamp(),
        staff_messages.c.message_id,
        staff_messages.c.case_number,
    )
    op.execute(
        outbox.insert().from_select(
            [
                "chat_id",
                "payload",
                "priority",
                "status",
                "attempts",
                "created_at",
                "sent_at",
                "telegram_message_id",
                "case_number",
            ],
            kept,
        )
    )
    op.drop_table("staff_messages")
