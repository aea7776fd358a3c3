"""Writes and reads of the example plugin: every event ends as a row of ``example_greetings``."""

from sqlalchemy import func, select

from plugins.example.models import ExampleGreeting
from wilma.core.database import commit
from wilma.extensions import db


def record_greeting(kind: str, message: str, user=None) -> ExampleGreeting:
    """Store one greeting and commit (event hooks run after the core's commit, so this is a new one)."""
    greeting = ExampleGreeting(kind=kind, message=message[:200], user_id=getattr(user, "id", None))
    db.session.add(greeting)
    commit()
    return greeting


def latest_greetings(limit: int = 50) -> list[ExampleGreeting]:
    """The newest greetings first."""
    return list(db.session.scalars(
        select(ExampleGreeting).order_by(ExampleGreeting.id.desc()).limit(limit)))


def greeting_count(user=None) -> int:
    """How many greetings there are (for ``user`` only, when given)."""
    stmt = select(func.count(ExampleGreeting.id))
    if user is not None:
        stmt = stmt.where(ExampleGreeting.user_id == user.id)
    return db.session.scalar(stmt) or 0
