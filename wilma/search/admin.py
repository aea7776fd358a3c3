"""``/admin/search``: the index status, a rebuild started as a background job, and its progress.

The rebuild runs in a thread of the web process; its progress is saved beside the index (see
``backend.save_progress``), so the page can poll it from any process.
"""

import logging
import threading

from flask import current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _

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
    if get_backend().load_progress().get("state") == "running" and _rebuild_lock_held():
        return False
    app = current_app._get_current_object()
    thread = threading.Thread(target=_rebuild_in_background, args=(app,), name="wilma-search-rebuild",
                              daemon=True)
    thread.start()
    app.extensions["wilma_search_rebuild_thread"] = thread
    return True


def _rebuild_lock_held() -> bool:
    backend = get_backend()
    store = getattr(backend, "store", None)
    if store is None:
        return True
    try:
        with store.rebuild_lock():
            return False
    except IndexBusy:
        return True


@bp.get("/admin/search")
@require_admin
def admin_status():
    return render_template("search/admin.html", status=services.index_status())


@bp.post("/admin/search/rebuild")
@require_admin
def admin_rebuild():
    if start_background_rebuild():
        flash(_("The rebuild has started. Search keeps working while it runs."), "success")
    else:
        flash(_("A rebuild is already running."), "info")
    return redirect(url_for("search.admin_status"))


@bp.get("/admin/search/progress")
@require_admin
def admin_progress():
    """The saved progress of the running or last rebuild, for the page to poll."""
    return jsonify(get_backend().load_progress())
