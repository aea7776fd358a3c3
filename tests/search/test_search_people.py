"""The people search: names by prefix, umlaut spellings, only active people, fresh after edits."""

from wilma.accounts import services as accounts


def people_keys(found):
    return [item.key for item in found.items if item.type == "people"]


def test_names_match_by_prefix_and_umlaut_variants(make_user, search_as, flush):
    anna = make_user("amueller", display_name="Anna Müller", job_title="Sachbearbeiterin")
    make_user("bgross", display_name="Bernd Groß", job_title="Amtsleiter")
    flush()
    for query in ("Müll", "Muel", "mueller", "MÜLLER", "Anna M", "amuel"):
        assert people_keys(search_as(anna, query)) == [f"people:{anna.id}"], query
    bernd = search_as(anna, "Gross")
    assert [item.title_html for item in bernd.items] == ["Bernd <mark>Groß</mark>"]


def test_names_from_other_languages_are_found_as_people_type_them(make_user, search_as, flush):
    person = make_user("yilmaz", display_name="Ayşe Yılmaz")
    make_user("rene", display_name="René Côté")
    flush()
    assert [i.key for i in search_as(person, "yilmaz").items] == [f"people:{person.id}"]
    assert [i.document.title for i in search_as(person, "Ayse").items] == ["Ayşe Yılmaz"]
    assert [i.document.title for i in search_as(person, "rene cote").items] == ["René Côté"]


def test_job_title_and_unit_are_searchable_with_stemming(make_user, search_as, flush):
    person = make_user("kk", display_name="Kai Klein", job_title="Leiter der Bauaufsicht")
    flush()
    assert people_keys(search_as(person, "bauaufsicht")) == [f"people:{person.id}"]


def test_profile_changes_reach_the_index_through_the_outbox(app, make_user, search_as, flush):
    person = make_user("sz", display_name="Sabine Zahn")
    flush()
    with app.test_request_context():
        accounts.update_profile(person, {"display_name": "Sabine Zähringer"})
    assert people_keys(search_as(person, "Zaehr")) == []  # not applied yet: the request did not wait
    flush()
    assert people_keys(search_as(person, "Zaehr")) == [f"people:{person.id}"]


def test_deactivated_people_disappear_at_once(make_user, search_as, flush):
    reader = make_user("reader")
    gone = make_user("gone", display_name="Gerda Gehtweg")
    flush()
    assert people_keys(search_as(reader, "Gerda")) == [f"people:{gone.id}"]
    accounts.set_active(gone, False)
    found = search_as(reader, "Gerda")  # before the outbox ran
    assert people_keys(found) == [] and found.counts.get("people", 0) == 0
    flush()
    assert people_keys(search_as(reader, "Gerda")) == []
