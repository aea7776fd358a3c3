"""Login attempts are limited per account (from any address) and per address (for any account)."""

import pytest

PASSWORD = "correct horse battery"


def _attempt(client, auth, login, password="wrong wrong wrong", address="10.0.0.1"):
    env = {"REMOTE_ADDR": address}
    token = auth.csrf("/login")
    return client.post("/login", data={"login": login, "password": password, "csrf_token": token},
                       environ_overrides=env)


def test_five_failures_lock_the_account_even_from_different_addresses(client, auth, make_user):
    make_user("anna")
    for n in range(5):
        response = _attempt(client, auth, "anna", address=f"10.0.0.{n + 1}")
        assert response.status_code == 200, n
    response = _attempt(client, auth, "anna", address="10.0.0.99")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many failed login attempts. Please wait a few minutes and try again." in page
    assert 'name="password"' in page and 'value="anna"' in page  # the login form, ready for later
    assert "Traceback" not in page

    # Even the right password is refused while the account is locked ...
    assert _attempt(client, auth, "anna", PASSWORD, address="10.0.0.100").status_code == 429
    # ... and the same name in other spellings counts as the same account.
    assert _attempt(client, auth, " ANNA ", address="10.0.0.101").status_code == 429
    # Other accounts are not affected.
    make_user("bert")
    assert _attempt(client, auth, "bert", PASSWORD, address="10.0.0.102").status_code == 302


def test_username_and_email_share_one_counter(client, auth, make_user):
    make_user("anna")
    for n in range(3):
        assert _attempt(client, auth, "anna", address=f"10.3.0.{n}").status_code == 200
    for n in range(2):
        assert _attempt(client, auth, "Anna@Example.org", address=f"10.3.1.{n}").status_code == 200
    assert _attempt(client, auth, "anna@example.org", PASSWORD, address="10.3.2.1").status_code == 429
    assert _attempt(client, auth, "anna", PASSWORD, address="10.3.2.2").status_code == 429


def test_successful_logins_do_not_count(client, auth, make_user):
    make_user("anna")
    for _ in range(6):
        assert _attempt(client, auth, "anna", PASSWORD).status_code == 302
        auth.logout()
    assert _attempt(client, auth, "anna", PASSWORD).status_code == 302


@pytest.mark.parametrize("app_config", [{"WILMA_LOGIN_LIMIT_PER_ADDRESS": "3 per 15 minutes"}])
def test_one_address_trying_many_accounts_is_limited(client, auth, make_user):
    for n in range(3):
        assert _attempt(client, auth, f"guess{n}", address="10.1.1.1").status_code == 200
    response = _attempt(client, auth, "guess-more", address="10.1.1.1")
    assert response.status_code == 429
    # Another address may still try.
    assert _attempt(client, auth, "guess-more", address="10.1.1.2").status_code == 200


def test_default_address_limit_is_wider_than_the_account_limit(client, auth):
    for n in range(12):
        assert _attempt(client, auth, f"person{n}", address="10.2.2.2").status_code == 200, n
