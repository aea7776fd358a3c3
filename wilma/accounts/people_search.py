"""The people directory's search: every typed word must match the name, username, job title or unit.

Matching and sorting use ``core.folding``: case and accents do not matter, "mueller" finds "Müller",
"strasse" finds "Straße" and "yilmaz" finds "Yılmaz". Results are sorted by the folded name, then by
id, which is also the order of the API's cursor.
"""

from sqlalchemy import and_, or_, select

from wilma.accounts.models import OrgUnit, User
from wilma.core.folding import fold_text, folded, search_variants
from wilma.extensions import db

MAX_WORDS = 5


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sort_key(user: User) -> tuple[str, int]:
    """Where ``user`` stands in the directory's order (the API cursor stores this)."""
    return (fold_text(user.display_name), user.id)


def search_people(query: str, limit: int = 20, after: tuple[str, int] | list | None = None) -> list[User]:
    """Active people matching every word of ``query`` (all when empty), by name; ``after`` = a sort_key."""
    sort_name = folded(User.display_name)
    stmt = select(User).outerjoin(OrgUnit, User.org_unit_id == OrgUnit.id).where(User.active.is_(True))
    columns = [folded(c) for c in (User.display_name, User.username, User.job_title, OrgUnit.name,
                                   OrgUnit.short)]
    for word in (query or "").split()[:MAX_WORDS]:
        stmt = stmt.where(or_(*(
            column.like(f"%{_escape_like(variant)}%", escape="\\")
            for column in columns for variant in search_variants(word) if variant
        )))
    if after:
        name, last_id = str(after[0]), int(after[1])
        stmt = stmt.where(or_(sort_name > name, and_(sort_name == name, User.id > last_id)))
    return list(db.session.scalars(stmt.order_by(sort_name, User.id).limit(limit)))
