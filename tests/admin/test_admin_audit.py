"""The audit log: logins, escaping of forged lines, no secrets, the log line, and the admin page."""

import json
import re
from datetime import UTC, datetime, timedelta

from wilma.admin.services import record_audit
from wilma.core.database import commit
from wilma.extensions import db

FORGED = "eve\n2026-01-01 00:00:00 admin login ok\r\u2028\u202e\x1b[31m"
FORGED_NUL = FORGED + "\x00"  # NUL only where it cannot reach a query (PostgreSQL refuses it)


def test_login_and_failed_login_are_recorded(client, auth, make_user, audit_entries, audit_log_lines):
    anna = make_user("anna")
    auth.login("anna", "wrong password!")
    auth.login("nobody-here", "whatever123")
    auth.login("anna")

    failed = audit_entries("login.failed")
    assert [e.actor_id for e in failed] == [None, None]
    assert [json.loads(e.detail) for e in failed] == [{"login": "anna", "known_account": True},
                                                      {"login": "nobody-here", "known_account": False}]
    assert (failed[0].target_id, failed[1].target_id) == (str(anna.id), "")
    assert all("wrong password" not in e.detail and "whatever123" not in e.detail for e in failed)
    [login] = audit_entries("login")
    assert (login.actor_id, login.actor_name, login.target_label, login.ip) == (anna.id, "anna", "anna", "127.0.0.1")
    assert login.created_at.replace(tzinfo=UTC) > datetime.now(UTC) - timedelta(minutes=1)
    assert [line["action"] for line in audit_log_lines()] == ["login.failed", "login.failed", "login"]


def test_forged_login_name_stays_one_entry_and_one_log_line(client, auth, audit_entries, audit_log_lines):
    auth.login(FORGED, "x" * 12)
    [entry] = audit_entries()
    assert entry.action == "login.failed"
    assert "\n" not in entry.detail and "\r" not in entry.detail and "\u2028" not in entry.detail
    assert "\u202e" not in entry.detail and "\x1b" not in entry.detail and "\x00" not in entry.detail
    escaped = "eve\\n2026-01-01 00:00:00 admin login ok\\r\\u2028\\u202e\\u001b[31m"
    assert json.loads(entry.detail)["login"] == escaped
    [line] = audit_log_lines()
    assert line["detail"]["login"].startswith("eve\\n2026-01-01")


def test_forged_target_and_actor_text_is_escaped_in_every_field(app, make_user, audit_entries, audit_log_lines):
    record_audit("group.delete", target={"type": "group", "id": 7, "label": FORGED_NUL},
                 detail={"note": FORGED_NUL, "nested": [{"why": "a\nb"}]}, ip="1.2.3.4\nforged")
    [entry] = audit_entries()
    for value in (entry.target_label, entry.detail, entry.ip):
        assert not any(ch in value for ch in "\n\r\x00\x1b\u2028\u202e")
    assert entry.ip == "1.2.3.4\\nforged"
    [line] = audit_log_lines()
    assert line["target"] == entry.target_label and line["detail"]["nested"] == [{"why": "a\\nb"}]


def test_secret_keys_never_reach_the_entry_or_the_log(app, audit_entries, audit_log_lines, caplog):
    record_audit("user.create", target="someone", detail={
        "password": "hunter2-secret-pw", "new_password": "hunter3-secret-pw", "api_token": "wilma_abc",
        "client_secret": "s3cr3t", "Authorization": "Bearer xyz", "nested": {"session_id": "sess-1"},
        "email": "a@example.org"})
    [entry] = audit_entries()
    for secret in ("hunter2", "hunter3", "wilma_abc", "s3cr3t", "xyz", "sess-1"):
        assert secret not in entry.detail
        assert secret not in caplog.text
    assert "a@example.org" in entry.detail
    assert audit_log_lines()[0]["detail"] == {"email": "a@example.org", "nested": {}}


def test_cli_style_call_without_actor_is_stored(app, audit_entries):
    """wilma/cli.py records plugin changes with ``record_audit(action, target=name, actor=None)``."""
    record_audit("plugin.enable", target="muenchen", actor=None)
    db.session.rollback()  # it committed on its own
    [entry] = audit_entries()
    assert (entry.action, entry.actor_id, entry.actor_name) == ("plugin.enable", None, "")
    assert (entry.target_type, entry.target_label) == ("plugin", "muenchen")


def _entry(action, actor_name="", target="", days_ago=0):
    from wilma.admin.models import AuditEntry

    entry = AuditEntry(action=action, actor_name=actor_name, target_type="user" if target else "",
                       target_label=target, created_at=datetime.now(UTC) - timedelta(days=days_ago))
    db.session.add(entry)
    return entry


def shown(client, path) -> set[str]:
    """The actions of the entries listed on an audit page."""
    return set(re.findall(r"<td><code>([^<]+)</code></td>", client.get(path).get_data(as_text=True)))


def test_audit_page_filters_and_pages_newest_first(client, as_admin):
    db.session.execute(db.text("DELETE FROM audit_entries"))
    for i in range(60):
        _entry("post.delete", actor_name="mod", target=f"t{i}")
    _entry("user.role", actor_name="root", target="anna", days_ago=3)
    _entry("user.deactivate", actor_name="root", target="ben", days_ago=10)
    _entry("plugin.enable", days_ago=1)
    commit()

    assert shown(client, "/admin/audit?action=user") == {"user.role", "user.deactivate"}
    assert shown(client, "/admin/audit?user=anna") == {"user.role"}
    day = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    assert shown(client, f"/admin/audit?from={day}&to={day}") == {"user.role"}
    since = (datetime.now(UTC) - timedelta(days=5)).date().isoformat()
    assert shown(client, f"/admin/audit?from={since}&action=plugin") == {"plugin.enable"}

    first = client.get("/admin/audit?action=post.delete").get_data(as_text=True)
    assert first.index(">t59<") < first.index(">t58<")  # newest first
    assert ">t9<" not in first and "Older entries" in first
    older = re.search(r'href="(/admin/audit\?[^"]*cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert ">t9<" in second and ">t59<" not in second and "Older entries" not in second
    assert client.get("/admin/audit?cursor=%%%garbage").status_code == 200


def test_cli_account_commands_are_recorded(runner, make_user, audit_entries, caplog):
    make_user("mia")
    result = runner.invoke(args=["wilma", "users", "create", "neu", "--password", "Cli-Pass-123456"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["wilma", "users", "deactivate", "mia"])
    assert result.exit_code == 0, result.output
    entries = [(e.action, e.actor_id, e.target_label) for e in audit_entries()]
    assert entries == [("user.create", None, "neu"), ("user.deactivate", None, "mia")]
    assert all("Cli-Pass-123456" not in e.detail for e in audit_entries())
    assert "Cli-Pass-123456" not in caplog.text
