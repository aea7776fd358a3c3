"""The Whoosh backend's cached document sets answer what Whoosh itself answers: the same matches,
counts per type under the visibility filter, and the same scores in the same order."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from whoosh.query import And, AndNot, Or, Term

from wilma.search.backend import Filters
from wilma.search.registry import Document
from wilma.search.whoosh_backend import WhooshBackend, date_query
from wilma.search.whoosh_query import parse_query

WORDS = "Antrag Straße Müller Haus Häuser Sitzung Vorlage Amt Frist Bescheid Radweg Brücke".split()
TYPES = ("posts", "comments", "wiki")
START = datetime(2026, 1, 1, tzinfo=UTC)


def _documents(count: int) -> list[Document]:
    rng = random.Random(3)
    docs = []
    for number in range(1, count + 1):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 12))]
        docs.append(Document(type=rng.choice(TYPES), object_id=number, title=" ".join(words[:2]),
                             body=" ".join(words), group_id=rng.choice((None, None, 1, 2)),
                             owner_ids=rng.choice(((), (), (7,))), names=rng.choice(("", "Anna Müller")),
                             created_at=START + timedelta(days=number % 40)))
    return docs


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    backend = WhooshBackend({"WILMA_SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("index"))})
    docs = _documents(400)
    backend.index(docs[:250])
    backend.index(docs[250:])  # a second segment
    backend.delete([f"{doc.key}" for doc in docs[::17]])
    backend.index(docs[5:9])  # replaced: deleted in the old segment, added to a new one
    return backend


def _expected(backend, query: str, filters: Filters) -> tuple[dict[str, float], dict[str, int]]:
    searcher = backend._searcher()
    parsed = parse_query(backend._parser, query)
    parts = [Or([Term("acl", token) for token in filters.acl])]
    if filters.group_id is not None:
        parts.append(Term("group_id", str(filters.group_id)))
    if filters.date_from or filters.date_to:
        parts.append(date_query(searcher.schema, filters.date_from, filters.date_to))
    restricted = And([parsed, And(parts)])
    if filters.hidden_keys:
        restricted = AndNot(restricted, Or([Term("key", key) for key in filters.hidden_keys]))
    scores, counts = {}, {}
    query_scores = {hit["key"]: hit.score for hit in searcher.search(parsed, limit=None)}
    for hit in searcher.search(restricted, limit=None):
        key = hit["key"]
        kind = key.split(":")[0]
        counts[kind] = counts.get(kind, 0) + 1
        if not filters.type or kind == filters.type:
            scores[key] = query_scores[key]  # the score of the query alone (filters only restrict)
    return scores, counts


@pytest.mark.parametrize("query", ["Antrag", "haus", "Strasse Amt", "Antrag OR Frist", "Amt NOT Frist",
                                   '"Antrag Straße"', "Mue", "Brück*", "Radweg AND (Sitzung OR Vorlage)"])
@pytest.mark.parametrize("filters", [
    Filters(acl=["public"]),
    Filters(acl=["public", "g1", "u7"], type="comments"),
    Filters(acl=["public", "g2"], group_id=2),
    Filters(acl=["public", "g1"], date_from=START + timedelta(days=5), date_to=START + timedelta(days=20)),
    Filters(acl=["public", "g1", "g2", "u7"], hidden_keys={"posts:10", "wiki:11", "comments:12", "posts:13"}),
], ids=["public", "type", "group", "dates", "hidden"])
def test_counts_and_ranking_agree_with_whoosh(backend, query, filters):
    scores, counts = _expected(backend, query, filters)
    backend.rank_window = 0  # one window: the whole ranking, as Whoosh ranks
    shown = []
    for page in range(1, 40):
        found = backend.search(query, filters, page=page, per_page=7)
        assert found.counts == counts
        assert found.total == len(scores)
        if page > found.pages:
            break
        shown.extend(found.hits)
    assert sorted(hit.key for hit in shown) == sorted(scores)
    assert all(hit.score == pytest.approx(scores[hit.key]) for hit in shown)
    assert all(a.score >= b.score - 1e-9 for a, b in zip(shown, shown[1:], strict=False))


def test_a_ranking_window_bounds_the_work_but_not_the_counts(backend):
    backend.rank_window = 10
    filters = Filters(acl=["public", "g1", "g2", "u7"])
    scores, counts = _expected(backend, "Antrag", filters)
    found = backend.search("Antrag", filters, page=1, per_page=7)
    assert found.total == len(scores) and found.counts == counts
    pages = [backend.search("Antrag", filters, page=page, per_page=7).hits for page in range(1, found.pages + 1)]
    keys = [hit.key for hits in pages for hit in hits]
    assert sorted(keys) == sorted(scores)  # every match once, across windows
    newest = sorted(scores, key=lambda key: -backend._searcher().document_number(key=key))[:10]
    assert set(keys[:10]) == set(newest)  # the first window holds the newest matches
