from flask import Blueprint

bp = Blueprint("augsburg", __name__, url_prefix="/augsburg", static_folder="static")
