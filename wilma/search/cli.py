"""``flask wilma search rebuild | status | process``."""

import os
import time

import click
from flask.cli import AppGroup

from wilma.core.audit import audit
from wilma.core.database import commit
from wilma.extensions import db
from wilma.search import services
from wilma.search.backend import IndexBusy
from wilma.search.outbox import flush_outbox, pending_count, prune_due

search_group = AppGroup("search", help="The search index: rebuild, status, apply queued changes.")


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


@search_group.command("rebuild")
def rebuild():
    """Rebuild the index beside the live one and swap it in; search keeps answering meanwhile."""
    total = services.count_documents()
    started = time.monotonic()
    state = {"last": 0}

    def rate_label(_item) -> str:
        elapsed = max(time.monotonic() - started, 1e-6)
        return f"{state['last'] / elapsed:,.0f} docs/s"

    with click.progressbar(length=total or 0, label="Indexing", show_pos=True, show_eta=True,
                           item_show_func=rate_label) as bar:
        def progress(done, _total):
            bar.update(done - state["last"], done)
            state["last"] = done

        try:
            report = services.rebuild_index(progress=progress)
        except IndexBusy:
            raise click.ClickException("A rebuild is already running.") from None
    audit("search.rebuild", detail={"via": "cli", "documents": report.documents,
                                    "seconds": round(report.seconds, 1)})
    commit()
    seconds = max(report.seconds, 1e-6)
    click.echo(f"Indexed {report.documents} documents in {report.seconds:.1f} s "
               f"({report.documents / seconds:,.0f} docs/s); the new index is live.")
    for type_name, count in sorted(report.counts.items()):
        click.echo(f"  {type_name:<10} {count}")


@search_group.command("status")
def status():
    """Documents per type, index size, last rebuild and queued changes."""
    info = services.index_status()
    click.echo(f"Index:       {info['path']}")
    click.echo(f"Size:        {_human_size(info['size_bytes'])}")
    click.echo(f"Documents:   {info['documents']}")
    for type_name, count in sorted(info["counts"].items()):
        click.echo(f"  {type_name:<10} {count}")
    rebuild_info = info.get("rebuild") or {}
    if rebuild_info.get("state") == "running":
        click.echo(f"Rebuild:     running, {rebuild_info.get('done', 0)} of {rebuild_info.get('total') or '?'}")
    elif rebuild_info.get("finished_at"):
        click.echo(f"Last rebuild: {rebuild_info['finished_at']} ({rebuild_info.get('state')})")
    else:
        click.echo("Last rebuild: never")
    click.echo(f"Pending:     {info['pending']} queued changes")


@search_group.command("process")
@click.option("--loop", is_flag=True, help="Keep running and apply changes as they come (a worker process).")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between looks with --loop.")
@click.option("--nice", "niceness", default=10, show_default=True,
              help="With --loop: lower this process's CPU priority, so web requests come first.")
def process(loop, interval, niceness):
    """Apply the queued index changes (for cron, or a worker process with --loop)."""
    if loop and niceness:
        os.nice(niceness)
    while True:
        try:
            done = flush_outbox(prune=not loop or prune_due())
            if not loop:
                click.echo(f"Applied {done} queued changes; {pending_count()} pending.")
                return
        except IndexBusy:
            if not loop:
                raise click.ClickException("The index is busy (another writer); try again later.") from None
        finally:
            db.session.remove()
        time.sleep(interval)


commands = [search_group]
