"""Socket.IO for groups: a connecting socket joins the ``group:<id>`` rooms of its user's groups.

The room bookkeeping itself (joining on membership, leaving on removal) is in ``wilma.groups.rooms``.
"""

from wilma.groups import rooms  # noqa: F401 - registers the on-connect room join

__all__ = ["rooms"]
