"""The staff toolkit: when each staff member was last given a case, so round-robin assignment
goes to whoever has waited longest for one; an index for a category's recent first answers.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("last_assigned", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_cases_category_first_response_at", "cases", ["category", "first_response_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_cases_category_first_response_at", table_name="cases")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("last_assigned")
