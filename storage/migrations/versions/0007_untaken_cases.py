"""A team's untaken cases found without reading its taken ones: an index on (team, owner_id,
created_at) for the queue position every new case is told.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the index."""
    op.create_index(
        "ix_cases_team_owner_id_created_at", "cases", ["team", "owner_id", "created_at"]
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_cases_team_owner_id_created_at", table_name="cases")
