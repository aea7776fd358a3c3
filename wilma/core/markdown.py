"""Markdown to safe HTML: CommonMark (markdown-it-py), clickable links, plugin filters, the sanitizer.

Rendered once when text is written; callers store the source and the returned HTML.
"""

from flask import current_app, has_app_context
from markdown_it import MarkdownIt

from wilma.core.sanitize import clean_html

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    .enable(["linkify", "table", "strikethrough"])
)
# Raw HTML is escaped, not passed through: what users type as tags shows as text.

_inline = MarkdownIt("zero", {"linkify": True}).enable(
    ["emphasis", "backticks", "linkify", "link", "autolink", "strikethrough", "newline", "escape"]
)


def _link_attrs(html: str) -> str:
    return html.replace("<a href=", '<a rel="nofollow noopener" href=')


def _apply_plugin_filters(html: str) -> str:
    if not has_app_context():
        return html
    registry = current_app.extensions.get("wilma_plugins")
    if registry is None:
        return html
    for filters in registry.hook.wilma_render_filters():
        for fn in filters or []:
            html = fn(html)
    return html


def render_markdown(source: str) -> str:
    """Full CommonMark (headings, lists, tables, code) for posts, comments, wiki pages and profiles."""
    return clean_html(_apply_plugin_filters(_link_attrs(_md.render(source or ""))))


def render_inline_markdown(source: str) -> str:
    """The subset chat uses: emphasis, code, links and line breaks, no block structure."""
    return clean_html(_apply_plugin_filters(_link_attrs(_inline.render(source or ""))))
