"""What wire copies and stories keep between runs: each article's MinHash signature, the stories' centroids
and labels, how many articles use each word (the IDF of story matching), and the stories' inverted index
keyed by word and day, so a lookup touches only stories active near the article's date.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fingerprints",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("signature", sa.LargeBinary, nullable=False, comment="the MinHash signature: 128 unsigned 64-bit values"),
        sa.Column("shingles", sa.Integer, nullable=False, comment="how many distinct five-word shingles the text has"),
        comment="Each article's MinHash signature, what copy finding compares",
    )
    op.create_table(
        "term_documents",
        sa.Column("term", sa.String(200), primary_key=True,
                  comment="a content word; the row with an empty word counts all articles"),
        sa.Column("documents", sa.Integer, nullable=False, comment="how many articles use it"),
        comment="How many articles use each word: the IDF weights of story matching",
    )
    op.create_table(
        "story_keys",
        sa.Column("key", sa.String(200), nullable=False, comment="a distinctive word, or entity:NAME"),
        sa.Column("day", sa.String(10), nullable=False,
                  comment="publication day of the article that posted it ('' when undated)"),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
        sa.UniqueConstraint("key", "day", "story_id", name="uq_story_keys_key_day_story"),
        comment="The inverted index of stories: which stories' articles used a key, on which day",
    )
    op.create_index("ix_story_keys_story_id", "story_keys", ["story_id"])
    with op.batch_alter_table("stories") as table:
        table.add_column(sa.Column("terms", sa.JSON, comment="the sum of its members' term weights (its centroid)"))
        table.add_column(sa.Column("entities", sa.JSON, comment="how many members name each entity"))
        table.add_column(sa.Column("phrases", sa.JSON, comment="counts of its most frequent word pairs"))
        table.add_column(sa.Column("norm", sa.Float, comment="the centroid's length under the IDF of `norm_documents`"))
        table.add_column(sa.Column("norm_documents", sa.Integer, comment="articles stored when `norm` was computed"))
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])


def downgrade() -> None:
    op.drop_index("ix_stories_last_seen", "stories")
    with op.batch_alter_table("stories") as table:
        for column in ("terms", "entities", "phrases", "norm", "norm_documents"):
            table.drop_column(column)
    for name in ("story_keys", "term_documents", "fingerprints"):
        op.drop_table(name)
