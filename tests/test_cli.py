"""``flask wilma users ...``: create, list, deactivate, token, with clear errors and exit codes."""

from wilma.accounts.models import User
from wilma.extensions import db


def wilma(runner, *args):
    return runner.invoke(args=["wilma", *args])


def test_create_and_list_users(runner, client, auth):
    result = wilma(runner, "users", "create", "Anna", "--password", "long enough pw", "--email",
                   "Anna@Example.org", "--name", "Anna Adler", "--admin")
    assert result.exit_code == 0, result.output
    assert "Created admin user anna" in result.output
    result = wilma(runner, "users", "create", "bert", "--password", "long enough pw")
    assert result.exit_code == 0 and "Created user bert" in result.output

    listing = wilma(runner, "users", "list")
    assert listing.exit_code == 0
    lines = listing.output.splitlines()
    assert lines[0].split() == ["id", "username", "name", "role", "status"]
    assert "anna" in lines[1] and "Anna Adler" in lines[1] and "admin" in lines[1] and "active" in lines[1]
    assert "bert" in lines[2] and "member" in lines[2]

    # The account works in the browser, by e-mail too.
    assert auth.login("anna@example.org", "long enough pw").status_code == 302
    assert client.get("/api/v1/me").get_json()["is_admin"] is True


def test_create_refuses_duplicates_and_bad_input_with_clear_messages(runner, make_user):
    make_user("anna")
    cases = [
        (["anna", "--password", "long enough pw"], "The username anna is taken."),
        (["ANNA", "--password", "long enough pw"], "The username anna is taken."),
        (["carl", "--password", "short"], "at least 10 characters"),
        (["carl", "--password", "long enough pw", "--email", "anna@example.org"], "already in use"),
        (["Not Valid!", "--password", "long enough pw"], "lower-case letters"),
        (["carl", "--password", "long enough pw", "--email", "carl at home"], "valid e-mail address"),
        (["carl"], "Missing option '--password'"),
    ]
    for args, message in cases:
        result = wilma(runner, "users", "create", *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert db.session.query(User).count() == 1


def test_deactivate(runner, make_user):
    make_user("anna")
    result = wilma(runner, "users", "deactivate", "anna")
    assert result.exit_code == 0 and "Deactivated anna" in result.output
    assert "deactivated" in wilma(runner, "users", "list").output.splitlines()[1]

    result = wilma(runner, "users", "deactivate", "nobody")
    assert result.exit_code != 0
    assert "No user 'nobody'" in result.output


def test_token_errors(runner, make_user):
    result = wilma(runner, "users", "token", "nobody")
    assert result.exit_code != 0 and "No active user 'nobody'" in result.output
    make_user("anna")
    wilma(runner, "users", "deactivate", "anna")
    result = wilma(runner, "users", "token", "anna")
    assert result.exit_code != 0 and "No active user 'anna'" in result.output


def test_demo_loads_people_once(runner, client, auth):
    result = wilma(runner, "demo")
    assert result.exit_code == 0, result.output
    count = db.session.query(User).count()
    assert count > 20
    again = wilma(runner, "demo")
    assert again.exit_code == 0 and "skipped" in again.output
    assert db.session.query(User).count() == count

    from wilma.demo import DEMO_PASSWORD

    assert auth.login("anna", DEMO_PASSWORD).status_code == 302
    found = client.get("/people/suggest?q=mueller intranet").get_json()
    assert [p["name"] for p in found] == ["Anna Müller"]
    assert "Personal- und Organisationsreferat" in client.get("/organisation").get_data(as_text=True)
