"""indexes for the group page (pinned posts, owners and moderators) and the bell's unread count

Measured on the city-sized data set (``flask wilma demo --scale city``, PostgreSQL): the pinned posts of
a big group read 15,000 heap blocks without an index for ``pinned_at``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 22:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

PINNED = sa.text("pinned_at IS NOT NULL AND deleted_at IS NULL")
UNREAD = sa.text("read_at IS NULL")


def upgrade():
    op.create_index("ix_posts_group_pinned", "posts", ["group_id", "pinned_at"], sqlite_where=PINNED,
                    postgresql_where=PINNED)
    op.create_index("ix_notifications_unread", "notifications", ["recipient_id"], sqlite_where=UNREAD,
                    postgresql_where=UNREAD)
    op.create_index("ix_group_memberships_group_role", "group_memberships", ["group_id", "role"])


def downgrade():
    op.drop_index("ix_group_memberships_group_role", table_name="group_memberships")
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.drop_index("ix_posts_group_pinned", table_name="posts")
