"""Marking matches for results pages, and the sanitizer's cache: no app and no backend needed."""

from wilma.core import sanitize
from wilma.search import fragments
from wilma.search.analysis import normalise_word
from wilma.search.marking import mark_passages, mark_whole


def terms(*words, stem=True):
    return frozenset(normalise_word(word, stem) for word in words)


def test_titles_are_marked_whole_in_every_spelling_and_escaped():
    assert mark_whole("Bernd Groß <b>", terms("gross", stem=False), stem=False) == "Bernd <mark>Groß</mark> &lt;b&gt;"
    assert mark_whole("Neue Häuser", terms("Haus"), stem=True) == "Neue <mark>Häuser</mark>"
    assert mark_whole("Nichts davon", terms("Haus"), stem=True) == ""


def test_bodies_show_two_passages_with_the_most_matches_in_text_order():
    filler = " ".join(["Füllwort"] * 60)
    text = f"Straße vorne. {filler} Strasse und Straßen dicht beieinander. {filler} Strasse hinten <script>."
    marked = mark_passages(text, terms("Straße"), stem=True)
    passages = marked.split(" … ")
    assert len(passages) == 2
    assert passages[0].count("<mark>") == 1 and passages[0].startswith("<mark>Straße</mark> vorne")
    assert passages[1].count("<mark>") == 2  # the middle passage beats the last one
    assert all(len(p.replace("<mark>", "").replace("</mark>", "")) <= 220 for p in passages)
    assert "<script>" not in marked and mark_passages(text, terms("Haus"), stem=True) == ""


def test_sanitized_fragments_are_remembered_but_always_sanitized(monkeypatch):
    calls = []
    original = sanitize.clean_html

    def counting(html):
        calls.append(html)
        return original(html)

    monkeypatch.setattr(fragments, "clean_html", counting)
    monkeypatch.setattr(fragments, "_cache", fragments.OrderedDict())
    evil = ['Ein <img src=x onerror=alert(1)> Bild', "<mark>Antrag</mark> &amp; mehr"]
    first = fragments.clean_fragments(evil)
    assert first == [original(fragment) for fragment in evil] and "onerror" not in first[0]
    assert len(calls) == 1  # the page's fragments in one pass
    assert fragments.clean_fragments(list(reversed(evil))) == list(reversed(first))
    assert len(calls) == 1  # answered from the cache
    assert fragments.clean_fragments([evil[0], "neu"]) == [first[0], "neu"] and calls[-1] == "neu"
