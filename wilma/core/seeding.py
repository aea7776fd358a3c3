"""What enabled plugins bring into the database: organisation units and default groups.

Runs at start-up (``create_app``) once the tables exist, and again whenever the app starts: both steps
only add what is missing, so a city enables its plugin, restarts, and its organisation is there.
Several processes starting at once are fine: a unit or group created by another process meanwhile is
found by name on the next start, and a unique-name race only costs a duplicate-free retry.
"""

import logging

from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from wilma import import_feature_module
from wilma.accounts.org import seed_org_units
from wilma.core.database import commit
from wilma.extensions import db

logger = logging.getLogger("wilma.seeding")


def seed_plugin_content(app) -> None:
    """Seed the org units and default groups of the enabled plugins (idempotent)."""
    registry = app.extensions["wilma_plugins"]
    if not registry.plugins:
        return
    try:
        if not inspect(db.engine).has_table("org_units"):
            return  # migrations not applied yet: `flask db upgrade` first
        for tree in registry.hook.wilma_org_units():
            seed_org_units(tree or [])
        groups = import_feature_module("groups", "defaults")
        seed = getattr(groups, "seed_default_groups", None) if groups else None
        if seed is not None:
            for definitions in registry.hook.wilma_default_groups():
                seed(definitions or [])
        commit()
    except SQLAlchemyError:
        db.session.rollback()
        logger.exception("Seeding the plugins' organisation units and groups failed; continuing")
