"""Bulk writing for the scale data set: COPY on PostgreSQL, chunked ``insert()`` elsewhere, with progress.

Rows are tuples in the order of the given columns and may come from a generator, so millions of rows
never sit in memory at once. Everything runs in the session's transaction; the caller commits.
"""

import time
from itertools import islice

import click
from sqlalchemy import Table, bindparam, func, insert, select, text

CHUNK = 10_000


class Progress:
    """One progress bar for the whole run: rows written, of how many, and the rate."""

    def __init__(self, total: int, echo, show: bool = True):
        self.total, self.done, self.started = total, 0, time.perf_counter()
        self.bar = click.progressbar(length=total, label="Writing", show_pos=True, width=30,
                                     item_show_func=lambda item: item) if show else None
        if self.bar is not None:
            self.bar.__enter__()
        self.echo = echo

    def advance(self, rows: int, label: str) -> None:
        self.done += rows
        if self.bar is not None:
            self.bar.label = label.ljust(16)
            self.bar.update(rows, f"{self.rate():,.0f} rows/s")

    def rate(self) -> float:
        return self.done / max(time.perf_counter() - self.started, 1e-6)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


class BulkWriter:
    """Writes rows into tables of ``session``'s database, the fastest way that database offers."""

    def __init__(self, session, progress: Progress):
        self.session, self.progress = session, progress
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.counts: dict[str, int] = {}

    def next_id(self, table: Table) -> int:
        """The first id after those already in ``table`` (rows made here carry explicit ids)."""
        return (self.session.scalar(select(func.max(table.c.id))) or 0) + 1

    def write(self, table: Table, columns: tuple[str, ...], rows, label: str) -> int:
        written = 0
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK)):
            if self.postgres:
                self._copy(table, columns, chunk)
            else:
                self.session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in chunk])
            written += len(chunk)
            self.progress.advance(len(chunk), label)
        self.counts[table.name] = self.counts.get(table.name, 0) + written
        return written

    def _copy(self, table: Table, columns, chunk) -> None:
        cursor = self.session.connection().connection.dbapi_connection.cursor()
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in chunk:
                copy.write_row(row)

    def update(self, table: Table, key: str, values: list[dict]) -> None:
        """Set columns of many rows by ``key``; ``values``: dicts of ``b_<key>`` and ``v_<column>`` entries."""
        columns = [c[2:] for c in values[0] if c.startswith("v_")] if values else []
        statement = table.update().where(table.c[key] == bindparam(f"b_{key}")).values(
            {c: bindparam(f"v_{c}") for c in columns})
        for start in range(0, len(values), CHUNK):
            self.session.execute(statement, values[start:start + CHUNK])

    def finish(self, tables: list[Table]) -> None:
        """Move PostgreSQL's id sequences past the explicit ids, and refresh the planner's statistics."""
        if self.postgres:
            for table in tables:  # names from the models, not from input
                sql = (f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                       f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table.name}"), false)')
                self.session.execute(text(sql))
        self.session.commit()
        if self.postgres:
            connection = self.session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT")
            with connection:
                connection.execute(text("ANALYZE"))
        else:
            self.session.execute(text("ANALYZE"))
            self.session.commit()
