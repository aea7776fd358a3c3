"""muenchen: Digitalisierungsradar projects

Revision ID: m001
Revises:
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "m001"
down_revision = None
branch_labels = ("muenchen",)
depends_on = "0001"


def upgrade():
    op.create_table(
        "muenchen_radar_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"],
                                name="fk_muenchen_radar_projects_updated_by_id_users", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_muenchen_radar_projects"),
    )


def downgrade():
    op.drop_table("muenchen_radar_projects")
