"""Aktenzeichen (``Az. 32.1-4711/2026``) in rendered text become links into the city's DMS.

Works on the HTML that Markdown produced, before the sanitizer: only text outside links, code and
pre-formatted blocks is changed, and the link target is built from the configured URL.
"""

import re
from urllib.parse import quote

from flask import current_app
from markupsafe import escape

FILE_NUMBER = re.compile(r"\bAz\.\s?(\d{1,3}(?:\.\d{1,3})*-\d{1,6}/\d{4})\b")
TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
SKIP_INSIDE = {"a", "code", "pre"}


def _link(match: re.Match) -> str:
    number = match.group(1)
    url = current_app.config["NUERNBERG_DMS_URL"].format(number=quote(number, safe=""))
    return f'<a class="dms-link" href="{escape(url)}" title="Akte im DMS öffnen">{match.group(0)}</a>'


def link_file_numbers(html: str) -> str:
    """Return ``html`` with every Aktenzeichen outside links and code turned into a DMS link."""
    out, skip_depth = [], 0
    for part in TAG.split(html):
        if part.startswith("<"):
            name = TAG_NAME.match(part)
            if name and name.group(1).lower() in SKIP_INSIDE and not part.endswith("/>"):
                skip_depth += -1 if part.startswith("</") else 1
                skip_depth = max(skip_depth, 0)
            out.append(part)
        else:
            out.append(part if skip_depth else FILE_NUMBER.sub(_link, part))
    return "".join(out)
