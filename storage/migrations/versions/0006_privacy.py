"""Customers' data: a phone number belongs to the case it was shared for; erased cases keep no
customer; the outbox knows which case a message is about; an audit log; handled updates and
delivered messages keep no copy of their content.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)
ERASED_CUSTOMER = 0  # downgrade only: the stand-in customer of erased cases (no Telegram id is 0)

# The case an outbox message is about, as flows.messages.about_case says, read from its JSON.
_ABOUT_SQLITE = """
UPDATE outbox SET case_number = substr(COALESCE(
    json_extract(payload, '$.topic_of'),
    json_extract(payload, '$.card_of'),
    CASE WHEN json_extract(payload, '$.type') IN ('topic', 'delete-topic')
         THEN json_extract(payload, '$.case') END,
    CASE WHEN json_extract(payload, '$.track.kind') != 'mark'
         THEN json_extract(payload, '$.track.case') END,
    json_extract(payload, '$.params.number')
), 1, 16)
"""
_ABOUT_POSTGRES = """
UPDATE outbox SET case_number = substr(COALESCE(
    payload->>'topic_of',
    payload->>'card_of',
    CASE WHEN payload->>'type' IN ('topic', 'delete-topic') THEN payload->>'case' END,
    CASE WHEN payload->'track'->>'kind' != 'mark' THEN payload->'track'->>'case' END,
    payload->'params'->>'number'
), 1, 16)
"""


def upgrade() -> None:
    """Move to the privacy model; the phone numbers kept per customer are dropped."""
    # Every number a customer shared while filing is on that case already; the one kept on
    # the customer is what leaked onto the cards of their other cases.
    # Not batch mode: rebuilding `customers` on SQLite would drop a table cases refer to.
    # (SQLite drops a plain column itself since 3.35.)
    op.execute("ALTER TABLE customers DROP COLUMN phone")
    op.add_column("customers", sa.Column("exported_at", WHEN, nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("customer_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("erased_at", WHEN, nullable=True))
    op.create_index("ix_cases_erased_at_updated_at", "cases", ["erased_at", "updated_at"])

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("case_number", sa.String(16), nullable=True))
    op.create_index("ix_outbox_case_number", "outbox", ["case_number"])
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute(_ABOUT_POSTGRES if postgres else _ABOUT_SQLITE)
    # What was delivered or handled needs no copy of its content any more.
    op.execute("UPDATE outbox SET payload = '{}' WHERE status = 'sent'")
    op.execute("UPDATE inbox SET payload = '{}' WHERE status = 'done'")

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    """Back to a phone per customer; erased cases belong to a stand-in customer."""
    op.drop_index("ix_audit_log_at", "audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_outbox_case_number", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("case_number")

    op.add_column("customers", sa.Column("phone", sa.String(), nullable=True))
    op.execute("ALTER TABLE customers DROP COLUMN exported_at")
    connection = op.get_bind()
    erased = connection.execute(
        sa.text("SELECT count(*) FROM cases WHERE customer_id IS NULL")
    ).scalar_one()
    if erased:
        connection.execute(
            sa.text(
                "INSERT INTO customers (telegram_id, first_name, language, unreachable, created_at)"
                " VALUES (:id, '(erased)', 'en', true, CURRENT_TIMESTAMP)"
            ),
            {"id": ERASED_CUSTOMER},
        )
        connection.execute(
            sa.text(
                "UPDATE cases SET customer_id ="
                " (SELECT id FROM customers WHERE telegram_id = :id) WHERE customer_id IS NULL"
            ),
            {"id": ERASED_CUSTOMER},
        )
    op.drop_index("ix_cases_erased_at_updated_at", "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("erased_at")
        batch.alter_column("customer_id", existing_type=sa.Integer(), nullable=False)
