"""Managers' digest and reports: find what happened in a period from the case log's times.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index the case log by time: a report reads the cases that changed since a moment."""
    op.create_index("ix_case_log_at", "case_log", ["at"])


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_case_log_at", table_name="case_log")
