"""Keyboard-only use: move the focus with Tab and check at every stop that a sighted person sees where it is.

``FOCUS_STATE`` describes the focused element: a focus indicator counts when the element (or, for a
visually hidden control such as a styled file input, its ``<label>``) has an outline or a box shadow
while focused, and is not clipped to nothing.
"""

FOCUS_STATE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: "body", outside: true};
  const ring = (node) => {
    const style = getComputedStyle(node);
    const box = node.getBoundingClientRect();
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    return (outline || shadow) && box.width >= 4 && box.height >= 4;
  };
  const labels = el.labels ? [...el.labels] : [];
  const name = el.localName + (el.id ? "#" + el.id : "") + (el.name ? "[name=" + el.name + "]" : "")
    + " " + (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40);
  return {name: name, visible: ring(el) || labels.some(ring)};
}
"""


def focus_state(page) -> dict:
    return page.evaluate(FOCUS_STATE)


def tab_to(page, selector: str, *, limit: int = 80, backwards: bool = False) -> list[str]:
    """Press Tab (Shift+Tab) until the focused element matches ``selector``; answers the stops where
    the focus could not be seen (an empty list is what every page should give)."""
    unseen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = focus_state(page)
        if not state.get("outside") and not state["visible"]:  # outside: past the page's end, in the browser
            unseen.append(state["name"])
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return unseen
    raise AssertionError(f"{selector} was not reached with the keyboard in {limit} steps")
