"""The wiki: knowledge pages per group and city-wide, with history, diffs and edit-conflict merging."""

from flask import Blueprint

bp = Blueprint("wiki", __name__, template_folder="templates")
