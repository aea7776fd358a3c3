"""The people directory: search-as-you-type by name, unit and title, sorted by name; the org tree."""

import re

import pytest

from wilma.accounts import services
from wilma.accounts.models import OrgUnit
from wilma.core.database import commit
from wilma.extensions import db


@pytest.fixture
def people(make_user):
    """A small city: Referat > Amt > Abteilung, and five people (one deactivated)."""
    referat = OrgUnit(name="Referat für Bildung und Sport", short="RBS", kind="Referat")
    db.session.add(referat)
    db.session.flush()
    amt = OrgUnit(name="Straßenbauamt", short="SBA", kind="Amt", parent_id=referat.id)
    db.session.add(amt)
    db.session.flush()
    abteilung = OrgUnit(name="Abteilung Brücken", kind="Abteilung", parent_id=amt.id)
    db.session.add(abteilung)
    commit()
    made = {
        "zoe": make_user("zoe", display_name="Zoe Zander", job_title="Sachbearbeiterin", org_unit_id=amt.id),
        "jorg": make_user("jorg", display_name="Jörg Müller", job_title="Brückenprüfer",
                          org_unit_id=abteilung.id),
        "anna": make_user("anna", display_name="anna Adler", job_title="Lehrerin", org_unit_id=referat.id),
        "bert": make_user("bert", display_name="Bert Brecht", job_title="Sachbearbeiter"),
        "gone": make_user("gone", display_name="Gone Person", job_title="Sachbearbeiter"),
    }
    services.set_active(made["gone"], False)
    made.update(referat=referat, amt=amt, abteilung=abteilung)
    return made


def _names(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.findall(r'class="person-name"[^>]*>([^<]+)<', html)


def _suggest(client, query):
    response = client.get("/people/suggest", query_string={"q": query})
    assert response.status_code == 200
    return [p["name"] for p in response.get_json()]


def test_directory_lists_active_people_sorted_by_name(client, auth, people):
    auth.login("anna")
    assert _names(client, "/people") == ["anna Adler", "Bert Brecht", "Jörg Müller", "Zoe Zander"]


def test_search_by_name_unit_and_title(client, auth, people):
    auth.login("anna")
    assert _names(client, "/people?q=zan") == ["Zoe Zander"]
    assert _names(client, "/people?q=sachbearb") == ["Bert Brecht", "Zoe Zander"]
    assert _names(client, "/people?q=SBA") == ["Zoe Zander"]
    assert _names(client, "/people?q=Brücken") == ["Jörg Müller"]
    assert _names(client, "/people?q=sachbearbeiter bert") == ["Bert Brecht"]  # every word must match
    assert _names(client, "/people?q=nobody-like-this") == []
    assert "Nobody matches your search." in client.get("/people?q=nobody-like-this").get_data(as_text=True)


def test_search_is_case_insensitive_and_meets_german_spellings(client, auth, people):
    auth.login("anna")
    assert _names(client, "/people?q=JÖRG") == ["Jörg Müller"]
    assert _names(client, "/people?q=mueller") == ["Jörg Müller"]
    assert _names(client, "/people?q=strassenbau") == ["Zoe Zander"]
    assert _names(client, "/people?q=%25") == []  # a literal percent sign, not a wildcard



def test_search_ignores_accents_and_sorts_them_with_their_letter(client, auth, people, make_user):
    make_user("deniz", display_name="Deniz Yılmaz")
    make_user("carlos", display_name="Carlos García")
    make_user("aenne", display_name="Änne Ärger")
    auth.login("anna")
    assert _names(client, "/people?q=yilmaz") == ["Deniz Yılmaz"]
    assert _names(client, "/people?q=GARCIA") == ["Carlos García"]
    assert _names(client, "/people?q=ärger") == ["Änne Ärger"]
    assert _names(client, "/people?q=aerger") == ["Änne Ärger"]
    assert _names(client, "/people?q=jorg") == ["Jörg Müller"]
    assert _names(client, "/people") == ["anna Adler", "Änne Ärger", "Bert Brecht", "Carlos García",
                                         "Deniz Yılmaz", "Jörg Müller", "Zoe Zander"]


def test_suggest_answers_as_you_type(client, auth, people):
    auth.login("anna")
    assert _suggest(client, "") == []
    assert _suggest(client, "z") == ["Zoe Zander"]
    assert _suggest(client, "br") == ["Bert Brecht", "Jörg Müller"]
    assert _suggest(client, "bre") == ["Bert Brecht"]
    first = client.get("/people/suggest?q=zoe").get_json()[0]
    assert first["title"] == "Sachbearbeiterin" and first["unit"] == "SBA – Straßenbauamt"
    assert first["url"] == f"/people/{people['zoe'].id}"
    assert _suggest(client, "gone") == []  # deactivated people are not suggested


def test_directory_needs_login(client, people):
    assert "/login" in client.get("/people").headers["Location"]
    assert client.get("/people/suggest?q=a").status_code == 302


def test_api_directory_pages_in_name_order(client, auth, people):
    auth.login("anna")
    names, cursor = [], None
    while True:
        query = {"limit": 2, "q": "", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/users", query_string=query).get_json()
        assert len(body["items"]) <= 2
        names += [item["display_name"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert names == ["anna Adler", "Bert Brecht", "Jörg Müller", "Zoe Zander"]
    body = client.get("/api/v1/users?q=sachbearbeiter").get_json()
    assert [item["username"] for item in body["items"]] == ["bert", "zoe"]


def test_org_tree_and_unit_pages(client, auth, people):
    auth.login("anna")
    tree = client.get("/organisation").get_data(as_text=True)
    for unit in ("referat", "amt", "abteilung"):
        assert f'href="/organisation/{people[unit].id}"' in tree
    assert tree.index("Referat für Bildung und Sport") < tree.index("Straßenbauamt") < tree.index(
        "Abteilung Brücken")

    page = client.get(f"/organisation/{people['amt'].id}").get_data(as_text=True)
    assert "Zoe Zander" in page and "Jörg Müller" not in page  # members of this unit only
    assert f'href="/organisation/{people["abteilung"].id}"' in page  # sub-units
    assert f'href="/organisation/{people["referat"].id}"' in page  # breadcrumbs up to the Referat
    assert client.get("/organisation/99999").status_code == 404


def test_profile_shows_unit_path_and_initials(client, auth, people):
    auth.login("anna")
    page = client.get(f"/people/{people['jorg'].id}").get_data(as_text=True)
    assert "Jörg Müller" in page and "Brückenprüfer" in page
    assert ">JM</span>" in page  # initials avatar, since no picture was uploaded
    assert page.index("RBS") < page.index("SBA") < page.index("Abteilung Brücken")
    assert client.get("/people/99999").status_code == 404


def test_long_directory_says_it_shows_only_the_first_people(monkeypatch, client, auth, people):
    from wilma.accounts import views

    monkeypatch.setattr(views, "DIRECTORY_PAGE", 2)
    auth.login("anna")
    html = client.get("/people").get_data(as_text=True)
    assert _names(client, "/people") == ["anna Adler", "Bert Brecht"]
    assert "Showing the first 2 people by name." in html
    assert "Showing the first" not in client.get("/people?q=zoe").get_data(as_text=True)
