"""Admin writes on the organisation tree: add, rename, move and delete units (each one audited)."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from wilma.accounts.models import OrgUnit, User
from wilma.admin.audit import record_audit
from wilma.core.database import commit
from wilma.core.errors import NotFound, ValidationError
from wilma.core.security import ensure_admin
from wilma.extensions import db

LIMITS = {"name": 200, "short": 40, "kind": 60}


def get_unit(unit_id: int) -> OrgUnit:
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound()
    return unit


def tree() -> list[tuple[OrgUnit, int]]:
    """Every unit in tree order, with its depth (for an indented list and for parent choices)."""
    rows: list[tuple[OrgUnit, int]] = []

    def walk(units, depth):
        for unit in units:
            rows.append((unit, depth))
            walk(unit.children, depth + 1)

    walk(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))
                            .order_by(OrgUnit.position, OrgUnit.name)).all(), 0)
    return rows


def people_counts() -> dict[int, int]:
    return dict(db.session.execute(select(User.org_unit_id, func.count(User.id))
                                   .where(User.active.is_(True)).group_by(User.org_unit_id)).all())


def _clean(name: str, short: str, kind: str) -> dict:
    values = {"name": (name or "").strip(), "short": (short or "").strip(), "kind": (kind or "").strip()}
    if not values["name"]:
        raise ValidationError(_("Please enter a name."), field="name")
    for key, limit in LIMITS.items():
        if len(values[key]) > limit:
            raise ValidationError(_("At most %(n)d characters.", n=limit), field=key)
    values["short"] = values["short"] or None
    values["kind"] = values["kind"] or None
    return values


def _parent(parent_id: int | None) -> OrgUnit | None:
    if not parent_id:
        return None
    parent = db.session.get(OrgUnit, parent_id)
    if parent is None:
        raise ValidationError(_("Unknown organisation unit."), field="parent_id")
    return parent


def create_unit(admin, *, name: str, short: str = "", kind: str = "", parent_id: int | None = None) -> OrgUnit:
    ensure_admin(admin)
    parent = _parent(parent_id)
    unit = OrgUnit(**_clean(name, short, kind), parent_id=parent.id if parent else None)
    db.session.add(unit)
    db.session.flush()
    record_audit("org.create", target=unit, actor=admin, commit=False,
                 detail={"parent": parent.name if parent else None})
    commit()
    return unit


def rename_unit(admin, unit: OrgUnit, *, name: str, short: str = "", kind: str = "") -> None:
    ensure_admin(admin)
    values = _clean(name, short, kind)
    detail = {"from": unit.name, "to": values["name"]}
    for key, value in values.items():
        setattr(unit, key, value)
    record_audit("org.rename", target=unit, actor=admin, commit=False, detail=detail)
    commit()


def move_unit(admin, unit: OrgUnit, parent_id: int | None) -> None:
    """Put ``unit`` under another parent (or at the top); never under itself or its own sub-units."""
    ensure_admin(admin)
    parent = _parent(parent_id)
    if parent is not None and unit in parent.path():
        raise ValidationError(_("A unit cannot be moved below itself."), field="parent_id")
    detail = {"from": unit.parent.name if unit.parent else None, "to": parent.name if parent else None}
    unit.parent_id = parent.id if parent else None
    record_audit("org.move", target=unit, actor=admin, commit=False, detail=detail)
    commit()


def delete_unit(admin, unit: OrgUnit) -> None:
    """Delete a unit without sub-units; its people keep their accounts and lose the assignment."""
    ensure_admin(admin)
    if unit.children:
        raise ValidationError(_("Move or delete its sub-units first."))
    people = db.session.scalar(select(func.count(User.id)).where(User.org_unit_id == unit.id)) or 0
    record_audit("org.delete", target=unit, actor=admin, commit=False, detail={"people": people})
    db.session.execute(User.__table__.update().where(User.org_unit_id == unit.id).values(org_unit_id=None))
    db.session.delete(unit)
    commit()
