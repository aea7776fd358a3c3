from flask import Blueprint

bp = Blueprint("regensburg", __name__, url_prefix="/regensburg", static_folder="static")
