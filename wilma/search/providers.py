"""Built-in providers: people (accounts), and groups when the groups feature is installed.

Features added later register their own types in ``wilma/<feature>/search.py``; the people provider
lives here because accounts is older than search.
"""

from sqlalchemy import func, select

from wilma.search.registry import Document, Provider, endpoint_url, register_provider


def person_document(user) -> Document:
    """A person: found by name (prefix), username, job title and unit. Deactivated people are hidden."""
    unit = user.org_unit.label if user.org_unit is not None else ""
    return Document(
        type="people", object_id=user.id, title=user.display_name,
        body=" ".join(part for part in (user.job_title, unit) if part),
        names=f"{user.display_name} {user.username}",
        url=endpoint_url("accounts.profile", user_id=user.id),
        created_at=user.created_at, deleted=not user.active,
        extra={"job_title": user.job_title or "", "unit": unit},
    )


def _iter_people():
    from wilma.accounts.models import User
    from wilma.extensions import db

    query = select(User).where(User.active.is_(True)).order_by(User.id).execution_options(yield_per=500)
    for user in db.session.scalars(query):
        yield person_document(user)


def _load_person(user_id: int) -> Document | None:
    from wilma.accounts.models import User
    from wilma.extensions import db

    user = db.session.get(User, user_id)
    return person_document(user) if user is not None else None


def _load_people(user_ids: list[int]) -> dict[int, Document]:
    from wilma.accounts.models import User
    from wilma.extensions import db

    users = db.session.scalars(select(User).where(User.id.in_(user_ids)))
    return {user.id: person_document(user) for user in users}


def _count_people() -> int:
    from wilma.accounts.models import User
    from wilma.extensions import db

    return db.session.scalar(select(func.count(User.id)).where(User.active.is_(True))) or 0


register_provider(Provider(type="people", iter_documents=_iter_people, load=_load_person,
                           load_many=_load_people, count=_count_people))


# --- groups (when the groups feature is installed) ---------------------------------------------------------


def group_document(group) -> Document:
    """A group: name and description. Public and private groups are known to everyone; a secret group
    only to its members (``group_id`` makes it follow the readable set, which holds a member's groups)."""
    from wilma.groups.models import SECRET

    return Document(
        type="groups", object_id=group.id, title=group.name, body=group.description or "",
        url=endpoint_url("groups.show", group_id=group.id),
        group_id=group.id if group.visibility == SECRET else None,
        created_at=group.created_at, deleted=group.deleted_at is not None,
    )


def _iter_groups():
    from wilma.extensions import db
    from wilma.groups.models import Group

    query = select(Group).where(Group.deleted_at.is_(None)).order_by(Group.id).execution_options(yield_per=500)
    for group in db.session.scalars(query):
        yield group_document(group)


def _load_groups(group_ids: list[int]) -> dict[int, Document]:
    from wilma.extensions import db
    from wilma.groups.models import Group

    return {g.id: group_document(g) for g in db.session.scalars(select(Group).where(Group.id.in_(group_ids)))}


def _count_groups() -> int:
    from wilma.extensions import db
    from wilma.groups.models import Group

    return db.session.scalar(select(func.count(Group.id)).where(Group.deleted_at.is_(None))) or 0


def _register_groups() -> None:
    try:
        import wilma.groups.models  # noqa: F401
    except ImportError:
        return
    register_provider(Provider(type="groups", iter_documents=_iter_groups,
                               load=lambda gid: _load_groups([gid]).get(gid), load_many=_load_groups,
                               count=_count_groups))


_register_groups()
