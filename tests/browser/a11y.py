"""WCAG 2.1 AA checks that axe does not make, measured from the browser's computed styles:

- 1.4.11 non-text contrast: the border of every form control against what surrounds it, in
  its default, hovered, focused, checked and invalid states (disabled controls are exempt);
- 2.4.7 focus visible, held to 1.4.11 as well: every interactive element shows a solid
  outline of at least 2 px whose colour has 3:1 against the colour next to it;
- 1.4.10 reflow: at 320 CSS px nothing makes the page scroll sideways;
- 1.4.4 resize text: with the text at 200 % the page neither scrolls sideways nor clips text.

The contrast maths is WCAG's own (relative luminance of sRGB, ratio (L1 + 0.05) / (L2 + 0.05)),
written out here so the test depends on nothing that could change it.
"""

import re
from dataclasses import dataclass, field

MIN_NON_TEXT_CONTRAST = 3.0
MIN_OUTLINE_WIDTH = 2.0
REFLOW_WIDTH = 320
DESKTOP = {"width": 1280, "height": 900}
NO_LINE = {"none", "hidden"}

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")


def parse_colour(css: str) -> tuple[float, float, float, float]:
    """A computed colour (Chromium gives `rgb(r, g, b)` or `rgba(r, g, b, a)`) as r, g, b in
    0–255 and alpha in 0–1."""
    css = css.strip()
    if css == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    match = _RGB.fullmatch(css)
    if not match:
        raise ValueError(f"cannot read the computed colour {css!r}")
    r, g, b, a = match.groups()
    alpha = 1.0 if a is None else (float(a[:-1]) / 100 if a.endswith("%") else float(a))
    return (float(r), float(g), float(b), alpha)


def over(top: tuple[float, float, float, float], below: tuple[float, float, float]):
    """`top` painted over the opaque colour `below` (source-over compositing)."""
    r, g, b, a = top
    return tuple(a * c + (1 - a) * d for c, d in zip((r, g, b), below, strict=True))


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour (channels 0–255)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2.1's contrast ratio of two opaque colours, from 1 to 21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    lighter, darker = max(la, lb), min(la, lb)
    return (lighter + 0.05) / (darker + 0.05)


def backdrop(stack: list[str]) -> tuple[float, float, float]:
    """The opaque colour behind an element: the background colours of its ancestors
    (innermost first) painted from the white canvas inwards."""
    colour = (255.0, 255.0, 255.0)
    for css in reversed(stack):
        colour = over(parse_colour(css), colour)
    return colour


# Functions shared by the scripts below, which run in the page and return plain data for
# the Python side to judge.
_HELPERS_JS = r"""
  const shown = (el) => {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    // Visually hidden helpers (Bootstrap's .visually-hidden) are 1 px boxes clipped away.
    return r.width > 2 && r.height > 2 && s.clip === "auto" && s.clipPath === "none";
  };
  const stack = (el) => {
    const out = [];
    for (let n = el; n; n = n.parentElement) out.push(getComputedStyle(n).backgroundColor);
    return out;
  };
  const name = (el) => {
    let text = el.id ? "#" + el.id : "";
    if (!text) {
      const label = (el.labels && el.labels[0] && el.labels[0].textContent) ||
        el.getAttribute("aria-label") || el.textContent || el.getAttribute("name") || "";
      text = '"' + label.trim().replace(/\s+/g, " ").slice(0, 40) + '"';
    }
    const type = el.type && el.tagName !== "BUTTON" ? "[type=" + el.type + "]" : "";
    return el.tagName.toLowerCase() + type + " " + text;
  };
  const label = (el) => el.tagName.toLowerCase() + (typeof el.className === "string" &&
    el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const control = (el, state) => {
    const s = getComputedStyle(el);
    return {
      name: name(el), state, background: s.backgroundColor, around: stack(el.parentElement),
      border: ["Top", "Right", "Bottom", "Left"].map((side) => ({
        width: parseFloat(s["border" + side + "Width"]),
        style: s["border" + side + "Style"],
        color: s["border" + side + "Color"],
      })),
    };
  };
"""

