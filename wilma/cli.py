"""The ``flask wilma ...`` command group: users, plugins, demo, and each feature's own commands.

Features add commands through a ``cli.py`` with a ``commands`` list; plugins through the
``wilma_cli_commands`` hook, offered as ``flask wilma <plugin> <command>``.
"""

import ast
import pprint
from pathlib import Path

import click
import flask_migrate
from flask import current_app
from flask.cli import AppGroup
from flask_migrate.cli import db as migrate_db_group
from sqlalchemy import select

from wilma import import_feature_module, installed_features
from wilma.core import plugins
from wilma.core.errors import ServiceError

wilma_cli = AppGroup("wilma", help="Manage WILMA: users, plugins, search, demo content.")
users_cli = AppGroup("users", help="Local accounts.")
plugins_cli = AppGroup("plugins", help="City plugins.")
wilma_cli.add_command(users_cli)
wilma_cli.add_command(plugins_cli)


def fail(message: str):
    raise click.ClickException(message)


# --- users -----------------------------------------------------------------------------------------------


@users_cli.command("create")
@click.argument("username")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--email", default=None)
@click.option("--name", "display_name", default=None, help="Full name.")
@click.option("--admin", is_flag=True, help="Make the account an administrator.")
def users_create(username, password, email, display_name, admin):
    """Create a local account."""
    from wilma.accounts import services
    from wilma.core.database import commit

    try:
        user = services.create_user(username, password, email=email, display_name=display_name,
                                    is_admin=admin)
        commit()
    except ServiceError as err:
        fail(err.message)
    _audit("user.create", user.username)
    click.echo(f"Created {'admin ' if admin else ''}user {user.username} (id {user.id}).")


@users_cli.command("list")
def users_list():
    """List the accounts."""
    from wilma.accounts.models import User
    from wilma.extensions import db

    rows = db.session.scalars(select(User).order_by(User.username))
    click.echo(f"{'id':>5}  {'username':<24} {'name':<30} {'role':<6} status")
    for user in rows:
        role = "admin" if user.is_admin else "member"
        status = "active" if user.active else "deactivated"
        click.echo(f"{user.id:>5}  {user.username:<24} {user.display_name[:30]:<30} {role:<6} {status}")


@users_cli.command("deactivate")
@click.argument("username")
def users_deactivate(username):
    """Deactivate an account: its sessions and open sockets end at once."""
    from wilma.accounts import services

    user = services.find_login(username)
    if user is None:
        fail(f"No user {username!r}.")
    services.set_active(user, False)
    _audit("user.deactivate", user.username)
    click.echo(f"Deactivated {user.username}; all sessions ended.")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="CLI", help="A label to recognise the token by.")
def users_token(username, name):
    """Print a new personal access token for the API, alone on the last line."""
    from wilma.accounts import services

    user = services.find_login(username)
    if user is None or not user.active:
        fail(f"No active user {username!r}.")
    token, raw = services.create_token(user, name)
    click.echo(f"Token {token.name!r} for {user.username} (shown once; store it safely):")
    click.echo(raw)


# --- plugins ---------------------------------------------------------------------------------------------


def instance_config_path() -> Path:
    return Path(current_app.instance_path) / "config.py"


def write_enabled_plugins(names: list[str]) -> None:
    """Set ``WILMA_PLUGINS`` in instance/config.py, keeping every other line as it is."""
    path = instance_config_path()
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    new_line = f"WILMA_PLUGINS = {pprint.pformat(names)}"
    out, replaced, skipping = [], False, False
    for line in lines:
        if skipping:
            skipping = not line.rstrip().endswith("]")
            continue
        if line.startswith("WILMA_PLUGINS"):
            out.append(new_line)
            replaced = True
            skipping = "[" in line and not line.rstrip().endswith("]")
            continue
        out.append(line)
    if not replaced:
        out.append(new_line)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    ast.parse(path.read_text(encoding="utf-8"))


def configured_plugins() -> list[str]:
    from wilma.config import load_instance_file

    value = load_instance_file(current_app.instance_path).get("WILMA_PLUGINS", [])
    return [value] if isinstance(value, str) else list(value)


@plugins_cli.command("list")
def plugins_list():
    """Show the available plugins and which are enabled."""
    enabled = current_app.config["WILMA_PLUGINS"]
    available = plugins.available_plugins()
    for name, origin in available.items():
        mark = "enabled " if name in enabled else "disabled"
        click.echo(f"{mark}  {name:<16} {origin}")
    for name in enabled:
        if name not in available:
            click.echo(f"missing   {name:<16} enabled but not found")


