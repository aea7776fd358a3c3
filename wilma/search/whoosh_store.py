"""Where the Whoosh index lives on disk, and the locks that make it safe across processes.

Layout of ``WILMA_SEARCH_INDEX_DIR``::

    CURRENT          the name of the live index directory (replaced atomically with os.replace)
    ix-<stamp>/      index directories: the live one, the one it replaced, and one being built
    writer.lock      held by whoever writes to the live index (outbox worker, the swap of a rebuild)
    rebuild.lock     held while a rebuild runs, so only one runs at a time
    rebuild.json     progress and result of the last rebuild (for the status command and admin page)

Searches read ``CURRENT`` and open that directory, so a rebuild never interrupts them.
"""

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index

from wilma.search.backend import IndexBusy

POINTER = "CURRENT"
PROGRESS = "rebuild.json"


class IndexStore:
    """The index directories under ``root`` and the pointer to the live one."""

    def __init__(self, root: str, schema_factory):
        self.root = Path(root)
        self.schema_factory = schema_factory

    # --- the live index ------------------------------------------------------------------------------

    def live_name(self) -> str | None:
        try:
            return (self.root / POINTER).read_text().strip() or None
        except FileNotFoundError:
            return None

    def ensure_live(self) -> str:
        """The live directory's name; an empty index is created the first time."""
        name = self.live_name()
        if name and (self.root / name).is_dir():
            return name
        with self.writer_lock(timeout=30):
            name = self.live_name()
            if name and (self.root / name).is_dir():
                return name
            name = self.new_directory()
            whoosh_index.create_in(str(self.root / name), self.schema_factory())
            self.point_to(name)
            return name

    def open(self, name: str):
        return whoosh_index.open_dir(str(self.root / name))

    def new_directory(self) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"ix-{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}"
        (self.root / name).mkdir()
        return name

    def point_to(self, name: str) -> None:
        """Make ``name`` the live index in one atomic step."""
        tmp = self.root / f".{POINTER}.{os.getpid()}.tmp"
        tmp.write_text(name)
        os.replace(tmp, self.root / POINTER)

    def remove_old(self, keep: set[str]) -> None:
        """Delete index directories other than ``keep`` and any still being built (by a live lock)."""
        for path in self.root.glob("ix-*"):
            if path.name not in keep and path.is_dir() and not (path / ".building").exists():
                shutil.rmtree(path, ignore_errors=True)

    def size_bytes(self, name: str) -> int:
        folder = self.root / name
        return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 0

    # --- locks ---------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _flock(self, filename: str, timeout: float):
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / filename, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexBusy(filename) from None
                    time.sleep(0.02)  # only background workers and the CLI wait here, never a request
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def writer_lock(self, timeout: float = 10.0):
        """The one writer of the live index, across threads and processes."""
        return self._flock("writer.lock", timeout)

    def rebuild_lock(self):
        """Held for a whole rebuild; a second rebuild fails at once with :class:`IndexBusy`."""
        return self._flock("rebuild.lock", 0)

    # --- progress ------------------------------------------------------------------------------------

    def write_progress(self, **values) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{PROGRESS}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(values, default=str))
        os.replace(tmp, self.root / PROGRESS)

    def read_progress(self) -> dict:
        try:
            return json.loads((self.root / PROGRESS).read_text())
        except (FileNotFoundError, ValueError):
            return {}
