"""postgres search backend: documents table, progress table and the wilma_german configuration

PostgreSQL only (``WILMA_SEARCH_BACKEND = "postgres"``); on SQLite this revision does nothing. It needs the
``unaccent`` extension (in Debian's postgresql-contrib, shipped with the server package): the migration
runs ``CREATE EXTENSION IF NOT EXISTS unaccent``, which needs a superuser or a database owner on
PostgreSQL 13+ (unaccent is a trusted extension). The tables have no SQLAlchemy models (tsvector, GIN
and text[] do not exist on SQLite); ``migrations/env.py`` leaves them out of the model comparison.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 21:40:00
"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # German stemming and stop words, with accents removed first (the backend also folds umlaut
    # spellings, ß and case in Python before the text reaches PostgreSQL, as the Whoosh analysis does).
    "CREATE TEXT SEARCH CONFIGURATION wilma_german (COPY = pg_catalog.german)",
    "ALTER TEXT SEARCH CONFIGURATION wilma_german ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, german_stem",
    """CREATE TABLE search_documents (
        key varchar(120) NOT NULL,
        type varchar(40) NOT NULL,
        object_id bigint NOT NULL,
        group_id bigint,
        acl text[] NOT NULL,
        created_at timestamptz,
        title text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        tsv tsvector NOT NULL,
        CONSTRAINT pk_search_documents PRIMARY KEY (key)
    )""",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)",
    "CREATE INDEX ix_search_documents_acl ON search_documents USING gin (acl)",
    "CREATE INDEX ix_search_documents_type ON search_documents (type)",
    """CREATE TABLE search_progress (
        id integer NOT NULL,
        data text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_search_progress PRIMARY KEY (id)
    )""",
]

DOWNGRADE = [
    "DROP TABLE IF EXISTS search_progress",
    "DROP TABLE IF EXISTS search_documents_build",
    "DROP TABLE IF EXISTS search_documents",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS wilma_german",
    # The unaccent extension stays: other database objects may use it, and it costs nothing.
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in UPGRADE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DOWNGRADE:
        op.execute(statement)
