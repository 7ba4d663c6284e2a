"""The corpus schema: articles with their analyses, attributions, entities and claims, errors, and the
tables wire copies and stories fill; full-text search over articles (SQLite FTS5 kept in sync by triggers,
PostgreSQL a generated tsvector with a GIN index).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONDocument = sa.JSON().with_variant(JSONB(), "postgresql")


def _article_fk() -> sa.Column:
    return sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "analyses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True,
                  comment="SHA-256 of the page's bytes: the same bytes are analysed once"),
        sa.Column("schema", sa.String(40), nullable=False, comment="the analysis JSON's schema version"),
        sa.Column("analysis", JSONDocument, nullable=False, comment="the pipeline's whole analysis JSON"),
        sa.Column("seconds", sa.Float, comment="time the analysis took"),
        sa.Column("analysed_at", sa.String(32), nullable=False),
        comment="Each distinct page's whole analysis JSON, shared by the articles that carry those bytes",
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, comment="the page's URL, or its file's path when it has none"),
        sa.Column("version", sa.Integer, nullable=False,
                  comment="1 for the first content seen at this URL, then 2, 3..."),
        sa.Column("is_latest", sa.Boolean, nullable=False, comment="true for the version shown: the last one stored"),
        sa.Column("source", sa.Text, nullable=False,
                  comment="where the page was read: a file, a JSONL line, a WARC record"),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(32), comment="ISO date or date-time, from the input or the page"),
        sa.Column("fetched", sa.String(32), comment="ISO date-time the page was fetched, when the input says"),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("byline", sa.Text),
        sa.Column("wire_credit", sa.Text, comment="the wire service the page credits (AFP, Reuters...)"),
        sa.Column("content_hash", sa.String(64), nullable=False, comment="SHA-256 of the page's bytes"),
        sa.Column("text_hash", sa.String(64), nullable=False, comment="SHA-256 of the cleaned article text"),
        sa.Column("analysis_id", sa.Integer, sa.ForeignKey("analyses.id"), nullable=False),
        sa.Column("copy_of", sa.Integer, sa.ForeignKey("articles.id"),
                  comment="the original this article copies, when it is a copy"),
        sa.Column("copy_similarity", sa.Float, comment="Jaccard similarity of the shingles with the original"),
        sa.Column("copy_containment", sa.Float, comment="share of this text's shingles found in the original"),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("url", "version", name="uq_articles_url_version"),
        sa.UniqueConstraint("url", "content_hash", name="uq_articles_url_content"),
        comment="One row per version of each page: its metadata, cleaned text and links to its analysis and original",
    )
    for column in ("content_hash", "text_hash", "published", "outlet", "copy_of", "analysis_id"):
        op.create_index(f"ix_articles_{column}", "articles", [column])
    op.create_table(
        "attributions",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk(),
        sa.Column("attribution", sa.String(16), nullable=False, comment="its id in the analysis (a1, a2...)"),
        sa.Column("speaker", sa.Text),
        sa.Column("speaker_type", sa.String(32), nullable=False),
        sa.Column("speaker_entity", sa.String(16), comment="the entity id in the analysis"),
        sa.Column("cue", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("direct", sa.Boolean, nullable=False, comment="a direct quotation"),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("answers", sa.String(16), comment="the attribution this one confirms or denies"),
        sa.Column("chain", sa.JSON, nullable=False, comment="the chain of custody, outermost speaker first"),
        sa.Column("confidence", sa.Float, nullable=False),
        comment="Who said what in each article: speaker, cue, content, stance and chain of custody",
    )
    op.create_index("ix_attributions_article_id", "attributions", ["article_id"])
    op.create_index("ix_attributions_speaker", "attributions", ["speaker"])
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk(),
        sa.Column("entity", sa.String(16), nullable=False, comment="its id in the analysis (e1, e2...)"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("kind", sa.Text),
        sa.Column("titles", sa.JSON, nullable=False),
        sa.Column("country", sa.Text),
        sa.Column("mentions", sa.Integer, nullable=False, comment="how many times the article mentions it"),
        comment="The people and organisations each article mentions",
    )
    op.create_index("ix_entities_article_id", "entities", ["article_id"])
    op.create_index("ix_entities_name", "entities", ["name"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        _article_fk(),
        sa.Column("claim", sa.String(16), nullable=False, comment="its id in the analysis (c1, c2...)"),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("attributions", sa.JSON, nullable=False, comment="ids of the attributions stating or answering it"),
        comment="The claims of each article, with the status its attributions give them",
    )
    op.create_index("ix_claims_article_id", "claims", ["article_id"])
    op.create_index("ix_claims_status", "claims", ["status"])
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.Text, nullable=False, comment="its key entities and phrase"),
        sa.Column("first_seen", sa.String(32)),
        sa.Column("last_seen", sa.String(32)),
        sa.Column("articles", sa.Integer, nullable=False, comment="how many articles it holds"),
        comment="Groups of articles about one news event",
    )
    op.create_table(
        "story_members",
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("similarity", sa.Float, comment="the article's similarity to the story when it joined"),
        comment="Which articles belong to which story",
    )
    op.create_index("ix_story_members_article_id", "story_members", ["article_id"])
    op.create_table(
        "minhash_bands",
        sa.Column("band", sa.Integer, nullable=False),
        sa.Column("key", sa.String(32), nullable=False, comment="hash of one band of the article's MinHash signature"),
        _article_fk(),
        comment="Band keys of each article's MinHash signature, the index wire-copy finding looks up",
    )
    op.create_index("ix_minhash_bands_band_key", "minhash_bands", ["band", "key"])
    op.create_index("ix_minhash_bands_article_id", "minhash_bands", ["article_id"])
    op.create_table(
        "errors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False,
                  comment="where the page was read: a file, a JSONL line, a WARC record"),
        sa.Column("url", sa.Text),
        sa.Column("content_hash", sa.String(64), comment="SHA-256 of the page's bytes, when they could be read"),
        sa.Column("error_type", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("internal", sa.Boolean, nullable=False,
                  comment="true for a bug rather than a page refused on purpose"),
        sa.Column("failed_at", sa.String(32), nullable=False),
        comment="Pages that could not be read or analysed, with the reason",
    )
    op.create_index("ix_errors_url_content_hash", "errors", ["url", "content_hash"])
    op.create_index("ix_errors_source", "errors", ["source"])
    op.create_index("ix_errors_error_type", "errors", ["error_type"])
    _full_text_search()


def _full_text_search() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id')")
        op.execute("CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
                   "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
        op.execute("CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
                   "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                   "VALUES ('delete', old.id, old.title, old.text); END")
        op.execute("CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
                   "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                   "VALUES ('delete', old.id, old.title, old.text); "
                   "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
    else:
        op.execute("ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED")
        op.execute("CREATE INDEX ix_articles_search ON articles USING GIN (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")
    for table in ("errors", "minhash_bands", "story_members", "stories", "claims", "entities", "attributions",
                  "articles", "analyses"):
        op.drop_table(table)
