"""axe-core (shipped in tests/browser/vendor, MPL-2.0) run inside a Playwright page.

Injecting the script with ``add_script_tag(content=...)`` would be an inline script that the site's CSP
blocks, so the file is evaluated through the DevTools protocol instead (``page.evaluate``).
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """The WCAG 2.1 AA violations of the current page with the given impact levels."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"] if v["impact"] in impacts
    ]


def heading_levels(page) -> list[int]:
    return page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
