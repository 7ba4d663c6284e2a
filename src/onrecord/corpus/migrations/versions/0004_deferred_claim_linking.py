"""Claim linking that can wait: each article says whether its claims are linked to claim records yet, so an
ingest can skip the linking (`onrecord ingest --no-claims`) and `onrecord link-claims` can do it later. Articles
stored before this revision were linked as they were stored.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column(
        "claims_linked", sa.Boolean, nullable=False, server_default=sa.true(),
        comment="false while its claims wait to be linked to claim records (ingest --no-claims, then link-claims)"))
    op.create_index("ix_articles_claims_linked", "articles", ["claims_linked"])


def downgrade() -> None:
    op.drop_index("ix_articles_claims_linked", "articles")
    op.drop_column("articles", "claims_linked")
