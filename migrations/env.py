"""Alembic environment: the core's history plus one branch per enabled plugin.

The core's revisions live in ``migrations/versions`` (branch ``core``); a plugin's in
``plugins/<name>/migrations/versions`` with ``branch_labels = ("<name>",)``. ``flask db upgrade`` upgrades
every head, so the core and all enabled plugins are brought up to date together. The version folders are
set by ``wilma.core.plugin_setup.configure_alembic`` (a Flask-Migrate callback), before this file runs.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from wilma.core.plugins import available_plugins

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
config.set_main_option("sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%"))
target_metadata = db.metadata
PLUGINS = list(available_plugins())
ENABLED = set(current_app.extensions["wilma_plugins"].names())


# Tables written with plain SQL by migration 0002 for the PostgreSQL search backend: they have no models
# (tsvector, GIN and text[] do not exist on SQLite), so autogenerate must not offer to drop them.
UNMODELLED_TABLES = {"search_documents", "search_documents_build", "search_progress"}


def include_object(obj, name, type_, reflected, compare_to):
    """Tables of plugins that are not enabled are neither created nor reported as missing."""
    if type_ == "table":
        if reflected and compare_to is None and name in UNMODELLED_TABLES:
            return False
        owner = next((p for p in PLUGINS if name.startswith(f"{p}_")), None)
        if owner and owner not in ENABLED:
            return False
        if reflected and compare_to is None and name == "alembic_version":
            return False
    return True


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(ctx, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          include_object=include_object, render_as_batch=True, compare_type=True,
                          **{k: v for k, v in conf_args.items() if k not in ("render_as_batch", "compare_type")})
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
