"""Every XSS vector of the corpus written into every place people write, through the app's services.

``write_everything(vectors)`` runs in a request context of ``tests.browser.site.Site`` and returns a
``Hostile`` that says where each batch landed. Vector ``i`` is written by ``puppets[i]``, an account
whose display name, job title, phone, room and "about me" are that vector, so that every author name,
every notification's actor and every directory entry is hostile too. The reader is ``vera`` (an
administrator, so the admin pages count as well), who owns the groups and receives the notifications.

Where a place shows one text per page (a profile, a group's description, a wiki page), batches of about
50 vectors share one object (``chunks``), so that a page shows ~50 vectors at once. Bodies end with the
word ``MARKER`` on a paragraph of its own, so that one search finds them without changing how the
vector itself is parsed.
"""

import io
from dataclasses import dataclass, field

from werkzeug.datastructures import FileStorage

from tests.corpora import xss_vectors

PASSWORD = "vera-liest-alles-2026"
MARKER = "xssprobe"
CHUNK_CHARS = 9000  # below the 10,000 characters of a description or an "about me"


def corpus() -> list[str]:
    return [item["data"] for item in xss_vectors() if item["data"].strip()]


def chunked(vectors: list[str], size: int = 50) -> list[list[int]]:
    """Indexes of ``vectors`` in batches of at most ``size`` and ``CHUNK_CHARS`` characters."""
    batches, current, length = [], [], 0
    for i, vector in enumerate(vectors):
        if current and (len(current) == size or length + len(vector) + 2 > CHUNK_CHARS):
            batches.append(current)
            current, length = [], 0
        current.append(i)
        length += len(vector) + 2
    return batches + [current]


def marked(vector: str) -> str:
    return f"{vector}\n\n{MARKER}"


@dataclass
class Hostile:
    vectors: list[str]
    chunks: list[list[int]]
    mallory_id: int = 0  # who writes through the forms in the browser
    puppet_ids: list[int] = field(default_factory=list)
    chunk_user_ids: list[int] = field(default_factory=list)   # "about me" of a whole batch
    chunk_group_ids: list[int] = field(default_factory=list)  # description, posts, chat of a batch
    channel_ids: list[int] = field(default_factory=list)  # each batch group's chat
    vector_group_ids: list[int] = field(default_factory=list)  # one group per vector: name, category
    comment_post_id: int = 0  # vera's post with every vector as a comment
    wiki_page_id: int = 0  # a page of all vectors, with all vectors as attachment names
    wiki_revisions: tuple[int, int] = (0, 0)  # its first and second revision
    title_page_ids: list[int] = field(default_factory=list)  # one wiki page per vector as its title


def _file(name: str, data: bytes = b"just text\n") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def write_everything(vectors: list[str]) -> Hostile:
    """Write ``vectors`` everywhere (in a request context of the site's app); see the module's docstring."""
    from wilma.accounts import services as accounts
    from wilma.groups import membership
    from wilma.groups import services as groups
    from wilma.posts import services as posts

    out = Hostile(vectors=vectors, chunks=chunked(vectors))
    vera = accounts.create_user("vera", PASSWORD, display_name="Vera Leserin", is_admin=True)
    mallory = accounts.create_user("mallory", PASSWORD, display_name=vectors[0][:120])
    out.mallory_id = mallory.id
    puppets = []
    for i, vector in enumerate(vectors):
        puppet = accounts.create_user(f"p{i:03d}", None)
        accounts.update_profile(puppet, {"display_name": vector[:120], "job_title": vector[:200],
                                         "phone": vector[:80], "room": vector[:80], "about": marked(vector)})
        puppets.append(puppet)
    out.puppet_ids = [p.id for p in puppets]
    for n, batch in enumerate(out.chunks):
        _write_batch(out, n, batch, vera, mallory, puppets)
    target = posts.create_post(vera, body="Please comment", group_id=out.chunk_group_ids[0])
    out.comment_post_id = target.id
    for i, vector in enumerate(vectors):  # vera is notified of each comment
        posts.add_comment(puppets[i], target.id, body=marked(vector))
    _write_wiki(out, vera, puppets)
    for i, vector in enumerate(vectors):  # one private group per vector, and a request to join it
        group = groups.create_group(vera, {"name": vector[:120], "description": marked(vector),
                                           "category": vector[:80], "visibility": "private"})
        out.vector_group_ids.append(group.id)
        membership.join(puppets[i], group.id)
    return out


def _write_batch(out: Hostile, n: int, batch: list[int], vera, mallory, puppets) -> None:
    """A group whose description holds the batch, with a post and a chat message per vector."""
    from wilma.accounts import services as accounts
    from wilma.chat import attachments as chat_files
    from wilma.chat.messages import send_message
    from wilma.chat.services import group_channel
    from wilma.groups import membership
    from wilma.groups import services as groups
    from wilma.posts import attachments as post_files
    from wilma.posts import services as posts

    vectors = out.vectors
    text = "\n\n".join(vectors[i] for i in batch)
    reader = accounts.create_user(f"about{n}", None, display_name=f"About {n}")
    accounts.update_profile(reader, {"about": text})
    out.chunk_user_ids.append(reader.id)
    group = groups.create_group(vera, {"name": f"Batch {n}", "description": text, "visibility": "public"})
    out.chunk_group_ids.append(group.id)
    membership.join(mallory, group.id)
    channel = group_channel(group.id)
    out.channel_ids.append(channel.id)
    for i in batch:
        puppet, vector = puppets[i], vectors[i]
        membership.join(puppet, group.id)
        upload = post_files.store_upload(puppet, io.BytesIO(b"just text\n"), vector)
        posts.create_post(puppet, body=marked(vector), group_id=group.id, attachment_ids=[upload.id])
        send_message(puppet, channel.id, marked(vector), f"hostile-{i}",
                     attachments=[chat_files.prepare(_file(vector + ".txt"))])


def _write_wiki(out: Hostile, vera, puppets) -> None:
    """In the first batch group's wiki: one page of all vectors (two revisions, so that there is an old
    one and a diff; every vector as an attachment name) and one page per vector as its title."""
    from wilma.groups import membership
    from wilma.wiki import attachments as wiki_files
    from wilma.wiki import services as wiki

    vectors, group_id = out.vectors, out.chunk_group_ids[0]
    page = wiki.create_page(vera, group_id, "All vectors", "\n\n".join(vectors), summary=vectors[1][:200])
    wiki.set_watch(vera, page.id, True)
    first = page.current_revision_id
    second = wiki.save_page(puppets[2], page.id, "\n\n".join(reversed(vectors)), first,
                            summary=vectors[2][:200]).revision.id
    out.wiki_page_id, out.wiki_revisions = page.id, (first, second)
    for i, vector in enumerate(vectors):
        membership.join(puppets[i], group_id)  # the other batches' authors too
        wiki_files.add_attachment(puppets[i], page.id, _file(vector))
        title_page = wiki.create_page(puppets[i], group_id, f"{vector[:190]} {i}", marked(vector),
                                      summary=vector[:200])
        out.title_page_ids.append(title_page.id)
