"""The one HTML policy. Every piece of user HTML passes through ``clean_html`` last.

Rendered Markdown, plugin render filters and search snippets all end here; nothing else may be marked
safe in a template. The policy allows the structure Markdown produces, links with http(s)/mailto and
site-relative targets, and images only from this site.
"""

import bleach
from bleach.css_sanitizer import CSSSanitizer

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "mark", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul", "span",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "class", "rel"],
    "abbr": ["title"],
    "img": lambda tag, name, value: _img_attribute_allowed(name, value),
    "th": ["align"],
    "td": ["align"],
    "span": ["class"],
    "code": ["class"],
    "mark": [],
    "h1": ["id"], "h2": ["id"], "h3": ["id"], "h4": ["id"], "h5": ["id"], "h6": ["id"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def is_site_path(value: str | None) -> bool:
    """True for a path on this site (``/people?q=a``), false for anything a browser could take elsewhere.

    Browsers drop tabs and line breaks inside URLs and read a backslash as a slash, so "/", a tab and
    "/evil.example" lead off-site although the text starts with a single slash.
    """
    if not value or not value.startswith("/") or "\\" in value:
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return False
    return not value.startswith("//")


def _img_attribute_allowed(name: str, value: str) -> bool:
    """Images only from this site: no tracking pixels, no ``data:`` or ``javascript:`` sources."""
    if name == "src":
        return is_site_path(value)
    return name in ("alt", "title", "width", "height")


def clean_html(html: str) -> str:
    """Return ``html`` reduced to the allowed tags, attributes and URL schemes."""
    return _cleaner.clean(html or "")


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    css_sanitizer=CSSSanitizer(allowed_css_properties=[]),
)


def clean_text(text: str) -> str:
    """Escape plain text for places that show it inside HTML built outside a template."""
    return bleach.clean(text or "", tags=set(), strip=True)
