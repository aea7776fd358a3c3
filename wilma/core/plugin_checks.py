"""The namespace checks of the plugin contract: each one refuses the start with a message saying what to fix.

A plugin called ``springfield`` owns blueprint ``springfield``, URLs under ``/springfield/``, templates under
``springfield/``, config keys ``SPRINGFIELD_*``, tables ``springfield_*`` and its own Alembic branch.
Called by ``wilma.core.plugin_setup`` once the app knows its blueprints, templates and models.
"""

import ast
from pathlib import Path

from wilma.core.plugins import LoadedPlugin, PluginError


def prefix_for(name: str) -> str:
    return f"{name.upper()}_"


def check_config_keys(plugin: LoadedPlugin, defaults: dict) -> None:
    for key in defaults or {}:
        if not str(key).startswith(prefix_for(plugin.name)):
            raise PluginError(
                f"Plugin {plugin.name!r}: configuration key {key!r} is outside its namespace; "
                f"name it {prefix_for(plugin.name)}{key}."
            )


def check_blueprint(plugin: LoadedPlugin, blueprint) -> None:
    if blueprint.name != plugin.name:
        raise PluginError(
            f"Plugin {plugin.name!r}: blueprint {blueprint.name!r} must be named {plugin.name!r}."
        )
    prefix = (blueprint.url_prefix or "").rstrip("/")
    if prefix != f"/{plugin.name}":
        raise PluginError(
            f"Plugin {plugin.name!r}: blueprint URL prefix {blueprint.url_prefix!r} is outside its "
            f"namespace; use url_prefix='/{plugin.name}'."
        )


def check_template_folder(plugin: LoadedPlugin, folder: str, core_templates: set[str]) -> None:
    """Files outside ``<name>/`` must override an existing core template."""
    root = Path(folder)
    if not root.is_dir():
        raise PluginError(f"Plugin {plugin.name!r}: template folder {folder} does not exist.")
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in rel.split("/")):
            continue  # folders, and hidden files such as .gitkeep
        if rel.startswith(f"{plugin.name}/") or rel in core_templates:
            continue
        raise PluginError(
            f"Plugin {plugin.name!r}: template {rel!r} is outside its namespace. Put the plugin's own "
            f"templates under {plugin.name}/, or use the path of the core template it overrides."
        )


def check_name_is_free(plugin: LoadedPlugin, blueprint_names, mappers) -> None:
    """The plugin's namespace must not cover the core's: its name is no core blueprint, and no core
    table starts with ``<name>_`` (the tables of a plugin that is off are hidden from migrations by that
    prefix)."""
    if plugin.name in blueprint_names:
        raise PluginError(f"Plugin {plugin.name!r}: the name is taken by the core's {plugin.name!r} pages; "
                          f"choose another name for the plugin.")
    for mapper in mappers:
        table = getattr(mapper.local_table, "name", "")
        if mapper.class_.__module__.startswith("wilma.") and table.startswith(f"{plugin.name}_"):
            raise PluginError(f"Plugin {plugin.name!r}: the name clashes with the core's table {table!r}; "
                              f"choose another name for the plugin.")


def check_tables(plugin: LoadedPlugin, mappers) -> None:
    """Every table defined by a model in the plugin's package carries the plugin's prefix."""
    package = plugin.module.__name__
    for mapper in mappers:
        cls = mapper.class_
        if not (cls.__module__ == package or cls.__module__.startswith(package + ".")):
            continue
        table = getattr(mapper.local_table, "name", None)
        if table and not table.startswith(f"{plugin.name}_"):
            raise PluginError(
                f"Plugin {plugin.name!r}: table {table!r} (model {cls.__name__}) is outside its "
                f"namespace; name it {plugin.name}_{table}."
            )


def check_migrations(plugin: LoadedPlugin) -> None:
    """The plugin's revisions form its own branch: it starts from nothing with ``branch_labels =
    ("<name>",)`` and every later revision builds on one of the plugin's own (the core is reached through
    ``depends_on``), so the core's history never depends on a plugin."""
    folder = plugin.migrations_dir
    if folder is None:
        return
    revisions = {path.name: _revision_fields(path) for path in sorted(folder.glob("*.py"))}
    own = {fields.get("revision") for fields in revisions.values()}
    for filename, fields in revisions.items():
        down = fields.get("down_revision")
        downs = [down] if isinstance(down, str) else list(down or [])
        if not downs and plugin.name not in (fields.get("branch_labels") or ()):
            raise PluginError(
                f"Plugin {plugin.name!r}: migration {filename} starts a history but is not on the "
                f"plugin's branch; set branch_labels = ({plugin.name!r},)."
            )
        outside = [d for d in downs if d not in own]
        if outside:
            raise PluginError(
                f"Plugin {plugin.name!r}: migration {filename} builds on {', '.join(outside)}, which is not "
                f"one of the plugin's revisions. Start the plugin's branch with down_revision = None and "
                f"reach the core's tables with depends_on."
            )


def _revision_fields(path: Path) -> dict:
    """``revision``, ``down_revision`` and ``branch_labels`` of a revision file, read without running it."""
    fields = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("revision", "down_revision", "branch_labels"):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    continue
                fields[name] = (value,) if name == "branch_labels" and isinstance(value, str) else value
    return fields
