"""Diffs between two texts (line matching with difflib, word-level inside changed lines) and the
three-way merge of concurrent edits (``merge3``).

The diff's HTML is built only from escaped text (``markupsafe.escape``) and our own ``<del>``/``<ins>``
tags, so templates can output it without ``|safe`` and the API can return it as it is.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape
from merge3 import Merge3

CONTEXT = 3
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def normalise_body(text: str) -> str:
    """One newline convention (browsers post CRLF), and a final newline so merges line up."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text if not text or text.endswith("\n") else text + "\n"


@dataclass
class DiffLine:
    kind: str  # "equal", "delete", "insert", "skip"
    old_no: int | None
    new_no: int | None
    html: Markup


def _words(old: str, new: str) -> tuple[Markup, Markup]:
    """Mark the changed words of one changed line: ``<del>`` in the old, ``<ins>`` in the new."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    old_parts, new_parts = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            old_parts.append(removed)
            new_parts.append(added)
            continue
        if removed:
            old_parts.append(Markup("<del>%s</del>") % "".join(a[i1:i2]))
        if added:
            new_parts.append(Markup("<ins>%s</ins>") % "".join(b[j1:j2]))
    return Markup("").join(old_parts), Markup("").join(new_parts)


def diff_lines(old_text: str, new_text: str, context: int = CONTEXT) -> list[DiffLine]:
    """A unified diff as lines; long unchanged stretches are folded to ``context`` lines (kind ``skip``)."""
    old, new = (old_text or "").splitlines(), (new_text or "").splitlines()
    rows: list[DiffLine] = []
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            count = i2 - i1
            # context after the change before this run and before the change after it; none at the ends
            head = count if context is None else (context if index > 0 else 0)
            tail = count if context is None else (context if index < len(opcodes) - 1 else 0)
            folded = False
            for k in range(count):
                if head <= k < count - tail and head + tail < count:
                    if not folded:
                        rows.append(DiffLine("skip", None, None, Markup("")))
                        folded = True
                    continue
                rows.append(DiffLine("equal", i1 + k + 1, j1 + k + 1, escape(old[i1 + k])))
            continue
        if op == "replace":
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                old_html, new_html = _words(old[i1 + k], new[j1 + k])
                rows.append(DiffLine("delete", i1 + k + 1, None, old_html))
                rows.append(DiffLine("insert", None, j1 + k + 1, new_html))
            i1, j1 = i1 + pairs, j1 + pairs
        for k in range(i1, i2):
            rows.append(DiffLine("delete", k + 1, None, Markup("<del>%s</del>") % old[k]))
        for k in range(j1, j2):
            rows.append(DiffLine("insert", None, k + 1, Markup("<ins>%s</ins>") % new[k]))
    if context is not None and rows and all(r.kind in ("equal", "skip") for r in rows):
        return []
    return rows


def diff_html(old_text: str, new_text: str) -> Markup:
    """The diff as one HTML fragment (a list of lines), for the API and simple embedding."""
    items = []
    marks = {"equal": " ", "delete": "-", "insert": "+", "skip": "…"}
    for row in diff_lines(old_text, new_text):
        items.append(Markup('<li class="diff-%s"><span class="diff-mark">%s</span>%s</li>')
                     % (row.kind, marks[row.kind], row.html))
    return Markup('<ol class="wiki-diff">%s</ol>') % Markup("").join(items)


def diff_stats(old_text: str, new_text: str) -> tuple[int, int]:
    rows = diff_lines(old_text, new_text, context=None)
    return sum(r.kind == "insert" for r in rows), sum(r.kind == "delete" for r in rows)


def merge_three_way(base: str, mine: str, theirs: str) -> str | None:
    """Merge my edit and theirs, both made from ``base``; ``None`` when the changes overlap."""
    merger = Merge3(normalise_body(base).splitlines(True), normalise_body(mine).splitlines(True),
                    normalise_body(theirs).splitlines(True))
    merged: list[str] = []
    for group in merger.merge_groups():
        if group[0] == "conflict":
            return None
        merged.extend(group[1])
    return "".join(merged)
