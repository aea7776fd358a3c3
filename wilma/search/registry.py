"""Content types tell search what to index through a *provider*.

A feature registers one provider per content type, typically in its own ``search.py`` (which
:func:`providers` imports for every installed feature, so nothing else has to import it)::

    from wilma.search.registry import Document, Provider, register_provider

    def post_document(post) -> Document:
        return Document(type="posts", object_id=post.id, title="", body=post.body,
                        url=endpoint_url("posts.show", post_id=post.id), group_id=post.group_id,
                        created_at=post.created_at, deleted=post.deleted_at is not None)

    register_provider(Provider(
        type="posts",
        iter_documents=lambda: (post_document(p) for p in db.session.scalars(select(Post))),
        load=lambda post_id: (p := db.session.get(Post, post_id)) and post_document(p),
        count=lambda: db.session.scalar(select(func.count(Post.id))),
    ))

and calls ``wilma.search.outbox.queue_index("posts:12")`` (or ``queue_delete``) in the same transaction
as each change. Type names are the tabs of the results page: posts, comments, wiki, people, groups, chat.

Who may see a document follows from four of its fields, checked at query time:
``member_group_id`` set (group chat): the MEMBERS of that group only (``member_group_ids``), even when
the group is public; ``group_id`` set: readers of that group (``readable_group_ids``); ``owner_ids`` set
(direct messages): those people; none: everyone logged in.
"""

import importlib
import importlib.util
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for

logger = logging.getLogger("wilma.search")

TYPES = ("posts", "comments", "wiki", "people", "groups", "chat")
ALIASES = {"post": "posts", "comment": "comments", "person": "people", "user": "people", "users": "people",
           "group": "groups", "message": "chat", "messages": "chat", "page": "wiki", "pages": "wiki"}


@dataclass
class Document:
    """What search knows about one object; ``key`` is ``"<type>:<object_id>"``."""

    type: str
    object_id: int
    title: str = ""
    body: str = ""
    url: str | None = None
    group_id: int | None = None
    owner_ids: tuple[int, ...] = ()
    member_group_id: int | None = None  # members of this group only (group chat), not its readers
    created_at: datetime | None = None
    deleted: bool = False
    names: str = ""  # matched by prefix (people search)
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return make_key(self.type, self.object_id)

    def acl_tokens(self) -> list[str]:
        """The index terms that say who may see this document (see the module docstring)."""
        if self.member_group_id is not None:
            return [f"m{self.member_group_id}"]
        if self.group_id is not None:
            return [f"g{self.group_id}"]
        if self.owner_ids:
            return [f"u{uid}" for uid in self.owner_ids]
        return ["public"]

    def visible_to(self, user_id: int | None, readable_groups: set[int], member_groups: set[int] = frozenset()) -> bool:
        """The same rule as :meth:`acl_tokens`, on a freshly loaded document."""
        if self.deleted:
            return False
        if self.member_group_id is not None:
            return self.member_group_id in member_groups
        if self.group_id is not None:
            return self.group_id in readable_groups
        if self.owner_ids:
            return user_id in self.owner_ids
        return True


@dataclass
class Provider:
    """One content type: every document for a rebuild, one document by id, and (optional) a count."""

    type: str
    iter_documents: Callable[[], Iterable[Document]]
    load: Callable[[int], Document | None]
    count: Callable[[], int] | None = None
    load_many: Callable[[list[int]], dict[int, Document]] | None = None

    def load_documents(self, object_ids: list[int]) -> dict[int, Document]:
        """Current documents by id (missing objects are absent from the answer)."""
        if self.load_many is not None:
            return self.load_many(object_ids)
        found = {}
        for object_id in object_ids:
            document = self.load(object_id)
            if document is not None:
                found[object_id] = document
        return found


_PROVIDERS: dict[str, Provider] = {}
_LOADED = {"done": False}


def make_key(type_name: str, object_id: int) -> str:
    return f"{type_name}:{object_id}"


def split_key(key: str) -> tuple[str, int] | None:
    """``("posts", 12)`` for ``"posts:12"``, or ``None`` for a malformed key."""
    type_name, _, raw_id = key.partition(":")
    try:
        return type_name, int(raw_id)
    except ValueError:
        return None


def register_provider(provider: Provider) -> None:
    """Add (or replace) the provider of ``provider.type``."""
    _PROVIDERS[provider.type] = provider


def unregister_provider(type_name: str) -> None:
    """Remove a provider (tests register their own and clean up)."""
    _PROVIDERS.pop(type_name, None)


def _load_feature_providers() -> None:
    """Import ``wilma.<feature>.search`` of every installed feature once, plus the built-in ones."""
    if _LOADED["done"]:
        return
    _LOADED["done"] = True
    from wilma import installed_features

    importlib.import_module("wilma.search.providers")
    for feature in installed_features():
        name = f"wilma.{feature}.search"
        if feature != "search" and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def providers() -> dict[str, Provider]:
    """Every registered provider by type name."""
    _load_feature_providers()
    return dict(_PROVIDERS)


def provider_for(type_name: str) -> Provider | None:
    return providers().get(type_name)


def load_keys(keys: list[str]) -> dict[str, Document]:
    """The current document of each key whose object exists (deleted ones too, marked), by key; one
    ``load_documents`` per type. Malformed keys and types without a provider are left out."""
    by_type: dict[str, list[int]] = {}
    for key in keys:
        parsed = split_key(key)
        if parsed is not None:
            by_type.setdefault(parsed[0], []).append(parsed[1])
    registered = providers()
    return {doc.key: doc for type_name, ids in by_type.items() if type_name in registered
            for doc in registered[type_name].load_documents(ids).values()}


def normalise_type(value: str | None) -> str | None:
    """A type name from a request (``post`` and ``posts`` both mean ``posts``), or ``None`` for all."""
    value = (value or "").strip().lower()
    if not value or value == "all":
        return None
    return ALIASES.get(value, value)


def endpoint_url(endpoint: str, **values) -> str | None:
    """``url_for`` that answers ``None`` where no URL can be built (a rebuild from the command line)."""
    try:
        return url_for(endpoint, **values)
    except (RuntimeError, LookupError, ValueError):
        return None
    except Exception:  # werkzeug BuildError when the endpoint is not installed
        logger.debug("no URL for %s", endpoint)
        return None
