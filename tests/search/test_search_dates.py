"""Date filters of the Whoosh backend: to the second, both ends included, and indexes built before
dates were kept in seconds still written and searched until their next rebuild."""

from datetime import UTC, datetime, timedelta

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME

from wilma.search.backend import Filters
from wilma.search.registry import Document
from wilma.search.whoosh_backend import WhooshBackend, build_schema

DAY = datetime(2026, 3, 2, tzinfo=UTC)


def documents():
    moments = {1: DAY - timedelta(seconds=1), 2: DAY, 3: DAY + timedelta(hours=12),
               4: DAY + timedelta(days=1) - timedelta(seconds=1), 5: DAY + timedelta(days=1, seconds=1)}
    return [Document(type="posts", object_id=n, body="Bauantrag", created_at=moment) for n, moment in moments.items()]


def old_index(root):
    """An index as built before: ``created_at`` a DATETIME (microseconds)."""
    backend = WhooshBackend({"WILMA_SEARCH_INDEX_DIR": str(root)})
    schema = build_schema()
    schema.remove("created_at")
    schema.add("created_at", DATETIME())
    name = backend.store.new_directory()
    whoosh_index.create_in(str(backend.store.root / name), schema)
    backend.store.point_to(name)
    return backend


@pytest.mark.parametrize("make", [lambda root: WhooshBackend({"WILMA_SEARCH_INDEX_DIR": str(root)}), old_index],
                         ids=["seconds", "old-datetime"])
def test_a_day_is_its_first_to_its_last_second(tmp_path, make):
    backend = make(tmp_path)
    backend.index(documents())
    day = Filters(acl=["public"], date_from=DAY, date_to=DAY + timedelta(days=1) - timedelta(seconds=1))
    found = backend.search("Bauantrag", day, per_page=10)
    assert sorted(hit.object_id for hit in found.hits) == [2, 3, 4] and found.total == 3
    since = backend.search("Bauantrag", Filters(acl=["public"], date_from=DAY + timedelta(hours=1)))
    assert sorted(hit.object_id for hit in since.hits) == [3, 4, 5]
    until = backend.search("Bauantrag", Filters(acl=["public"], date_to=DAY.replace(tzinfo=None)))  # naive is UTC
    assert sorted(hit.object_id for hit in until.hits) == [1, 2]


def test_new_indexes_keep_seconds_and_old_ones_their_datetimes(tmp_path):
    fresh = WhooshBackend({"WILMA_SEARCH_INDEX_DIR": str(tmp_path / "new")})
    fresh.index(documents()[:1])
    assert not isinstance(fresh._searcher().schema["created_at"], DATETIME)
    old = old_index(tmp_path / "old")
    old.index(documents()[:1])
    assert isinstance(old._searcher().schema["created_at"], DATETIME)
    old.rebuild(iter(documents()))  # a rebuild brings the new layout
    assert not isinstance(old._searcher().schema["created_at"], DATETIME)
