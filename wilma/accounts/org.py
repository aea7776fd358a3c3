"""The organisation tree: seeding units from demo data or a city plugin's ``wilma_org_units``."""

from sqlalchemy import select

from wilma.accounts.models import OrgUnit
from wilma.extensions import db


def seed_org_units(tree: list[dict], parent: OrgUnit | None = None) -> dict[str, OrgUnit]:
    """Create the units of ``tree`` that do not exist yet (matched by name under the same parent).

    Returns every unit of the tree by its short name (or name), so callers can assign people.
    """
    by_key: dict[str, OrgUnit] = {}
    for position, node in enumerate(tree):
        same_parent = OrgUnit.parent_id == parent.id if parent else OrgUnit.parent_id.is_(None)
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.name == node["name"], same_parent))
        if unit is None:
            unit = OrgUnit(name=node["name"], short=node.get("short"), kind=node.get("kind"),
                           parent=parent, position=position)
            db.session.add(unit)
            db.session.flush()
        by_key[node.get("short") or node["name"]] = unit
        by_key.update(seed_org_units(node.get("children", []), unit))
    return by_key
