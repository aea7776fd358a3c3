from flask import Blueprint

bp = Blueprint("nuernberg", __name__, url_prefix="/nuernberg", static_folder="static")
