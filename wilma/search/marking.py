"""Marking the matched words of fresh text for results pages: a title whole, a body in passages.

This does what Whoosh's ``highlight`` did here (``WholeFragmenter`` for titles; ``ContextFragmenter``
with two passages of at most ``maxchars`` characters and ``surround`` characters of context for bodies;
the passages with the most matches, in text order, joined by " … "), in one scan of the words with the
analyzer's per-word cache: Whoosh's token pipeline cost as much as the search itself at 200,000
documents. The answer is escaped text with ``<mark>``; callers still pass it through the sanitizer.
"""

from markupsafe import escape

from wilma.search.analysis import WORD_PATTERN_RE, normalise_word

BETWEEN = " … "


def words(text: str, terms: frozenset[str], stem: bool) -> list[tuple[int, int, bool]]:
    """``(start, end, matched)`` of every word of ``text``; matched when its index term is in ``terms``."""
    return [(match.start(), match.end(), normalise_word(match.group(0), stem) in terms)
            for match in WORD_PATTERN_RE.finditer(text)]


def _render(text: str, spans: list[tuple[int, int, bool]], start: int, end: int) -> str:
    out, position = [], start
    for first, last, matched in spans:
        if matched and start <= first and last <= end:
            out.append(str(escape(text[position:first])))
            out.append(f"<mark>{escape(text[first:last])}</mark>")
            position = last
    out.append(str(escape(text[position:end])))
    return "".join(out)


def mark_whole(text: str, terms: frozenset[str], stem: bool) -> str:
    """All of ``text`` with its matches marked, or ``""`` when nothing matched."""
    spans = words(text, terms, stem)
    if not any(matched for _, _, matched in spans):
        return ""
    return _render(text, spans, 0, len(text))


def mark_passages(text: str, terms: frozenset[str], stem: bool, maxchars: int = 220, surround: int = 60,
                  top: int = 2) -> str:
    """Up to ``top`` passages around the matches, or ``""`` when nothing matched."""
    spans = words(text, terms, stem)
    hits = [index for index, (_, _, matched) in enumerate(spans) if matched]
    passages = []  # (number of matches, start char, end char)
    while hits:
        first = hits[0]
        begin = first
        while begin > 0 and spans[first][1] - spans[begin - 1][0] <= surround:
            begin -= 1
        start = spans[begin][0]
        taken = [h for h in hits if spans[h][1] - start <= maxchars] or [first]
        last = taken[-1]
        finish = last
        while (finish + 1 < len(spans) and spans[finish + 1][1] - spans[last][0] <= surround
               and spans[finish + 1][1] - start <= maxchars):
            finish += 1
        passages.append((len(taken), start, spans[finish][1]))
        hits = [h for h in hits if h > finish]
    best = sorted(sorted(passages, key=lambda p: -p[0])[:top], key=lambda p: p[1])
    return BETWEEN.join(_render(text, spans, start, end) for _, start, end in best)
