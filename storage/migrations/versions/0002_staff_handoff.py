"""Staff handoff: each case's topic and card, transfers, reopenings, rating, an optimistic
version; relays between customers and topics, staff seen in the groups, and staff prompts.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def _case_columns() -> tuple[sa.Column[object], ...]:
    """Fresh Column objects each time: a Column belongs to one table once used."""
    return (
        sa.Column("topic_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("topic_id", sa.BigInteger(), nullable=True),
        sa.Column("card_message_id", sa.BigInteger(), nullable=True),
        sa.Column("customer_header", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("transfers", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("reopened", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="0"),
    )


CASE_INDEXES = (
    ("ix_cases_topic", ["topic_chat_id", "topic_id"]),
    ("ix_cases_team_state", ["team", "state"]),
    ("ix_cases_owner_id", ["owner_id"]),
)


def upgrade() -> None:
    """Add the case columns and the three new tables."""
    # batch mode: SQLite cannot drop a server default in place, so the table is rebuilt.
    with op.batch_alter_table("cases") as batch:
        for column in _case_columns():
            batch.add_column(column)
    with op.batch_alter_table("cases") as batch:
        for column in _case_columns():
            if column.server_default is not None:
                batch.alter_column(column.name, server_default=None)
    for name, columns in CASE_INDEXES:
        op.create_index(name, "cases", columns)

    op.create_table(
        "relays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(16), nullable=False),
        sa.Column("from_chat", sa.BigInteger(), nullable=False),
        sa.Column("from_message", sa.BigInteger(), nullable=False),
        sa.Column("to_chat", sa.BigInteger(), nullable=False),
        sa.Column("to_message", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_relays"),
    )
    op.create_index("ix_relays_from", "relays", ["from_chat", "from_message"])
    op.create_index("ix_relays_to", "relays", ["to_chat", "to_message"])

    op.create_table(
        "staff",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_name", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=True),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("last_seen", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("telegram_id", name="pk_staff"),
    )
    op.create_index("ix_staff_team", "staff", ["team"])

    op.create_table(
        "prompts",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("thread_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("staff_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_number", sa.String(16), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "thread_id", "staff_id", name="pk_prompts"),
    )


def downgrade() -> None:
    """Drop the new tables and case columns."""
    for table in ("prompts", "staff", "relays"):
        op.drop_table(table)
    for name, _columns in CASE_INDEXES:
        op.drop_index(name, "cases")
    with op.batch_alter_table("cases") as batch:
        for column in _case_columns():
            batch.drop_column(column.name)
