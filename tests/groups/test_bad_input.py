"""Hostile text in group names and descriptions: no 500, faithful round trips, no script in the HTML."""

import json
import re
from html.parser import HTMLParser

import pytest

from tests.corpora import CORPORA
from wilma.groups.services import clean_name

CORPORA = CORPORA
BLNS = json.loads((CORPORA / "naughty" / "blns.json").read_text(encoding="utf-8"))
XSS = [v["data"] for v in json.loads((CORPORA / "xss" / "h5sc_vectors_resolved.json").read_text(encoding="utf-8"))]


@pytest.fixture
def app_config():
    """Hundreds of groups in one test: the creation limit (tested in test_groups) is off here."""
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def owner(auth, make_user):
    make_user("owner")
    auth.login("owner")
    return auth


def test_every_blns_string_round_trips_as_name_and_description(owner):
    failures = []
    for index, text in enumerate(BLNS):
        name = text[:120]
        response = owner.api("POST", "/api/v1/groups", {"name": name, "description": text})
        if not name.strip() or not "".join(c for c in name if c.isprintable() or c.isspace()).strip():
            # blank or only control characters: refused with a message, never a 500
            if response.status_code != 201:
                assert response.status_code == 400, (index, response.status_code)
                assert response.get_json()["error"]["field"] == "name"
                continue
        if response.status_code != 201:
            failures.append((index, response.status_code))
            continue
        created = response.get_json()
        fetched = owner.api("GET", f"/api/v1/groups/{created['id']}").get_json()
        if fetched["name"] != clean_name(name) or fetched["description"] != text.replace("\x00", ""):
            failures.append((index, "changed"))
        if created != fetched:
            failures.append((index, "differs"))
    assert not failures


def test_blns_names_show_on_the_group_page_escaped(owner, client):
    for text in ("<script>alert(123)</script>", "<img src=x onerror=alert(1)>", "Ω≈ç√∫˜µ≤≥÷", "👾 🙇 💁"):
        group = owner.api("POST", "/api/v1/groups", {"name": text}).get_json()
        page = client.get(f"/groups/{group['id']}").get_data(as_text=True)
        assert "<script>alert(123)" not in page and "<img src=x" not in page
        assert clean_name(text).replace("<", "&lt;").replace(">", "&gt;") in page


class DangerFinder(HTMLParser):
    """Real elements and attributes (not escaped text): script elements, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append("script")
        for name, value in attrs:
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name.startswith("on"):
                self.found.append(name)
            if squeezed.startswith(("javascript:", "vbscript:")):
                self.found.append(f"{name}={value}")


def dangers(html: str) -> list[str]:
    finder = DangerFinder()
    finder.feed(html)
    return finder.found


def test_xss_vectors_in_descriptions_yield_no_script(owner, client):
    bad = []
    for index, vector in enumerate(XSS):
        response = owner.api("POST", "/api/v1/groups", {"name": f"XSS {index}", "description": vector})
        assert response.status_code == 201, index
        data = response.get_json()
        page = client.get(f"/groups/{data['id']}").get_data(as_text=True)
        about = page.split('id="about-group"', 1)[1].split("</section>", 1)[0]
        for html in (data["html"], about):
            if dangers(html):
                bad.append((index, dangers(html)))
    assert not bad


def test_the_danger_finder_finds_what_it_looks_for():
    assert dangers('<a href=" javascript:x">a</a><img src=x onerror=y><script>z</script>') == [
        "href= javascript:x", "onerror", "script"]
    assert dangers("<p>&lt;a href=javascript:alert(1)&gt;</p>") == []


def test_limits_are_answered_with_a_message(owner):
    too_long = owner.api("POST", "/api/v1/groups", {"name": "x" * 121})
    assert too_long.status_code == 400 and too_long.get_json()["error"]["field"] == "name"
    huge = owner.api("POST", "/api/v1/groups", {"name": "ok", "description": "x" * 10_001})
    assert huge.status_code == 400 and huge.get_json()["error"]["field"] == "description"
    wrong = owner.api("POST", "/api/v1/groups", {"name": "ok", "visibility": "hidden"})
    assert wrong.status_code == 400 and wrong.get_json()["error"]["field"] == "visibility"
    colour = owner.api("POST", "/api/v1/groups", {"name": "ok", "color": "red;background:url(x)"})
    assert colour.status_code == 400
    not_text = owner.api("POST", "/api/v1/groups", {"name": ["a"]})
    assert not_text.status_code == 400
