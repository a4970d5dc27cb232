"""Dead letters: an update or timer that keeps failing is retried later, then set aside.

The inbox gains the time of an update's next attempt; timers gain a status (pending or dead),
their failed attempts, the last error and the time of the next attempt.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the retry and dead-letter columns."""
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("next_attempt_at", WHEN, nullable=True))
    with op.batch_alter_table("timers") as batch:
        batch.add_column(sa.Column("status", sa.String(), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))
        batch.add_column(sa.Column("next_attempt_at", WHEN, nullable=True))
        batch.create_check_constraint("status", "status IN ('pending', 'dead')")
    # batch mode: SQLite cannot drop a server default in place, so the table is rebuilt.
    with op.batch_alter_table("timers") as batch:
        batch.alter_column("status", server_default=None)
        batch.alter_column("attempts", server_default=None)
    op.create_index("ix_timers_status", "timers", ["status"])


def downgrade() -> None:
    """Drop them; dead timers go back to pending (they fire again)."""
    op.drop_index("ix_timers_status", table_name="timers")
    with op.batch_alter_table("timers") as batch:
        batch.drop_constraint("status", type_="check")
        batch.drop_column("next_attempt_at")
        batch.drop_column("error")
        batch.drop_column("attempts")
        batch.drop_column("status")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("next_attempt_at")
