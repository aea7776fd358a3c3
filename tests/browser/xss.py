"""Proof that no script runs: a hook on ``alert``/``confirm``/``prompt`` and a check of the rendered DOM.

``Watch(page)`` installs, before any of the page's own scripts, a replacement for the three dialog
functions in every frame that reports each call to Python (and ``page.on("dialog")`` catches a real
dialog, should one bypass it). After each page load ``Watch.visit`` runs ``DOM_CHECK``, which does not
depend on a vector actually firing (many need a click, a focus or an old browser): it lists every
element with an event-handler attribute, every URL attribute with a ``javascript:``-like scheme (as the
DOM has decoded it), script elements that are not the app's own files, and elements that load other
documents or change the page's base. The browser context runs with ``bypass_csp`` so that the page's
Content-Security-Policy cannot hide a hole in the escaping or the sanitizer.
"""

HOOK_SCRIPT = """
(() => {
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = function (message) {
      try { window.__xssReport(name + ": " + String(message) + " @ " + location.href); } catch (e) {}
      return name === "confirm" ? false : null;
    };
  }
})();
"""

DOM_CHECK = """
() => {
  const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster",
    "background", "lowsrc", "dynsrc", "codebase", "cite", "ping", "manifest", "icon", "longdesc", "usemap"]);
  const ANIMATION_VALUES = new Set(["values", "to", "from", "by"]);
  const FOREIGN = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
    "fencedframe"]);
  const dangerousUrl = (value) => {
    // what the URL parser sees: tabs and line breaks removed, leading blanks and controls ignored
    const url = value.replace(/[\\t\\n\\r]/g, "").replace(/^[\\u0000-\\u0020]+/, "").toLowerCase();
    return url.startsWith("javascript:") || url.startsWith("vbscript:") || url.startsWith("data:text/html")
      || url.startsWith("data:image/svg") || url.startsWith("data:application");
  };
  const ownFile = (value) => {
    try {
      const url = new URL(value, location.href);
      return url.origin === location.origin && url.pathname.startsWith("/static/");
    } catch (e) { return false; }
  };
  const ownScript = (el) => el.hasAttribute("src") && !el.textContent.trim() && ownFile(el.getAttribute("src"));
  const describe = (el, why) => why + ": " + el.outerHTML.slice(0, 160);
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(describe(el, "event handler " + name));
      else if ((URL_ATTRIBUTES.has(name) || name.endsWith(":href")) && dangerousUrl(attr.value))
        found.push(describe(el, "script URL in " + name));
      else if (name === "srcdoc") found.push(describe(el, "srcdoc"));
      else if (ANIMATION_VALUES.has(name) && /script:/i.test(attr.value.replace(/\\s/g, "")))
        found.push(describe(el, "animated script URL"));
      else if (name === "style" && /expression\\s*\\(|script:|behavior\\s*:|-moz-binding/i.test(attr.value))
        found.push(describe(el, "scripting style"));
      else if (name === "attributename" && /^(on|href|xlink:href)/i.test(attr.value))
        found.push(describe(el, "animated attribute " + attr.value));
    }
    if (tag === "script" && !ownScript(el)) found.push(describe(el, "foreign script"));
    if (FOREIGN.has(tag)) found.push(describe(el, "embedded document"));
    if (tag === "meta" && el.hasAttribute("http-equiv")) found.push(describe(el, "meta http-equiv"));
    if (tag === "link" && el.parentElement !== document.head && !ownFile(el.getAttribute("href") || ""))
      found.push(describe(el, "foreign link"));
  }
  return found;
}
"""

# Used by the detector's own test: what a successful injection would leave in the page.
INJECTED = [
    '<img src="/no-such-image" onerror="alert(\'injected\')">',
    '<a href=" JaVa&#x09;ScRiPt:alert(1)">link</a>',
    '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
    '<script>alert(1)</script>',
    '<iframe src="/feed"></iframe>',
]


class Watch:
    """A page whose every load is checked; ``problems`` collects what was found, with the place."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.pages_checked = 0
        page.expose_function("__xssReport", lambda message: self.problems.append(f"ran {message}"))
        page.add_init_script(HOOK_SCRIPT)
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.problems.append(f"dialog {dialog.type}: {dialog.message} @ {self.page.url}")
        dialog.dismiss()

    def visit(self, url: str, expect_status: int | None = 200):
        """Open ``url``, wait until it has loaded, and check it; returns the response."""
        response = self.page.goto(url, wait_until="load")
        if expect_status is not None:
            assert response.status == expect_status, f"{url}: {response.status}"
        self.check()
        return response

    def check(self, where: str | None = None) -> list[str]:
        """Run the DOM check on the page as it is now; returns (and collects) what it found."""
        where = where or self.page.url
        found = [f"{where}: {item}" for item in self.page.evaluate(DOM_CHECK)]
        self.problems.extend(found)
        self.pages_checked += 1
        return found
