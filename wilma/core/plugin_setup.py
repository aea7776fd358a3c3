"""The Flask side of the plugin contract: config defaults, blueprints, templates, tables, migrations.

Split from ``plugins.py`` (which knows nothing of Flask) so that each check reads on its own.
"""

import os

from flask import current_app

from wilma import __version__
from wilma.config import load_instance_file, parse_env_value
from wilma.core import defaults, plugin_checks, plugins
from wilma.core.templating import core_template_names, install_loader, register_template_helpers


def load(app) -> plugins.PluginRegistry:
    """Import and check the enabled plugins, and layer their configuration defaults."""
    registry = plugins.load_plugins(list(app.config["WILMA_PLUGINS"]), __version__, [defaults])
    app.extensions["wilma_plugins"] = registry
    instance = load_instance_file(app.instance_path) if registry.plugins else {}
    for plugin in registry.plugins:
        impl = getattr(plugin.module, "wilma_config_defaults", None)
        plugin_defaults = impl() if impl and hasattr(impl, "wilma_impl") else {}
        plugin_checks.check_config_keys(plugin, plugin_defaults)
        for key, default in (plugin_defaults or {}).items():
            _layer_plugin_key(app.config, instance, key, default)
    return registry


def _layer_plugin_key(config, instance: dict, key: str, default) -> None:
    """The core's layers for a plugin's key: default < instance/config.py < environment < test config.

    ``config`` already holds the instance file and the test configuration (merged by ``build_config``);
    a value that is not the instance file's came from the test configuration and wins over everything.
    """
    if key in config and (key not in instance or config[key] != instance[key]):
        return
    if key in os.environ:
        config[key] = parse_env_value(key, os.environ[key], default)
    elif key not in config:
        config[key] = default


def attach(app, registry: plugins.PluginRegistry) -> None:
    """Register plugin blueprints and template folders, after checking their namespaces."""
    from wilma.extensions import db, migrate

    mappers = list(db.Model.registry.mappers)
    core_templates = core_template_names(app)
    folders = []
    for plugin in registry.plugins:
        plugin_checks.check_name_is_free(plugin, set(app.blueprints), mappers)
        plugin_checks.check_tables(plugin, mappers)
        plugin_checks.check_migrations(plugin)
        caller = registry.manager.subset_hook_caller
        others = [p.module for p in registry.plugins if p is not plugin]
        own = caller("wilma_blueprints", remove_plugins=others + [defaults])
        for blueprints in own():
            for blueprint in blueprints or []:
                plugin_checks.check_blueprint(plugin, blueprint)
                app.register_blueprint(blueprint)
        own_folders = caller("wilma_template_folders", remove_plugins=others + [defaults])
        for group in own_folders():
            for folder in group or []:
                plugin_checks.check_template_folder(plugin, str(folder), core_templates)
                folders.append(str(folder))
    install_loader(app, folders)
    register_template_helpers(app)
    if configure_alembic not in migrate.configure_callbacks:
        migrate.configure(configure_alembic)


def migration_locations(app) -> list[str]:
    """Alembic version folders of the enabled plugins' branches (the core's is ``migrations/versions``)."""
    registry = app.extensions["wilma_plugins"]
    return [str(p.migrations_dir) for p in registry.plugins if p.migrations_dir]


def configure_alembic(config):
    """Flask-Migrate callback: the core's and every enabled plugin's version folder.

    It must run before Alembic reads its script directory (so not in ``env.py``, which runs later):
    ``flask db upgrade`` resolves ``heads`` and ``example@head`` from these folders.
    """
    core_versions = os.path.join(config.get_main_option("script_location"), "versions")
    locations = [core_versions, *migration_locations(current_app)]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(locations).replace("%", "%%"))
    return config
