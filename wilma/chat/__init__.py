"""Real-time chat: a channel per group and direct conversations, delivered over Socket.IO."""

from flask import Blueprint

bp = Blueprint("chat", __name__, template_folder="templates")
