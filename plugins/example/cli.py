"""The example plugin's command: ``flask wilma example hello [NAME]``."""

import click

from plugins.example import services


@click.command("hello")
@click.argument("name", default="world")
def hello(name):
    """Greet NAME, record the greeting and say how many there are."""
    services.record_greeting("cli", f"Hello, {name}!")
    count = services.greeting_count()
    click.echo(f"Hello, {name}! The example plugin has recorded {count} greeting{'' if count == 1 else 's'}.")
