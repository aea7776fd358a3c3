"""Search: posts, comments, wiki, people, groups and chat, never what the user may not see.

How it fits together:

- ``registry``: each content type registers a provider (every document for a rebuild, one document by
  id). Features put theirs in ``wilma/<feature>/search.py``; people and groups are in ``providers``.
- ``outbox``: services call ``queue_index("posts:12")`` / ``queue_delete(...)`` in their transaction;
  after commit a background thread of the web process has the queue applied in batches with one index
  writer, by a helper process (``outbox_helper``) so that requests do not wait for that work.
  ``flask wilma search process --loop`` does the same as a separate worker process (set
  ``WILMA_SEARCH_AUTO_PROCESS = False`` in ``instance/config.py`` to leave it to that worker, e.g. under
  gevent, where a thread doing CPU work would hold up the requests of its process).
- ``backend``: the engine interface; ``whoosh_backend`` (with ``whoosh_store`` and ``whoosh_query``) is the
  embedded default in ``WILMA_SEARCH_INDEX_DIR``; ``postgres_backend`` (with ``postgres_query``) keeps the
  index in PostgreSQL tables for several app servers (``WILMA_SEARCH_BACKEND = "postgres"``).
- ``services``: search with visibility at query time, rebuild, status; ``views``/``api``/``cli``/``admin``
  are thin over it.

Optional settings (``instance/config.py`` or the environment, see docs/api.md):
``WILMA_SEARCH_AUTO_PROCESS`` (default: on, off in tests),
``WILMA_SEARCH_DEBOUNCE`` (seconds, 1.0), ``WILMA_SEARCH_REBUILD_PROCS`` (2), ``WILMA_SEARCH_LOCK_TIMEOUT``
(seconds a worker waits for the index writer, 10),
``WILMA_SEARCH_CACHE_MB`` (document sets and term weights cached per process, 128),
``WILMA_SEARCH_RANK_WINDOW`` (matches ranked together, newest first; 0 ranks all of them, 2000).
"""

from flask import Blueprint

bp = Blueprint("search", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/search")