# One evaluate per page: every visible, enabled control in its default, invalid, checked and
# focused states, and every focusable element's focus outline.
_MEASURE_JS = (
    "() => {"
    + _HELPERS_JS
    + r"""
  const CONTROLS = 'input:not([type=hidden]):not([type=submit]):not([type=button])' +
    ':not([type=reset]):not([type=image]), select, textarea';
  const controls = [...document.querySelectorAll(CONTROLS)]
    .filter((el) => !el.disabled && shown(el));
  const measured = [];
  for (const el of controls) {
    measured.push(control(el, "default"));
    if (el.classList.contains("is-invalid")) continue;
    // How the page marks a field with an error (crispy-forms, our templates).
    el.classList.add("is-invalid");
    el.setAttribute("aria-invalid", "true");
    measured.push(control(el, "invalid"));
    el.classList.remove("is-invalid");
    el.removeAttribute("aria-invalid");
  }
  const toggles = controls.filter((el) => el.type === "checkbox" || el.type === "radio");
  const checked = toggles.map((el) => el.checked);
  for (const el of toggles) {
    el.checked = true;  // no events: nothing on the page reacts
    measured.push(control(el, "checked"));
  }
  toggles.forEach((el, i) => { el.checked = checked[i]; });

  const FOCUSABLE = 'a[href], area[href], button, input:not([type=hidden]), select, ' +
    'textarea, summary, iframe, [contenteditable=""], [contenteditable=true], ' +
    '[tabindex]:not([tabindex="-1"])';
  const focusable = [...document.querySelectorAll(FOCUSABLE)]
    .filter((el) => !el.disabled && shown(el));
  const focus = [];
  const x = window.scrollX, y = window.scrollY;
  for (const el of focusable) {
    el.focus({preventScroll: true});
    if (document.activeElement !== el) {
      focus.push({name: name(el), focused: false});
      continue;
    }
    const s = getComputedStyle(el);
    focus.push({
      name: name(el), focused: true, visible: el.matches(":focus-visible"),
      style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
      offset: parseFloat(s.outlineOffset), own: stack(el), around: stack(el.parentElement),
    });
    if (el.matches(CONTROLS)) measured.push(control(el, "focus"));
    el.blur();
  }
  window.scrollTo(x, y);
  return {controls: measured, focus};
}
"""
)

# A control under the pointer.
_HOVERED_JS = "(el) => {" + _HELPERS_JS + 'return control(el, "hover"); }'

# How wide the page is, and whatever sticks out past the right edge, to name it.
_WIDTH_JS = (
    "(limit) => {"
    + _HELPERS_JS
    + r"""
  const wide = [], spilling = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > limit + 1 && wide.length < 5) {
      wide.push(label(el) + " right=" + Math.round(r.right));
    }
    // Text wider than its own box (a long word) spills out without moving any box.
    if (el.clientWidth && el.scrollWidth > el.clientWidth + 1) spilling.push(label(el));
  }
  if (!wide.length) wide.push(...spilling.slice(-3).map((n) => n + " (its text spills out)"));
  return {width: document.documentElement.scrollWidth, wide};
}
"""
)

# Text that a box with overflow hidden cuts off (WCAG 1.4.4: no loss of content).
_CLIPPED_JS = (
    "() => {"
    + _HELPERS_JS
    + r"""
  const clipped = [];
  const hides = ["hidden", "clip"];
  for (const el of document.body.querySelectorAll("*")) {
    const s = getComputedStyle(el);
    if (!hides.includes(s.overflowX) && !hides.includes(s.overflowY)) continue;
    if (s.clip !== "auto" || !el.checkVisibility() || !el.textContent.trim()) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) continue;
    if ((hides.includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
        (hides.includes(s.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
      clipped.push(label(el));
    }
  }
  return clipped;
}
"""
)


@dataclass
class Findings:
    """Every failure on one page, so one run names them all."""

    url: str
    problems: list[str] = field(default_factory=list)
    controls: int = 0
    focusable: int = 0

    def add(self, problem: str) -> None:
        self.problems.append(problem)


