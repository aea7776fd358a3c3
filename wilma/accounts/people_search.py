"""The people directory's search: every typed word must match the name, username, job title or unit.

Results are sorted by name (case-insensitively, then by id), which is also the order of the API's
cursor. German spellings meet: "mueller" finds "Müller" and "strasse" finds "Straße", and the other way
round. SQLite's own ``lower()`` only knows ASCII; ``core.database`` replaces it with Python's, so that
"ä" matches "Ä" there as it does on PostgreSQL.
"""

from sqlalchemy import and_, func, or_, select

from wilma.accounts.models import OrgUnit, User
from wilma.extensions import db

MAX_WORDS = 5
_FOLDS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))


def spelling_variants(word: str) -> set[str]:
    """``word`` in lower case, with umlauts written out and written as umlauts."""
    word = word.lower()
    written_out, as_umlauts = word, word
    for umlaut, spelled in _FOLDS:
        written_out = written_out.replace(umlaut, spelled)
        as_umlauts = as_umlauts.replace(spelled, umlaut)
    return {word, written_out, as_umlauts}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sort_key(user: User) -> tuple[str, int]:
    """Where ``user`` stands in the directory's order (the API cursor stores this)."""
    return (user.display_name.lower(), user.id)


def search_people(query: str, limit: int = 20, after: tuple[str, int] | list | None = None) -> list[User]:
    """Active people matching every word of ``query`` (all when empty), by name; ``after`` = a sort_key."""
    sort_name = func.lower(User.display_name)
    stmt = select(User).outerjoin(OrgUnit, User.org_unit_id == OrgUnit.id).where(User.active.is_(True))
    columns = (User.display_name, User.username, User.job_title, OrgUnit.name, OrgUnit.short)
    for word in (query or "").split()[:MAX_WORDS]:
        stmt = stmt.where(or_(*(
            func.lower(column).like(f"%{_escape_like(variant)}%", escape="\\")
            for column in columns for variant in spelling_variants(word)
        )))
    if after:
        name, last_id = str(after[0]), int(after[1])
        stmt = stmt.where(or_(sort_name > name, and_(sort_name == name, User.id > last_id)))
    return list(db.session.scalars(stmt.order_by(sort_name, User.id).limit(limit)))
