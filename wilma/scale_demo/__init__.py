"""``flask wilma demo --scale city|small``: a city-sized data set, written with bulk inserts.

The city scale is what a large German city administration produces in about two years: 40,000 people,
2,000 groups, a million posts and comments, 200,000 wiki revisions and two million chat messages. The
small scale has the same shapes at 1/40 of the size (about a minute on a laptop).

Rows are written straight into the tables (COPY on PostgreSQL, chunked ``insert()`` elsewhere), with the
same values the services would have stored: HTML rendered by the app's Markdown and sanitizer (from a pool
rendered once), like, comment and vote counters that match their rows, read markers for chat. Nothing is
queued for the search index; run ``flask wilma search rebuild`` afterwards (or pass ``--rebuild-search``).

It runs only on a database without people, so that it never mixes with real or earlier demo data.
"""

import random
import time
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import func, inspect, select

from wilma.core.models import utcnow
from wilma.extensions import db


@dataclass(frozen=True)
class Scale:
    """How much to generate. Comments and likes follow from the posts (about 2.3 comments per post)."""

    users: int = 40_000
    groups: int = 2_000
    posts: int = 300_000
    comments: int = 700_000
    wiki_pages: int = 25_000
    wiki_revisions: int = 200_000
    chat_messages: int = 2_000_000
    direct_channels: int = 20_000
    days: int = 730

    def times(self, factor: float) -> "Scale":
        """The same shapes, ``factor`` times the size (at least a handful of each)."""
        def scaled(value: int, least: int) -> int:
            return max(least, round(value * factor))

        return replace(self, users=scaled(self.users, 12), groups=scaled(self.groups, 6),
                       posts=scaled(self.posts, 20), comments=scaled(self.comments, 30),
                       wiki_pages=scaled(self.wiki_pages, 4), wiki_revisions=scaled(self.wiki_revisions, 8),
                       chat_messages=scaled(self.chat_messages, 40),
                       direct_channels=scaled(self.direct_channels, 3))

    @property
    def expected_rows(self) -> int:
        """Roughly how many rows the run writes (for the progress bar)."""
        return (self.users * 19 + self.groups * 2 + self.posts * 4 + self.comments + self.wiki_pages
                + self.wiki_revisions + self.chat_messages + self.direct_channels * 3)


SCALES = {"city": Scale(), "small": Scale().times(1 / 40)}


class ScaleRefused(RuntimeError):
    """The database is not empty (or has no tables): the message says what to do."""


class World:
    """What the stages share: the random source, the time span, the rendered pools, the writer, and
    what earlier stages made (user ids, groups with their members)."""

    def __init__(self, scale: Scale, writer, seed: int):
        from wilma.scale_demo.content import Pools

        self.scale, self.writer = scale, writer
        self.rng = random.Random(seed)
        self.now = utcnow().replace(microsecond=0)
        self.start = self.now - timedelta(days=scale.days)
        self.pools = Pools(self.rng)
        self.user_ids: list[int] = []
        self.groups: list[dict] = []  # id, visibility, members (list of user ids), weight
        self.group_weights: list[float] = []

    def moment(self, fraction: float):
        """A time ``fraction`` (0..1) of the way from the start of the span to now."""
        return self.start + (self.now - self.start) * min(max(fraction, 0.0), 1.0)


def check_empty() -> None:
    """Refuse a database that has no tables yet or already has people."""
    from wilma.accounts.models import User

    if not inspect(db.session.connection()).has_table(User.__tablename__):
        raise ScaleRefused("The database has no tables yet: run 'flask db upgrade' first.")
    people = db.session.scalar(select(func.count(User.id)))
    if people:
        raise ScaleRefused(
            f"The database already has {people} people. The scale data set is generated into an empty "
            "database only, so that it never mixes with real or earlier demo data: create a new database, "
            "run 'flask db upgrade', then run this command again.")


def generate(scale: Scale, echo=print, *, show_progress: bool = True, seed: int = 2026) -> dict:
    """Write the data set of ``scale`` into the (empty) database; returns the rows written per table and
    the seconds taken."""
    from wilma.scale_demo import chat, groups, people, posts, wiki
    from wilma.scale_demo.bulk import BulkWriter, Progress

    check_empty()
    started = time.perf_counter()
    progress = Progress(scale.expected_rows, echo, show=show_progress)
    writer = BulkWriter(db.session, progress)
    world = World(scale, writer, seed)
    try:  # one transaction: a failed run leaves the database as empty as it was
        tables = []
        for stage in (people, groups, posts, wiki, chat):
            tables += stage.generate(world)
        writer.finish(tables)
    except BaseException:
        db.session.rollback()
        raise
    finally:
        progress.close()
    seconds = time.perf_counter() - started
    total = sum(writer.counts.values())
    echo(f"Scale data set: {total:,} rows in {seconds:,.0f} s ({total / max(seconds, 1e-6):,.0f} rows/s).")
    for table, count in sorted(writer.counts.items()):
        echo(f"  {table:24} {count:>12,}")
    return {"counts": dict(writer.counts), "seconds": seconds}
