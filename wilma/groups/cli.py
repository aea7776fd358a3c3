"""``flask wilma groups ...``: create the default groups that enabled plugins declare."""

import click
from flask.cli import AppGroup

groups_cli = AppGroup("groups", help="Groups (workspaces).")


@groups_cli.command("seed-defaults")
def seed_defaults():
    """Create the enabled plugins' default groups that do not exist yet (idempotent)."""
    from wilma.groups.defaults import default_group_specs, seed_default_groups

    if not default_group_specs():
        click.echo("No enabled plugin declares default groups.")
        return
    created = seed_default_groups()
    for group in created:
        click.echo(f"Created {group.visibility} group {group.name!r} (id {group.id}).")
    click.echo(f"{len(created)} default group(s) created.")


commands = [groups_cli]
