"""Never alone: when a case got its first answer and last asked for a manager; escalations
to managers and review items.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the case columns and the escalations and reviews tables."""
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("first_response_at", WHEN, nullable=True))
        batch.add_column(sa.Column("manager_requested_at", WHEN, nullable=True))

    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("manager", sa.String(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("paged_at", WHEN, nullable=False),
        sa.Column("acked_at", WHEN, nullable=True),
        sa.Column("acked_by", sa.String(), nullable=True),
        sa.Column("reply_by", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_escalations"),
    )
    op.create_index("ix_escalations_case_number", "escalations", ["case_number"])

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(16), nullable=False),
        sa.Column("manager", sa.String(), nullable=False),
        sa.Column("trigger", sa.String(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("root_cause", sa.String(), nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_case_number", "reviews", ["case_number"])
    op.create_index("ix_reviews_manager_closed_at", "reviews", ["manager", "closed_at"])


def downgrade() -> None:
    """Drop the tables and columns of this revision."""
    op.drop_table("reviews")
    op.drop_table("escalations")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("manager_requested_at")
        batch.drop_column("first_response_at")
