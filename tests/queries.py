"""Counting and recording the SQL statements a block of code sends (tests of query counts)."""

from sqlalchemy import event


class QueryCounter:
    """``with QueryCounter(db.engine) as counter: ...``, then ``counter.count`` and ``counter.statements``."""

    def __init__(self, engine):
        self.engine, self.count, self.statements = engine, 0, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, conn, cursor, statement, *args):
        self.count += 1
        self.statements.append(statement)
