"""Regensburg's directory login against a real OpenLDAP server (Debian's slapd) on 127.0.0.1."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from ldap3 import HASHED_SALTED_SHA, Connection, Server
from ldap3.utils.hashed import hashed

from tests.conftest import Auth
from wilma.accounts import services
from wilma.core.database import commit

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SUFFIX = "dc=regensburg,dc=example"
ROOT_DN, ROOT_PW = f"cn=admin,{SUFFIX}", "admin-secret"
PEOPLE = f"ou=people,{SUFFIX}"

CONFIG = """
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {tmp}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_pw}
directory {tmp}/data
access to attrs=userPassword by anonymous auth by self write by * none
access to * by * read
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    """A running slapd with two people; yields its URL."""
    if not Path(SLAPD).exists():
        pytest.fail("slapd is missing: `make test` installs Debian's slapd (see the Makefile's test-deps)")
    tmp = tmp_path_factory.mktemp("slapd")
    (tmp / "data").mkdir()
    (tmp / "slapd.conf").write_text(CONFIG.format(tmp=tmp, suffix=SUFFIX, root_dn=ROOT_DN, root_pw=ROOT_PW))
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    process = subprocess.Popen([SLAPD, "-f", str(tmp / "slapd.conf"), "-h", f"{url}/", "-d", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"slapd did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.05)
    with Connection(Server(url), ROOT_DN, ROOT_PW, auto_bind=True) as conn:
        conn.add(SUFFIX, ["dcObject", "organization"], {"o": "Stadt Regensburg", "dc": "regensburg"})
        conn.add(PEOPLE, ["organizationalUnit"], {"ou": "people"})
        for uid, cn, title, password in [("lena.huber", "Lena Huber", "Sachbearbeiterin", "Dom-1245!"),
                                         ("star", "Asterisk Person", "Test", "other-pass-1")]:
            conn.add(f"uid={uid},{PEOPLE}", ["inetOrgPerson"], {
                "uid": uid, "cn": cn, "sn": cn.split()[-1], "title": title, "mail": f"{uid}@regensburg.example",
                "telephoneNumber": "0941 507-1234", "userPassword": hashed(HASHED_SALTED_SHA, password)})
        assert conn.result["description"] == "success", conn.result
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def regensburg(city_app, directory):
    return city_app("regensburg", REGENSBURG_LDAP_URL=directory, REGENSBURG_LDAP_BASE_DN=PEOPLE)


def test_directory_user_logs_in_and_gets_an_account(regensburg):
    client = regensburg.test_client()
    response = Auth(client).login("Lena.Huber", "Dom-1245!")
    assert response.status_code == 302 and response.location == "/"
    user = services.find_login("lena.huber")
    assert user.display_name == "Lena Huber" and user.job_title == "Sachbearbeiterin"
    assert user.email == "lena.huber@regensburg.example" and user.auth_source == "ldap"
    assert user.password_hash is None, "the directory password is never stored"
    assert client.get("/settings/password").status_code == 200
    assert "managed by your city" in client.get("/settings/password").get_data(as_text=True)


def test_wrong_directory_password_is_refused_like_any_wrong_password(regensburg):
    response = Auth(regensburg.test_client()).login("lena.huber", "wrong-password")
    assert response.status_code == 200 and "Unknown username or wrong password." in response.get_data(as_text=True)
    assert services.find_login("lena.huber") is None


def test_filter_injection_finds_nobody(regensburg):
    response = Auth(regensburg.test_client()).login("*", "other-pass-1")
    assert response.status_code == 200
    response = Auth(regensburg.test_client()).login("star)(uid=*", "other-pass-1")
    assert response.status_code == 200


def test_local_accounts_still_work_for_names_the_directory_does_not_know(regensburg):
    services.create_user("admin", "local-admin-pass", is_admin=True)
    commit()
    assert Auth(regensburg.test_client()).login("admin", "local-admin-pass").status_code == 302


def test_a_directory_user_cannot_log_in_with_a_local_password_of_the_same_name(regensburg):
    services.create_user("lena.huber", "local-password-1")
    commit()
    assert Auth(regensburg.test_client()).login("lena.huber", "local-password-1").status_code == 200


def test_unreachable_directory_falls_back_to_local_accounts(city_app):
    app = city_app("regensburg", REGENSBURG_LDAP_URL=f"ldap://127.0.0.1:{free_port()}", REGENSBURG_LDAP_TIMEOUT=1)
    services.create_user("admin", "local-admin-pass")
    commit()
    assert Auth(app.test_client()).login("admin", "local-admin-pass").status_code == 302


def test_check_directory_command(regensburg):
    runner = regensburg.test_cli_runner()
    result = runner.invoke(args=["wilma", "regensburg", "check-directory", "lena.huber"])
    assert result.exit_code == 0 and "Lena Huber" in result.output and "0941 507-1234" in result.output
    result = runner.invoke(args=["wilma", "regensburg", "check-directory", "nobody"])
    assert result.exit_code != 0 and "No (unique) entry" in result.output