@plugins_cli.command("enable")
@click.argument("name")
def plugins_enable(name):
    """Enable a plugin in instance/config.py (takes effect at the next start)."""
    if name not in plugins.available_plugins():
        fail(f"No plugin {name!r}. Available: {', '.join(plugins.available_plugins()) or 'none'}.")
    names = configured_plugins()
    if name in names:
        click.echo(f"{name} is already enabled.")
        return
    write_enabled_plugins(names + [name])
    _audit("plugin.enable", name)
    click.echo(f"Enabled {name}. Run 'flask db upgrade' and restart the server.")


@plugins_cli.command("disable")
@click.argument("name")
def plugins_disable(name):
    """Disable a plugin in instance/config.py (takes effect at the next start)."""
    names = configured_plugins()
    if name not in names:
        if name in current_app.config["WILMA_PLUGINS"]:
            click.echo(f"{name} is enabled by the WILMA_PLUGINS environment variable, not in "
                       f"{instance_config_path()}; remove it from the variable.")
        else:
            click.echo(f"{name} is not enabled.")
        return
    write_enabled_plugins([n for n in names if n != name])
    _audit("plugin.disable", name)
    click.echo(f"Disabled {name}. Restart the server.")


def _audit(action: str, target: str) -> None:
    """Record a CLI action in the audit log; a database without tables yet only gets a warning."""
    from sqlalchemy.exc import SQLAlchemyError

    from wilma.extensions import db

    audit = import_feature_module("admin", "services")
    if audit is None or not hasattr(audit, "record_audit"):
        return
    try:
        audit.record_audit(action, target=target, actor=None)
    except SQLAlchemyError:
        db.session.rollback()
        click.echo(f"Note: not recorded in the audit log ({action} {target}): run 'flask db upgrade' first.",
                   err=True)


# --- wiring ----------------------------------------------------------------------------------------------


@wilma_cli.command("demo")
@click.option("--scale", "scale_name", type=click.Choice(["small", "city"]), default=None,
              help="Generate a data set of this size instead of the hand-made demo: 'city' is 40,000 people, "
                   "2,000 groups, a million posts and comments, 200,000 wiki revisions, 2 million chat "
                   "messages; 'small' the same shapes at 1/40. Needs a database without people.")
@click.option("--rebuild-search", is_flag=True, help="With --scale: rebuild the search index at the end.")
@click.option("--factor", type=float, default=None, hidden=True, help="With --scale: this fraction of city.")
def demo(scale_name, rebuild_search, factor):
    """Load demo content into an empty database (does nothing when people exist)."""
    if scale_name is None:
        from wilma.demo import load_demo

        load_demo(echo=click.echo)
        return
    from wilma.scale_demo import SCALES, ScaleRefused, generate

    scale = SCALES["city"].times(factor) if factor else SCALES[scale_name]
    try:
        generate(scale, echo=click.echo)
    except ScaleRefused as err:
        raise click.ClickException(str(err)) from None
    if rebuild_search:
        from click import get_current_context

        from wilma.search.cli import rebuild

        get_current_context().invoke(rebuild)
    else:
        click.echo("The search index is empty for these rows: run 'flask wilma search rebuild'.")


@click.command("upgrade")
@click.argument("revision", default="heads")
@click.option("--sql", is_flag=True, help="Print the SQL instead of running it.")
@click.option("--tag", default=None)
@click.option("-x", "--x-arg", multiple=True)
def db_upgrade(revision, sql, tag, x_arg):
    """Upgrade to a later version: by default every head (the core and each enabled plugin's branch)."""
    flask_migrate.upgrade(None, revision, sql, tag, x_arg)


def register_cli(app, registry) -> None:
    """Attach ``flask wilma`` (with feature and plugin commands) and ``flask db`` to ``app``."""
    group = AppGroup("wilma", help=wilma_cli.help)
    for name, command in wilma_cli.commands.items():
        group.add_command(command, name)
    for feature in installed_features():
        module = import_feature_module(feature, "cli")
        for command in getattr(module, "commands", []) if module else []:
            group.add_command(command)
    for plugin in registry.plugins:
        impl = getattr(plugin.module, "wilma_cli_commands", None)
        commands = impl() if impl is not None else []
        if commands:
            plugin_group = AppGroup(plugin.name, help=f"Commands of the {plugin.name} plugin.")
            for command in commands:
                plugin_group.add_command(command)
            group.add_command(plugin_group)
    app.cli.add_command(group)
    db_group = click.Group("db", help=migrate_db_group.help, commands=dict(migrate_db_group.commands),
                           callback=migrate_db_group.callback, params=list(migrate_db_group.params))
    db_group.add_command(db_upgrade)
    app.cli.add_command(db_group)
