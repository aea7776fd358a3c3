"""Open sockets end with the session: logout everywhere, password change, deactivation."""

from wilma.extensions import socketio


def _socket(app, auth):
    return socketio.test_client(app, flask_test_client=auth.client)


def test_socket_needs_a_login(app, auth):
    assert not _socket(app, auth).is_connected()


def test_deactivation_cuts_open_sockets_off(app, auth, make_user):
    make_user("anna")
    auth.login("anna")
    sock = _socket(app, auth)
    assert sock.is_connected()
    result = app.test_cli_runner().invoke(args=["wilma", "users", "deactivate", "anna"])
    assert result.exit_code == 0
    assert not sock.is_connected()


def test_logout_everywhere_cuts_the_other_browsers_socket_off(app, auth, second_auth, make_user):
    make_user("anna")
    auth.login("anna")
    second_auth.login("anna")
    other = _socket(app, second_auth)
    mine = _socket(app, auth)
    assert other.is_connected() and mine.is_connected()
    auth.logout(everywhere=True)
    assert not other.is_connected()
    assert not mine.is_connected()


def test_password_change_keeps_only_this_browsers_socket(app, auth, second_auth, make_user):
    make_user("anna")
    auth.login("anna")
    second_auth.login("anna")
    other = _socket(app, second_auth)
    mine = _socket(app, auth)
    new = "another long passphrase"
    auth.post("/settings/password", {"current_password": "correct horse battery", "new_password": new,
                                     "confirm": new})
    assert not other.is_connected()
    assert mine.is_connected()
