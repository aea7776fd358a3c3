"""``/admin/search``: the index status, a rebuild started as a background job, and its progress.

The rebuild runs in a thread of the web process; its progress is saved beside the index (see
``backend.save_progress``), so the page can poll it from any process.
"""

import logging
import threading

from flask import current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _

from wilma.core.audit import audit
from wilma.core.database import commit
from wilma.core.security import require_admin
from wilma.extensions import db
from wilma.search import bp, services
from wilma.search.backend import IndexBusy, get_backend

logger = logging.getLogger("wilma.search")


def _rebuild_in_background(app) -> None:
    with app.app_context():
        try:
            services.rebuild_index()
        except IndexBusy:
            logger.info("search rebuild requested while another one runs")
        except Exception:
            logger.exception("search rebuild failed")
        finally:
            db.session.remove()


def start_background_rebuild() -> bool:
    """Start a rebuild thread; ``False`` when a rebuild is already running."""
    if get_backend().rebuild_running():
        return False
    app = current_app._get_current_object()
    backend = get_backend()
    previous = backend.load_progress()
    # Written before the thread starts, so the page we redirect to already polls.
    backend.save_progress({"state": "running", "phase": "starting", "done": 0, "total": None,
                           "last_finished_at": previous.get("finished_at") or previous.get("last_finished_at")})
    thread = threading.Thread(target=_rebuild_in_background, args=(app,), name="wilma-search-rebuild",
                              daemon=True)
    thread.start()
    app.extensions["wilma_search_rebuild_thread"] = thread
    return True


@bp.get("/admin/search")
@require_admin
def admin_status():
    return render_template("search/admin.html", status=services.index_status())


@bp.post("/admin/search/rebuild")
@require_admin
def admin_rebuild():
    if start_background_rebuild():
        audit("search.rebuild", detail={"via": "admin"})
        commit()
        flash(_("The rebuild has started. Search keeps working while it runs."), "success")
    else:
        flash(_("A rebuild is already running."), "info")
    return redirect(url_for("search.admin_status"))


@bp.get("/admin/search/progress")
@require_admin
def admin_progress():
    """The saved progress of the running or last rebuild, for the page to poll."""
    return jsonify(get_backend().load_progress())
