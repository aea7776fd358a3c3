"""Every Big List of Naughty Strings entry and every HTML5 Security Cheatsheet vector as a chat message:
no server error, and nothing executable in the stored HTML, the API or the page."""

import json
from html.parser import HTMLParser

import pytest

from tests.corpora import CORPORA
from wilma.chat import services
from wilma.core.database import commit

CORPORA = CORPORA


def bodies() -> list[str]:
    blns = json.loads((CORPORA / "naughty" / "blns.json").read_text(encoding="utf-8"))
    xss = [v["data"] for v in json.loads((CORPORA / "xss" / "h5sc_vectors_resolved.json").read_text(encoding="utf-8"))]
    return blns + xss


class ScriptFinder(HTMLParser):
    """Collects anything a browser could run: script-ish tags, event handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "style", "form", "meta", "link", "base"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action") and value and \
                    "".join(value.split()).lower().startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"{tag}[{name}={value[:30]}]")


def scripts_in(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    return finder.found


@pytest.mark.parametrize("app_config", [{"WILMA_CHAT_RATE_LIMIT": (100000, 10)}])
def test_naughty_strings_and_xss_vectors_as_messages(make_user, make_group, sock, login_as):
    anna, ben = make_user("anna"), make_user("ben")
    group = make_group("Team", members=[anna, ben])
    cid = services.group_channel(group.id).id
    commit()
    anna_sock = sock("anna")
    stored = 0
    for i, body in enumerate(bodies()):
        ack = anna_sock.emit("chat:send", {"channel_id": cid, "body": body, "client_msg_id": f"n{i}"}, callback=True)
        if "error" in ack:
            assert ack["error"]["code"] == "invalid" and (not body.strip() or "\x00" in body), (body, ack)
            continue
        stored += 1
        assert ack["body"] == body
        assert scripts_in(ack["html"]) == [], (body, ack["html"])
    assert stored > 600
    client, _ = login_as("ben")
    seen, after = 0, 0
    while True:
        response = client.get(f"/api/v1/channels/{cid}/messages?after={after}&limit=200")
        assert response.status_code == 200
        items = response.json["items"]
        for item in items:
            assert scripts_in(item["html"]) == []
        seen += len(items)
        if not response.json["has_more"]:
            break
        after = items[-1]["id"]
    assert seen == stored
    page = client.get(f"/chat/{cid}")
    assert page.status_code == 200
    body_html = page.get_data(as_text=True).split('id="chat-messages"', 1)[1].split("</ol>", 1)[0]
    assert scripts_in(body_html) == []


def test_nul_characters_are_refused_over_the_socket(make_user, make_group, sock):
    anna = make_user("anna")
    group = make_group("Team", members=[anna])
    cid = services.group_channel(group.id).id
    commit()
    ack = sock("anna").emit("chat:send", {"channel_id": cid, "body": "a\x00b", "client_msg_id": "nul"},
                            callback=True)
    assert ack["error"]["code"] == "invalid"  # PostgreSQL cannot store NUL: a clear refusal, not a 500
