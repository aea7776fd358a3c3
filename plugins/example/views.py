"""The example plugin's own pages, all under ``/example`` (its namespace)."""

from flask import Blueprint, render_template

from plugins.example import services
from wilma.core.security import require_login

bp = Blueprint("example", __name__, url_prefix="/example", template_folder="templates",
               static_folder="static")


@bp.get("/")
@require_login
def index():
    """The greetings the plugin has recorded, newest first."""
    return render_template("example/index.html", greetings=services.latest_greetings())
