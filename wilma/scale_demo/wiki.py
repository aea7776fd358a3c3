"""Wiki pages of the scale data set: a tenth in the city-wide wiki, the rest in group wikis, with history.

A third of the pages sit under another page of the same wiki (``parent/child`` paths). Each page has one
or more revisions (about eight on average); the page points at its last one. Bodies have no ``[[links]]``,
so the stored HTML and ``link_state`` are exactly what the wiki service stores for such text.
"""

from wilma.scale_demo.content import NOUNS, TOPICS
from wilma.wiki.markup import slugify, title_key
from wilma.wiki.models import WikiPage, WikiRevision
from wilma.wiki.pages import link_state

PAGE_COLUMNS = ("id", "group_id", "parent_id", "title", "title_key", "slug", "path", "current_revision_id",
                "created_by_id", "created_at", "updated_at")
REVISION_COLUMNS = ("id", "page_id", "number", "title", "body", "html", "link_state", "summary", "author_id",
                    "parent_revision_id", "created_at")
SUMMARIES = ("", "", "Tippfehler korrigiert", "Abschnitt ergänzt", "Fristen aktualisiert", "Links geprüft",
             "Neue Ansprechpartner", "Überarbeitet")
BATCH = 5_000


def _wikis(world):
    """``(group_id or None, people who may edit)`` for each page, city-wide for one page in ten."""
    rng = world.rng
    for _ in range(world.scale.wiki_pages):
        if rng.random() < 0.1 or not world.groups:
            yield None, world.user_ids
        else:
            group = rng.choice(world.groups)
            yield group["id"], group["members"]


def generate(world) -> list:
    rng, scale, writer, pools = world.rng, world.scale, world.writer, world.pools
    no_links = link_state(None, [], known={})
    page_id, revision_id = writer.next_id(WikiPage.__table__), writer.next_id(WikiRevision.__table__)
    per_page = scale.wiki_revisions / max(scale.wiki_pages, 1)
    roots: dict[int | None, list[tuple[int, str]]] = {}
    pages, revisions = [], []
    for n, (group_id, editors) in enumerate(_wikis(world)):
        title = f"{rng.choice(NOUNS)} {rng.choice(TOPICS)} {n + 1}"
        slug = slugify(title)
        siblings = roots.setdefault(group_id, [])
        parent = rng.choice(siblings) if siblings and rng.random() < 0.33 else None
        path = f"{parent[1]}/{slug}" if parent else slug
        if parent is None:
            siblings.append((page_id, path))
        count = 1 + int(rng.expovariate(1 / (per_page - 0.5))) if per_page > 1 else 1
        created = world.moment(0.2 + 0.6 * n / scale.wiki_pages)
        author = rng.choice(editors)
        previous = None
        for number in range(1, count + 1):
            body = rng.choice(pools.wiki)
            at = created + (world.now - created) * (number - 1) / count
            revisions.append((revision_id, page_id, number, title, body.body, body.html, no_links,
                              "" if number == 1 else rng.choice(SUMMARIES), author, previous, at))
            previous, revision_id = revision_id, revision_id + 1
            author = rng.choice(editors) if rng.random() < 0.5 else author
        pages.append((page_id, group_id, parent[0] if parent else None, title, title_key(title), slug, path,
                      previous, editors[0] if rng.random() < 0.3 else author, created, at))
        page_id += 1
        if len(pages) >= BATCH:
            _flush(writer, pages, revisions)
    _flush(writer, pages, revisions)
    return [WikiPage.__table__, WikiRevision.__table__]


def _flush(writer, pages: list, revisions: list) -> None:
    writer.write(WikiPage.__table__, PAGE_COLUMNS, pages, "Wiki pages")
    writer.write(WikiRevision.__table__, REVISION_COLUMNS, revisions, "Wiki revisions")
    pages.clear()
    revisions.clear()
