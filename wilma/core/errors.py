"""The one error type services raise, and how views and the API turn it into a response.

A service checks, then acts; when it refuses it raises a ``ServiceError`` subclass. HTML views show the
error page of the status (or the message inside a form); the API answers with the JSON error of API.md:
``{"error": {"code": "...", "message": "..."}}``.
"""

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class ServiceError(Exception):
    """A refused or impossible action; ``status`` and ``code`` say which."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str | None = None, *, field: str | None = None, detail: dict | None = None):
        super().__init__(message or self.default_message())
        self.message = message or self.default_message()
        self.field = field
        self.detail = detail or {}

    def default_message(self) -> str:
        return _("The request could not be processed.")


class ValidationError(ServiceError):
    status, code = 400, "invalid"


class NotAuthenticated(ServiceError):
    status, code = 401, "not_authenticated"

    def default_message(self):
        return _("Please log in.")


class PermissionDenied(ServiceError):
    status, code = 403, "forbidden"

    def default_message(self):
        return _("You are not allowed to do this.")


class NotFound(ServiceError):
    """Missing, or hidden: a secret group answers exactly like one that does not exist."""

    status, code = 404, "not_found"

    def default_message(self):
        return _("This page does not exist or you cannot see it.")


class Conflict(ServiceError):
    status, code = 409, "conflict"

    def default_message(self):
        return _("Someone else changed this in the meantime.")


class TooLarge(ServiceError):
    status, code = 413, "too_large"

    def default_message(self):
        return _("This is too large.")


class RateLimited(ServiceError):
    status, code = 429, "rate_limited"

    def default_message(self):
        return _("You are doing this too often. Please wait a moment and try again.")


HTTP_CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 429: "rate_limited",
              500: "server_error"}


def wants_json() -> bool:
    """API paths and clients that ask for JSON get JSON errors."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def json_error(status: int, code: str, message: str, **extra):
    body = {"error": {"code": code, "message": message, **extra}}
    return jsonify(body), status


def _message_for(status: int) -> str:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You are not allowed to see this page."),
        404: _("This page does not exist or you cannot see it."),
        405: _("This action is not possible here."),
        413: _("What you sent is too large."),
        429: _("You are doing this too often. Please wait a moment and try again."),
        500: _("Something went wrong on our side. It has been logged; please try again later."),
    }.get(status, _("The request could not be processed."))


def error_page(status: int, message: str | None = None):
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/generic.html"
    return render_template(template, status=status, message=message or _message_for(status)), status


def register_error_handlers(app) -> None:
    """Every error, in the layout for pages and as JSON for the API; never a stack trace."""

    @app.errorhandler(ServiceError)
    def service_error(err: ServiceError):
        if wants_json():
            extra = {"field": err.field} if err.field else {}
            return json_error(err.status, err.code, err.message, **extra, **err.detail)
        return error_page(err.status, err.message)

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        message = _("The form has expired or was sent without its security token. "
                    "Please reload the page and try again.")
        if wants_json():
            return json_error(400, "csrf_failed", message)
        return error_page(400, message)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        status = err.code or 500
        if wants_json():
            return json_error(status, HTTP_CODES.get(status, "error"), _message_for(status))
        response = error_page(status)
        return response

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return json_error(500, "server_error", _message_for(500))
        return error_page(500)
