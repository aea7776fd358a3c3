"""example initial: the table example_greetings, on the plugin's own branch "example".

Revision ID: 5172a6041701
Revises:
Create Date: 2026-11-21 18:05:42.875846

Generated with ``flask db revision --autogenerate -m "example initial" --head base
--branch-label example --version-path plugins/example/migrations/versions`` against a database at the
core's head; ``depends_on`` was added by hand because the table refers to ``users``.
"""
import sqlalchemy as sa
from alembic import op

revision = "5172a6041701"
down_revision = None
branch_labels = ("example",)
depends_on = "0001"


def upgrade():
    op.create_table(
        "example_greetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_example_greetings_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_example_greetings")),
    )
    with op.batch_alter_table("example_greetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_example_greetings_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("example_greetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_example_greetings_user_id"))
    op.drop_table("example_greetings")
