"""Search: posts, comments, wiki, people, groups and chat, never what the user may not see.

Content types register providers (``registry``); changes are queued in an outbox with the data and
applied after commit (``outbox``); the engine sits behind ``backend`` (Whoosh by default).
"""

from flask import Blueprint

bp = Blueprint("search", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/search")
