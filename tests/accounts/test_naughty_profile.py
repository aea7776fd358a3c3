"""Every string of the Big List of Naughty Strings survives the profile form unchanged, without a 500."""

import json
import re

from tests.corpora import CORPORA
from wilma.accounts.services import LIMITS

# The Big List of Naughty Strings (MIT licence), shipped with the tests in tests/data/corpora.
BLNS = CORPORA / "naughty" / "blns.json"
FIELDS = ("display_name", "job_title", "about", "phone", "room")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def _strings() -> list[str]:
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    assert len(strings) > 400
    return strings


def _fit(field: str, text: str) -> str:
    text = text[: LIMITS[field]]
    if field == "display_name" and not text.strip():
        return "Nameless"  # a name is required; blank strings go through the other fields
    return text


def test_naughty_strings_come_back_unchanged(client, auth, make_user):
    user = make_user("anna")
    auth.login("anna")
    token = auth.csrf("/settings/profile")
    strings = _strings()
    # A sliding window moved by two: request i saves string i as the name, i+1 as the title, ... so
    # that every string passes through two or three different fields (all five would double the time).
    for i in range(0, len(strings), 2):
        values = {field: _fit(field, strings[(i + n) % len(strings)]) for n, field in enumerate(FIELDS)}
        form = {**values, "email": "anna@example.org", "org_unit_id": "0", "locale": "en", "csrf_token": token}
        response = client.post("/settings/profile", data=form)
        assert response.status_code == 302, (values, response.get_data(as_text=True)[-2000:])
        me = client.get("/api/v1/me").get_json()
        assert {field: me[field] for field in FIELDS} == values
        page = client.get(f"/people/{user.id}")
        assert page.status_code == 200, values
        html = page.get_data(as_text=True)
        assert not INLINE_SCRIPT.search(html) and not EVENT_HANDLER.search(html), values  # all escaped
