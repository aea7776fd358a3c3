"""Wiki pages, their revisions, redirects from old paths and titles, links, watchers, editors, files.

A page belongs to one wiki: a group's (``group_id``) or the city-wide one (``group_id`` is NULL). Its
``path`` is the chain of slugs from the root page down (``haeufige-fragen/urlaubsantrag``) and is
unique among the live pages of a wiki; a rename or move leaves ``WikiRedirect`` rows behind so that
old URLs and ``[[Old title]]`` links keep working.
"""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wilma.accounts.models import User
from wilma.core.models import utcnow
from wilma.extensions import db


class WikiPage(db.Model):
    """A page; its content is the revision ``current_revision_id`` points to."""

    __tablename__ = "wiki_pages"
    __table_args__ = (Index("ix_wiki_pages_group_path", "group_id", "path"),
                      Index("ix_wiki_pages_group_title_key", "group_id", "title_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("wiki_pages.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_key: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120))
    path: Mapped[str] = mapped_column(String(1000))
    # No foreign key: pages and revisions point at each other; the service keeps this consistent.
    current_revision_id: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    parent: Mapped["WikiPage | None"] = relationship(remote_side=[id])
    current_revision: Mapped["WikiRevision | None"] = relationship(
        primaryjoin="foreign(WikiPage.current_revision_id) == WikiRevision.id", viewonly=True)
    deleted_by: Mapped[User | None] = relationship(foreign_keys=[deleted_by_id])

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class WikiRevision(db.Model):
    """One saved state of a page: numbered from 1, with author, time, summary and the rendered HTML."""

    __tablename__ = "wiki_revisions"
    __table_args__ = (UniqueConstraint("page_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    # where its [[links]] pointed when ``html`` was rendered: while that holds, views serve ``html`` as is
    link_state: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    parent_revision_id: Mapped[int | None] = mapped_column(ForeignKey("wiki_revisions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    page: Mapped[WikiPage] = relationship(foreign_keys=[page_id])


class WikiRedirect(db.Model):
    """An old path or title of a page, left behind by a rename or a move."""

    __tablename__ = "wiki_redirects"
    __table_args__ = (Index("ix_wiki_redirects_group_path", "group_id", "old_path"),
                      Index("ix_wiki_redirects_group_title", "group_id", "old_title_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    old_path: Mapped[str | None] = mapped_column(String(1000))
    old_title_key: Mapped[str | None] = mapped_column(String(200))
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WikiLink(db.Model):
    """``[[Target]]`` in the current revision of ``page``: backlinks and the list of missing pages."""

    __tablename__ = "wiki_links"
    __table_args__ = (UniqueConstraint("page_id", "target_key"),
                      Index("ix_wiki_links_group_target", "group_id", "target_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    target_title: Mapped[str] = mapped_column(String(200))
    target_key: Mapped[str] = mapped_column(String(200))


class WikiWatch(db.Model):
    """Someone who wants a notification when the page changes."""

    __tablename__ = "wiki_watches"
    __table_args__ = (UniqueConstraint("page_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()


class WikiEditor(db.Model):
    """A person an admin named editor of the city-wide wiki."""

    __tablename__ = "wiki_editors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class WikiAttachment(db.Model):
    """A file attached to a page, stored by ``wilma.core.uploads`` under the area ``wiki``."""

    __tablename__ = "wiki_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("wiki_pages.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
