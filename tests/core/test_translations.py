"""The German catalogue: complete, compiled, placeholder-safe, and used by default.

German is WILMA's default interface language, so an English msgid without a German msgstr shows up
as English in a German page. These tests read the committed catalogue files and extract the msgids
from the code exactly like ``make translations`` does.
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations

import wilma

ROOT = Path(wilma.__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "wilma" / "translations"
PO = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.mo"
POT = TRANSLATIONS / "messages.pot"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def _forms(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _read(path, reader=read_po):
    with open(path, "rb") as fh:
        return reader(fh, locale="de") if reader is read_po else reader(fh)


@pytest.fixture(scope="module")
def catalog():
    return _read(PO)


def _untranslated(catalog, msgids) -> list[str]:
    missing = []
    for key in msgids:
        message = catalog.get(key)
        if message is None or message.fuzzy or not all(_forms(message.string)):
            missing.append(key)
    return missing


def test_compiled_catalogue_loads_and_translates():
    translations = Translations.load(str(TRANSLATIONS), ["de"])
    assert isinstance(translations, Translations), "messages.mo for de is missing"
    assert translations.gettext("Log in") == "Anmelden"
    assert translations.ngettext("%(num)d person", "%(num)d people", 2) == "%(num)d Personen"


def test_compiled_catalogue_matches_the_po_file(catalog):
    """Forgetting ``pybabel compile`` after editing the .po would ship stale or missing German."""
    compiled = {_key(m): _forms(m.string) for m in _read(MO, read_mo) if m.id}
    stale = [_key(m) for m in catalog if m.id and compiled.get(_key(m)) != _forms(m.string)]
    assert not stale, f"messages.mo is out of date for {len(stale)} entries, e.g. {stale[:5]}"


def test_every_msgid_of_the_template_is_translated(catalog):
    template = _read(POT)
    missing = _untranslated(catalog, [_key(m) for m in template if m.id])
    assert not missing, f"{len(missing)} msgids without German translation: {missing[:10]}"


def test_every_msgid_in_the_code_is_translated(catalog):
    """Extract like the Makefile does, so a stale .pot cannot hide new English strings."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = {msg[0] if isinstance(msg, tuple) else msg
             for _file, _line, msg, _comments, _ctx in extract_from_dir(str(ROOT), method_map, options_map,
                                                                        keywords=keywords)}
    assert len(found) > 300
    missing = _untranslated(catalog, sorted(found))
    assert not missing, f"{len(missing)} strings in the code have no German translation: {missing[:10]}"


def test_placeholders_are_kept(catalog):
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = _forms(message.id)
        for index, text in enumerate(_forms(message.string)):
            source = ids[min(index, len(ids) - 1)]
            if text and set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                wrong.append((source, text))
    assert not wrong, wrong[:5]


def test_babel_format_checks_pass(catalog):
    problems = [(_key(m), [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, problems[:5]


@pytest.fixture
def app_config():
    return {"WILMA_DEFAULT_LOCALE": "de"}


def test_login_page_is_german_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "Anmelden" in page
    assert "Passwort" in page
    assert "Log in" not in page


def test_switching_to_english_shows_english(client, auth):
    client.post("/language", data={"locale": "en", "next": "/login", "csrf_token": auth.csrf("/login")})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert "Anmelden" not in page


def test_german_error_messages_in_the_api(client, make_user, auth):
    make_user("anna")
    auth.login("anna")
    response = auth.api("GET", "/api/v1/groups?cursor=not-a-cursor")
    assert response.status_code == 400
    assert "Cursor" in response.get_data(as_text=True)
    assert "not valid" not in response.get_data(as_text=True)


def test_notifications_are_worded_in_the_readers_language(app, client, make_user, auth):
    """Ben works in English; Anna reads his comment's notification in German, quoting his words."""
    from wilma.core.database import commit
    from wilma.posts import services as posts

    anna = make_user("anna")
    ben = make_user("ben")
    ben.locale = "en"
    commit()
    post = posts.create_post(anna, body="Neue Fahrradständer am Rathaus")
    auth.login("ben")
    auth.post(f"/posts/{post.id}/comments", data={"body": "Great, thank you!"})
    auth.logout()
    auth.login("anna")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Ben hat Ihren Beitrag kommentiert: Great, thank you!" in page
    assert "commented on your post" not in page
