"""Wiki Markdown: ``[[Page title]]`` and ``[[Page title|label]]`` links, heading ids and a table of contents.

The wiki link is a markdown-it inline rule, so it is not applied inside code spans or code blocks, and
its output passes through the one sanitizer (``clean_html``) like everything else. A link to a page that
exists in the same wiki points at it; a link to a missing page gets the class ``wiki-missing`` and opens
the editor for a new page of that title.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

from flask import has_request_context, request
from markdown_it import MarkdownIt

from wilma.core.markdown import _apply_plugin_filters, _link_attrs  # the core's own pipeline steps
from wilma.core.sanitize import clean_html

TITLE_MAX = 200
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_WIKILINK = re.compile(r"\[\[([^\[\]\n|]{1,200})(?:\|([^\[\]\n]{1,200}))?\]\]")


def normalise_title(title: str) -> str:
    """Titles are single-line with single spaces: what ``[[...]]`` links can name."""
    return " ".join((title or "").split())[:TITLE_MAX]


def title_key(title: str) -> str:
    """The case-insensitive key under which ``[[Title]]`` finds a page."""
    return unicodedata.normalize("NFC", normalise_title(title)).casefold()[:TITLE_MAX]


def slugify(title: str) -> str:
    """``Häufige Fragen`` -> ``haeufige-fragen``; titles without letters or digits become ``page``."""
    text = unicodedata.normalize("NFKD", normalise_title(title).translate(_UMLAUTS))
    text = text.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")
    return slug or "page"


def _root() -> str:
    return request.script_root if has_request_context() else ""


def wiki_base(group_id: int | None) -> str:
    return f"{_root()}/groups/{group_id}/wiki" if group_id is not None else f"{_root()}/wiki"


def page_url_for(group_id: int | None, path: str) -> str:
    return f"{wiki_base(group_id)}/{quote(path)}"


def new_page_url(group_id: int | None, title: str) -> str:
    return f"{wiki_base(group_id)}/-/new?{urlencode({'title': title})}"


@dataclass
class RenderResult:
    html: str
    toc: list = field(default_factory=list)  # [(level, id, text)]
    links: dict = field(default_factory=dict)  # target_key -> target_title


def _wikilink_rule(state, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = _WIKILINK.match(state.src, state.pos)
    if match is None:
        return False
    target = normalise_title(match.group(1))
    if not target:
        return False
    if not silent:
        label = normalise_title(match.group(2) or "") or target
        env = state.env
        key = title_key(target)
        env.setdefault("wiki_links", {})[key] = target
        resolve = env.get("wiki_resolve")
        url = resolve(key) if resolve else None
        opening = state.push("link_open", "a", 1)
        if url:
            opening.attrs = {"href": url, "class": "wiki-link"}
        else:
            opening.attrs = {"href": new_page_url(env.get("wiki_group_id"), target), "class": "wiki-missing",
                             "title": target}
        text = state.push("text", "", 0)
        text.content = label
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


def _heading_ids(state) -> None:
    """Give each heading a stable id (``section-<slug>``) and collect the table of contents.

    Headings move one level down (``#`` becomes ``h2``): the page title is the page's only ``h1``, so
    screen-reader users find a proper outline (WCAG 1.3.1). The contents list keeps Markdown's levels.
    """
    used: dict[str, int] = {}
    toc = state.env.setdefault("wiki_toc", [])
    tokens = state.tokens
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        inline = tokens[index + 1]
        text = "".join(child.content for child in (inline.children or [])
                       if child.type in ("text", "code_inline")) or inline.content
        text = normalise_title(text)
        base = "section-" + slugify(text)
        used[base] = used.get(base, 0) + 1
        anchor = base if used[base] == 1 else f"{base}-{used[base]}"
        token.attrSet("id", anchor)
        toc.append((int(token.tag[1]) - 1, anchor, text))


_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    .enable(["linkify", "table", "strikethrough"])
)
_md.inline.ruler.before("link", "wikilink", _wikilink_rule)
_md.core.ruler.push("wiki_heading_ids", _heading_ids)


def render_wiki(source: str, group_id: int | None, resolve=None) -> RenderResult:
    """Render ``source`` for the wiki of ``group_id``; ``resolve(title_key)`` returns a URL or None."""
    env = {"wiki_group_id": group_id, "wiki_resolve": resolve}
    raw = _md.render(source or "", env)
    html = clean_html(_apply_plugin_filters(_link_attrs(raw)))
    return RenderResult(html=html, toc=env.get("wiki_toc", []), links=env.get("wiki_links", {}))


class _HeadingCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.toc: list = []
        self._open: list | None = None

    def handle_starttag(self, tag, attrs):
        anchor = dict(attrs).get("id") or ""
        if re.fullmatch(r"h[2-6]", tag) and anchor.startswith("section-"):
            self._open = [int(tag[1]) - 1, anchor, ""]

    def handle_endtag(self, tag):
        if self._open is not None and re.fullmatch(r"h[2-6]", tag):
            self.toc.append((self._open[0], self._open[1], normalise_title(self._open[2])))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[2] += data


def toc_from_html(html: str) -> list:
    """The table of contents of HTML that ``render_wiki`` made (read back from its heading ids)."""
    collector = _HeadingCollector()
    collector.feed(html or "")
    collector.close()
    return collector.toc


def link_targets(source: str) -> dict:
    """The ``[[...]]`` targets of ``source`` (key -> title), without rendering URLs."""
    return render_wiki(source, None).links
