"""The query language, the same with every backend: phrases, AND/OR/NOT, prefixes, and titles first."""

import pytest


@pytest.fixture
def corpus(memory_docs, make_user, flush):
    memory_docs.add(1, "Die Verwaltung der Stadt München informiert")
    memory_docs.add(2, "Stadt und Verwaltung arbeiten zusammen")
    memory_docs.add(3, "Neue Bauanträge für das Rathaus")
    memory_docs.add(4, "Der Stadtrat tagt im Rathaus")
    flush()
    return make_user("reader")


def keys(search_as, user, query):
    return sorted(item.key for item in search_as(user, query, per_page=50).items)


@pytest.mark.parametrize(("query", "expected"), [
    ('"Verwaltung der Stadt"', ["posts:1"]),  # a phrase, its stop word left out on both sides
    ("Verwaltung Stadt", ["posts:1", "posts:2"]),
    ("Verwaltung AND Stadt", ["posts:1", "posts:2"]),
    ("Bauantrag OR Stadtrat", ["posts:3", "posts:4"]),
    ("Rathaus NOT Stadtrat", ["posts:3"]),
    ("Rathaus ANDNOT Bauanträge", ["posts:4"]),
    ("(Verwaltung OR Stadtrat) AND NOT München", ["posts:2", "posts:4"]),
    ("Bauantr*", ["posts:3"]),
    ("Verwaltungen", ["posts:1", "posts:2"]),
    ("Muenchen", ["posts:1"]),
    ("stadtrat rathaus bauantrag", []),
])
def test_query_syntax(corpus, search_as, query, expected):
    assert keys(search_as, corpus, query) == expected


def test_a_match_in_the_title_ranks_before_one_in_the_body(memory_docs, make_user, search_as, flush):
    reader = make_user("reader")
    memory_docs.add(1, "Im Anhang finden Sie den Haushaltsplan und weitere Unterlagen zur Sitzung")
    memory_docs.add(2, "Unterlagen zur Sitzung", title="Haushaltsplan")
    flush()
    assert [item.key for item in search_as(reader, "Haushaltsplan").items] == ["posts:2", "posts:1"]


def test_only_stop_words_find_nothing_and_say_no_error(corpus, search_as):
    found = search_as(corpus, "die und der")
    assert found.items == [] and found.total == 0
