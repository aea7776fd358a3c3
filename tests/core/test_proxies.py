"""``WILMA_TRUSTED_PROXIES``: the forwarded headers of that many proxies are believed, for pages and
Socket.IO alike, and nobody's when it is 0 (the default)."""

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from wilma.accounts.models import UserSession
from wilma.extensions import db, socketio

FORWARDED = {"X-Forwarded-For": "10.6.6.6", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "wilma.example"}
PROXY = {"REMOTE_ADDR": "127.0.0.5"}


@pytest.fixture
def app_config(request):
    return {"WILMA_TRUSTED_PROXIES": request.param}


def login_address(client, auth, make_user) -> str:
    make_user("anna")
    client.environ_base.update(PROXY)
    token = auth.csrf("/login")
    response = client.post("/login", data={"login": "anna", "password": PASSWORD,
                                           "csrf_token": token},
                           headers={**FORWARDED, "Referer": "https://wilma.example/login"})  # HTTPS: checked
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return db.session.scalar(select(UserSession.ip))


@pytest.mark.parametrize("app_config", [1], indirect=True)
def test_a_trusted_proxy_names_the_client_of_a_login(client, auth, make_user):
    assert login_address(client, auth, make_user) == "10.6.6.6"


@pytest.mark.parametrize("app_config", [0], indirect=True)
def test_without_trusted_proxies_forwarded_headers_are_ignored(client, auth, make_user):
    assert login_address(client, auth, make_user) == "127.0.0.5"


def socket_environ(app, monkeypatch) -> dict:
    """The WSGI environ a Socket.IO handshake reaches the Socket.IO server with."""
    seen = {}

    def handle_request(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b""]

    monkeypatch.setattr(socketio.server, "handle_request", handle_request)
    app.test_client().get("/socket.io/?EIO=4&transport=polling", headers=FORWARDED, environ_base=PROXY)
    assert seen, "the request did not reach the Socket.IO server"
    return seen


@pytest.mark.parametrize("app_config", [1], indirect=True)
def test_socket_requests_see_the_client_behind_a_trusted_proxy(app, monkeypatch):
    environ = socket_environ(app, monkeypatch)
    assert environ["REMOTE_ADDR"] == "10.6.6.6"
    assert environ["wsgi.url_scheme"] == "https"
    assert environ["HTTP_HOST"] == "wilma.example"


@pytest.mark.parametrize("app_config", [0], indirect=True)
def test_socket_requests_ignore_forwarded_headers_without_trusted_proxies(app, monkeypatch):
    environ = socket_environ(app, monkeypatch)
    assert environ["REMOTE_ADDR"] == "127.0.0.5"
    assert environ["wsgi.url_scheme"] == "http"
