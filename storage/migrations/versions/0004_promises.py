"""One promise per case: the case's live promise replaces its bare next-update time; marks
remember which message the bot sent for what (escalation cards, pinned receipts).

An open case's next-update time becomes a promise of the team (or of its owner), and its
update timer becomes the promise timer; the first-response timers are folded into it.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)
FINAL = ("closed", "declined", "withdrawn")
NO_PROMISE = ("waiting_for_customer", "resolved")


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _promise(row: Any) -> dict[str, Any] | None:
    """What the case promised, as the new model says it."""
    if row.state in FINAL or row.state in NO_PROMISE:
        return None
    due = row.next_update_due or row.first_response_due
    owned = row.owner_id is not None
    first_name = (row.owner_name or "").split(" (")[0]
    promise = {
        "owes": "update" if row.first_response_at is not None else "answer",
        "by": "staff" if owned else "team",
        "ref": str(row.owner_id) if owned else row.team,
        "due": _iso(due),
        "reason": "registered",
        "made_at": _iso(row.updated_at),
        "told_at": _iso(row.updated_at),
        "team": row.team,
        "name": first_name if owned else "",
        "warned": False,
        "strikes": 0,
    }
    return promise


def upgrade() -> None:
    """Add the promise column (filled from the next-update time), the marks table, timers."""
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("promise", sa.JSON(), nullable=True))
    connection = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("number", sa.String),
        sa.column("state", sa.String),
        sa.column("team", sa.String),
        sa.column("owner_id", sa.BigInteger),
        sa.column("owner_name", sa.String),
        sa.column("updated_at", WHEN),
        sa.column("first_response_due", WHEN),
        sa.column("first_response_at", WHEN),
        sa.column("next_update_due", WHEN),
        sa.column("promise", sa.JSON),
    )
    rows = connection.execute(sa.select(cases).where(cases.c.state.not_in(FINAL))).fetchall()
    for row in rows:
        promise = _promise(row)
        if promise is not None:
            connection.execute(
                sa.update(cases).where(cases.c.number == row.number).values(promise=promise)
            )
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("next_update_due")
    op.execute("UPDATE timers SET kind = 'promise' WHERE kind = 'case_update'")
    op.execute("DELETE FROM timers WHERE kind IN ('sla_first_warn', 'sla_first')")

    op.create_table(
        "marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_marks"),
    )
    op.create_index("ix_marks_kind_key", "marks", ["kind", "key"])


def downgrade() -> None:
    """Back to a bare next-update time (the promise's time); drop the marks."""
    op.drop_index("ix_marks_kind_key", "marks")
    op.drop_table("marks")
    op.execute("UPDATE timers SET kind = 'case_update' WHERE kind = 'promise'")
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("next_update_due", WHEN, nullable=True))
    connection = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("number", sa.String),
        sa.column("promise", sa.JSON),
        sa.column("next_update_due", WHEN),
    )
    for number, promise in connection.execute(sa.select(cases.c.number, cases.c.promise)):
        raw = json.loads(promise) if isinstance(promise, str) else promise
        if raw:
            due = datetime.fromisoformat(raw["due"])
            connection.execute(
                sa.update(cases).where(cases.c.number == number).values(next_update_due=due)
            )
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("promise")
