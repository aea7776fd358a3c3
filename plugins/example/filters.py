"""A render filter: file numbers such as ``AZ-2026-0042`` become links to the city's document system.

Filters run on the HTML of rendered Markdown before the sanitizer. This one only touches text, never tags,
and leaves text that already is a link alone.
"""

import re

from flask import current_app
from markupsafe import escape

FILE_NUMBER = re.compile(r"\bAZ-(\d{4})-(\d{1,6})\b")
TAG = re.compile(r"(<[^>]*>)")


def link_file_numbers(html: str) -> str:
    """Wrap every file number outside a link in ``<a href="EXAMPLE_FILE_URL">``."""
    template = current_app.config["EXAMPLE_FILE_URL"]
    out, in_link = [], 0
    for part in TAG.split(html):
        if part.startswith("<"):
            if re.match(r"<a[\s>]", part):
                in_link += 1
            elif part.startswith("</a"):
                in_link = max(0, in_link - 1)
            out.append(part)
        elif in_link:
            out.append(part)
        else:
            out.append(FILE_NUMBER.sub(lambda m: _link(template, m), part))
    return "".join(out)


def _link(template: str, match: re.Match) -> str:
    url = template.format(number=match.group(0))
    return f'<a class="example-file" href="{escape(url)}">{match.group(0)}</a>'
