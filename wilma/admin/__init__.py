"""The admin area: people, groups, the organisation tree, the audit log, and data protection."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
