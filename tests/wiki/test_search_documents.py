"""Wiki pages as search documents: a results page loads its pages in one query, with the text of the
current revision, the group and the trash state the index and the visibility check need."""

from tests.queries import QueryCounter
from wilma.extensions import db
from wilma.search.registry import provider_for
from wilma.wiki import services
from wilma.wiki.pages import page_url


def test_pages_load_in_one_query_with_their_current_text(app, make_user, make_group, make_page, admin):
    anna = make_user("anna")
    team = make_group("Bauamt", visibility="private", members={anna: "owner"})
    pages = [make_page(anna, f"Seite {n}", f"Erster Text {n}\n", group=team) if n % 2 else
             make_page(admin, f"Seite {n}", f"Erster Text {n}\n") for n in range(6)]  # the city-wide wiki
    edited = services.save_page(admin, pages[0].id, "Zweiter Text über Straßen\n", pages[0].current_revision_id)
    services.delete_page(anna, pages[1].id)
    db.session.expire_all()
    provider = provider_for("wiki")

    counts = []
    for ids in ([p.id for p in pages[:2]], [p.id for p in pages] + [999999]):
        with QueryCounter(db.engine) as counter:
            documents = provider.load_documents(ids)
        counts.append(counter.count)
        db.session.expire_all()
    assert counts[0] == counts[1] == 1
    assert set(documents) == {p.id for p in pages}  # the missing id is absent
    assert documents[pages[0].id].body == "Zweiter Text über Straßen\n" and edited.changed
    assert documents[pages[1].id].deleted and not documents[pages[2].id].deleted
    assert documents[pages[1].id].group_id == team.id and documents[pages[2].id].group_id is None
    assert documents[pages[2].id].title == "Seite 2" and documents[pages[2].id].url == page_url(pages[2])
    assert provider.load(pages[3].id) == documents[pages[3].id]
    assert provider.load(999999) is None
