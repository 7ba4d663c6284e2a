"""Claims across articles: each claim record, its events (every statement about it in any article), its
status history, and the inverted index of its words that matching and search look up.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False,
                  comment="the proposition as first reported: its earliest report's words"),
        sa.Column("status", sa.String(16), nullable=False, comment="the status its events give it today"),
        sa.Column("reason", sa.Text, nullable=False, comment="why, in words"),
        sa.Column("first_date", sa.String(10), comment="date of its earliest event"),
        sa.Column("last_date", sa.String(10), comment="date of its latest event"),
        sa.Column("events", sa.Integer, nullable=False, comment="how many events it has"),
        sa.Column("terms", sa.JSON, nullable=False, comment="its content words, with how many of its events use each"),
        sa.Column("vector", sa.LargeBinary,
                  comment="its first claim's sentence embedding (MiniLM, float32)"),
        comment="Claims across articles: one proposition however many articles report, confirm or deny it",
    )
    op.create_index("ix_claim_records_last_date", "claim_records", ["last_date"])
    op.create_table(
        "claim_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claim_records.id", ondelete="CASCADE"), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("article_claim", sa.String(16), comment="the page claim it came from (c1, c2...)"),
        sa.Column("attribution", sa.String(16),
                  comment="the attribution (a1, a2...); null for the outlet's own voice"),
        sa.Column("date", sa.String(10), nullable=False,
                  comment="the article's publication day, else the day it was stored"),
        sa.Column("outlet", sa.Text),
        sa.Column("speaker", sa.Text, nullable=False),
        sa.Column("speaker_type", sa.String(32), nullable=False),
        sa.Column("party", sa.Text, nullable=False, comment="who is speaking, as a key: a later statement of the "
                  "same party on the same line supersedes this one"),
        sa.Column("originator", sa.Text, nullable=False,
                  comment="the last of the chain, as a key: copies keep their original's"),
        sa.Column("originator_type", sa.String(32), nullable=False),
        sa.Column("chain", sa.JSON, nullable=False, comment="the chain of custody, outermost speaker first"),
        sa.Column("stance", sa.String(16), nullable=False, comment="the attribution's stance in its article"),
        sa.Column("toward", sa.String(16), nullable=False, comment="its stance toward the claim: the stance, except "
                  "that a report negating the claim's first report (\"he has not defected\") denies it"),
        sa.Column("quote", sa.Text, nullable=False, comment="the attribution's content, or the outlet's sentence"),
        sa.Column("copy_of", sa.Integer, sa.ForeignKey("articles.id", ondelete="SET NULL"),
                  comment="the original when the article is a copy"),
        comment="Every statement about a claim across articles: who, when, where, how firmly",
    )
    op.create_index("ix_claim_events_claim_id", "claim_events", ["claim_id"])
    op.create_index("ix_claim_events_article_id", "claim_events", ["article_id"])
    op.create_table(
        "claim_status_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claim_records.id", ondelete="CASCADE"), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("claim_events.id", ondelete="CASCADE"), nullable=False,
                  comment="the event that changed it"),
        comment="Each claim's status history, in event-date order: one row per change",
    )
    op.create_index("ix_claim_status_changes_claim_id", "claim_status_changes", ["claim_id"])
    op.create_table(
        "claim_keys",
        sa.Column("key", sa.String(200), nullable=False, comment="a distinctive content word of the claim"),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("claim_records.id", ondelete="CASCADE"), nullable=False),
        sa.UniqueConstraint("key", "claim_id", name="uq_claim_keys_key_claim"),
        comment="The inverted index of claims: which claims use a word, what matching and search look up",
    )
    op.create_index("ix_claim_keys_claim_id", "claim_keys", ["claim_id"])


def downgrade() -> None:
    for name in ("claim_keys", "claim_status_changes", "claim_events", "claim_records"):
        op.drop_table(name)
