"""German analysis: stems, umlauts and ß meet their other spellings, case does not matter."""

import pytest

from wilma.search.analysis import fold_german, german_analyzer


def tokens(text):
    return [t.text for t in german_analyzer()(text)]


@pytest.mark.parametrize(("written", "searched"), [
    ("Straße", "Strasse"),
    ("Müller", "Mueller"),
    ("Größe", "Groesse"),
    ("Ärger", "Aerger"),
    ("Häuser", "Haus"),
    ("Baugenehmigungen", "Baugenehmigung"),
    ("VERWALTUNG", "verwaltungen"),
    ("Bürgerämter", "Buergeramt"),
])
def test_spellings_meet_in_the_analyzer(written, searched):
    assert tokens(written) == tokens(searched)


def test_stop_words_do_not_count_and_q_keeps_its_ue():
    assert tokens("Die Verwaltung der Stadt") == tokens("Verwaltung Stadt")
    assert fold_german("quelle") == "quelle"
    assert fold_german("mueller") == fold_german("müller") == "muller"


@pytest.mark.parametrize(("body", "query"), [
    ("Die Straße wird gesperrt", "Strasse"),
    ("Sanierung der Strasse am Markt", "Straße"),
    ("Frau Müller leitet das Amt", "Mueller"),
    ("Neue Häuser im Westend", "haus"),
    ("Anträge auf Baugenehmigungen", "Antrag Baugenehmigung"),
    ("Öffnungszeiten des Bürgerbüros", "OEFFNUNGSZEITEN"),
])
def test_documents_are_found_in_other_forms(memory_docs, make_user, search_as, flush, body, query):
    reader = make_user("leser")
    memory_docs.add(1, body)
    memory_docs.add(2, "Ein ganz anderer Text über Parkplätze")
    flush()
    found = search_as(reader, query)
    assert [item.key for item in found.items] == ["posts:1"]
    assert "<mark>" in found.items[0].snippet_html