def _boundary_contrast(control: dict) -> float:
    """How well the control's edge stands out from what surrounds it: the best of its
    border colour and its own fill against the backdrop (a filled control needs no
    border)."""
    around = backdrop(control["around"])
    fill = over(parse_colour(control["background"]), around)
    best = contrast(fill, around)
    drawn = [s for s in control["border"] if s["width"] > 0 and s["style"] not in NO_LINE]
    if drawn:
        edge = min(contrast(over(parse_colour(s["color"]), around), around) for s in drawn)
        best = max(best, edge)
    return best


def _judge_controls(findings: Findings, controls: list[dict]) -> None:
    for control in controls:
        ratio = _boundary_contrast(control)
        if ratio < MIN_NON_TEXT_CONTRAST:
            findings.add(
                f"{control['name']} ({control['state']}): border {ratio:.2f}:1 against "
                f"its background, needs {MIN_NON_TEXT_CONTRAST}:1"
            )


def _judge_focus(findings: Findings, focus: list[dict]) -> None:
    for item in focus:
        if not item["focused"]:
            findings.add(f"{item['name']}: shown and enabled but cannot take focus")
            continue
        if not item["visible"]:
            findings.add(f"{item['name']}: focused from the keyboard without :focus-visible")
            continue
        if item["style"] in NO_LINE or item["width"] < MIN_OUTLINE_WIDTH:
            findings.add(
                f"{item['name']}: focus outline {item['style']} {item['width']}px, "
                f"needs a solid outline of {MIN_OUTLINE_WIDTH}px or more"
            )
            continue
        # An outline drawn outside the element (offset >= 0) sits on the parent's colour;
        # one drawn inside sits on the element's own.
        behind = backdrop(item["around"] if item["offset"] >= 0 else item["own"])
        ratio = contrast(over(parse_colour(item["color"]), behind), behind)
        if ratio < MIN_NON_TEXT_CONTRAST:
            findings.add(
                f"{item['name']}: focus outline {item['color']} is {ratio:.2f}:1 against "
                f"the colour next to it, needs {MIN_NON_TEXT_CONTRAST}:1"
            )


# One control of each kind is hovered: the pointer cannot be faked from script.
_HOVER_SAMPLES = (
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
    ":not([type=submit]):not([type=button]):not(:disabled)",
    "select:not(:disabled)",
    "textarea:not(:disabled)",
    "input[type=checkbox]:not(:disabled)",
    "input[type=radio]:not(:disabled)",
)


def check_page(page, url: str) -> Findings:
    """Load `url` once and measure it at desktop width (controls, focus, hover), at 320 px
    (reflow) and with the text at 200 % (resize text)."""
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    assert response is not None and response.status < 500, f"{url} answered {response.status}"
    page.wait_for_load_state("load")
    findings = Findings(url=page.url)
    # A key press first: focus moved by script after keyboard use shows :focus-visible, as
    # focus moved by Tab does.
    page.keyboard.press("Shift")
    measured = page.evaluate(_MEASURE_JS)
    findings.controls = sum(1 for c in measured["controls"] if c["state"] == "default")
    findings.focusable = len(measured["focus"])
    _judge_controls(findings, measured["controls"])
    _judge_focus(findings, measured["focus"])

    for selector in _HOVER_SAMPLES:
        for handle in page.query_selector_all(selector):
            if handle.is_visible():
                handle.hover(force=True)
                _judge_controls(findings, [handle.evaluate(_HOVERED_JS)])
                break
    page.mouse.move(0, 0)

    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    reflow = page.evaluate(_WIDTH_JS, REFLOW_WIDTH)
    if reflow["width"] > REFLOW_WIDTH:
        findings.add(
            f"at {REFLOW_WIDTH}px the page is {reflow['width']}px wide (sideways scrolling): "
            + ", ".join(reflow["wide"])
        )

    page.set_viewport_size(DESKTOP)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    zoomed = page.evaluate(_WIDTH_JS, DESKTOP["width"])
    if zoomed["width"] > DESKTOP["width"]:
        findings.add(
            f"with text at 200% the page is {zoomed['width']}px wide: " + ", ".join(zoomed["wide"])
        )
    clipped = page.evaluate(_CLIPPED_JS)
    if clipped:
        findings.add("with text at 200% text is cut off in: " + ", ".join(clipped[:5]))
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    return findings
