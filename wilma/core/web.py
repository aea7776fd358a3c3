"""Site-wide routes (start page, language switch, branding stylesheet, health) and request hooks."""

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from wilma.core.database import commit
from wilma.core.i18n import LOCALES
from wilma.core.sanitize import is_site_path
from wilma.core.security import protect_request
from wilma.core.templating import branding

web_bp = Blueprint("web", __name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is ``Secure`` whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        from flask import has_request_context

        return bool(app.config.get("SESSION_COOKIE_SECURE") or (has_request_context() and request.is_secure))


@web_bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    for endpoint in ("posts.feed", "accounts.directory"):
        if endpoint in current_app.view_functions:
            return redirect(url_for(endpoint))
    return redirect(url_for("accounts.profile", user_id=current_user.id))


@web_bp.post("/language")
def set_language():
    """Switch the interface language: stored in the profile when logged in, else in the session."""
    locale = request.form.get("locale")
    if locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            commit()
    target = request.form.get("next") or "/"
    return redirect(target if is_site_path(target) else "/")


@web_bp.get("/branding.css")
def branding_css():
    """The colours of the enabled branding as CSS variables (no inline styles: CSP forbids them)."""
    css = render_template("branding.css", colors=branding()["colors"])
    return Response(css, mimetype="text/css", headers={"Cache-Control": "no-cache"})


@web_bp.get("/healthz")
def health():
    return {"status": "ok"}


def trust_proxies(app) -> None:
    """Believe the ``X-Forwarded-*`` headers of ``WILMA_TRUSTED_PROXIES`` proxies. Called last, around
    every other middleware, so that Socket.IO's requests (answered before Flask's own ``wsgi_app``) see
    the client's address and scheme as pages do."""
    if app.config.get("WILMA_TRUSTED_PROXIES"):
        n = int(app.config["WILMA_TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)


def register_request_hooks(app) -> None:
    """Session cookie flags, per-request state, CSRF and the security headers."""
    app.session_interface = SessionInterface()

    @app.before_request
    def fresh_request_state():
        """Forget per-request state. A request normally gets its own app context (and ``g``), but when
        one is already active (tests, CLI commands calling views) Flask reuses it, and what extensions
        cache on ``g`` (the user, the CSRF token, the locale, visibility sets) would leak from one
        request into the next. Production requests start with an empty ``g`` anyway."""
        g.__dict__.clear()

    app.before_request(protect_request)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user.is_authenticated and "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store"
        return response
