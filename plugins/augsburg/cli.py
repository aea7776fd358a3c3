"""``flask wilma augsburg import-profiles FILE.csv``: Dienststelle, Vertretung and Sprechzeiten from HR.

The CSV (UTF-8, ``;``-separated as the HR system exports it) has a header with ``username`` and any of
``dienststelle``, ``vertretung``, ``sprechzeiten``. Unknown usernames are reported, not created.
"""

import csv

import click

from plugins.augsburg import PROFILE_FIELDS
from wilma.accounts import services
from wilma.core.database import commit
from wilma.core.errors import ServiceError

COLUMNS = {f["key"].removeprefix("augsburg_"): f["key"] for f in PROFILE_FIELDS}


@click.command("import-profiles")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--dry-run", is_flag=True, help="Check the file and report, without saving.")
def import_profiles(csv_file, dry_run):
    """Import the Augsburg profile fields from the HR export."""
    reader = csv.DictReader(csv_file, delimiter=";")
    if not reader.fieldnames or "username" not in reader.fieldnames:
        raise click.ClickException("The file needs a header line with a 'username' column.")
    updated, unknown = 0, []
    for row in reader:
        user = services.find_login(row.get("username", ""))
        if user is None:
            unknown.append(row.get("username", ""))
            continue
        values = {key: (row.get(column) or "").strip() for column, key in COLUMNS.items() if column in row}
        try:
            services.save_extra_fields(user, values)
        except ServiceError as err:
            raise click.ClickException(f"{user.username}: {err.message}") from None
        updated += 1
    if dry_run:
        from wilma.extensions import db

        db.session.rollback()
    else:
        commit()
    click.echo(f"{'Would update' if dry_run else 'Updated'} {updated} profiles.")
    if unknown:
        click.echo(f"Unknown usernames ({len(unknown)}): {', '.join(unknown[:20])}")
