"""Each page template at phone and desktop width: a full-page screenshot into
test-artifacts/screenshots/ (the suite prints the folder) to look at, and no sideways scrolling.
Screenshots are JPEG: Chromium encodes one in about half the time of a PNG."""

import re

from tests.browser.conftest import DESKTOP, PHONE


def slug(path):
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


# The longest line of each paragraph of running text, in characters: its widest line box divided
# by the paragraph's own average character width.
LONGEST_LINE = """() => {
  let longest = [0, ""];
  for (const el of document.querySelectorAll("main p, main li, main dd, main blockquote")) {
    const text = el.textContent.replace(/\\s+/g, " ").trim();
    if (text.length < 120) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    let widest = 0, total = 0;
    for (const box of range.getClientRects()) {
      widest = Math.max(widest, box.width);
      total += box.width;
    }
    const chars = Math.round(widest / (total / text.length));
    if (chars > longest[0]) longest = [chars, text.slice(0, 40)];
  }
  return longest;
}"""
MAX_LINE = 80  # characters: readable lines are 45 to 75, near 70 for this site's body text


def layout_problems(page, path):
    """No sideways scrolling; body text at least 16 px; lines of running text near 70 chars."""
    problems = []
    width = page.evaluate("window.innerWidth")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"{path}: {scroll_width}px wide at {width}px: scrolls sideways")
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    if body_size < 16:
        problems.append(f"{path}: body text is {body_size}px at {width}px (16 or more)")
    chars, text = page.evaluate(LONGEST_LINE)
    if chars > MAX_LINE:
        problems.append(f"{path}: lines of {chars} characters at {width}px in {text!r}...")
    return problems


def test_every_page_template_fits_phone_and_desktop_widths(
    site, site_template_pages, page_factory, artifacts_dir
):
    folder = artifacts_dir / "screenshots"
    folder.mkdir(exist_ok=True)
    paths = [*site_template_pages, "/no-such-page/"]
    problems = []
    for viewport in (PHONE, DESKTOP):
        page = page_factory(viewport=viewport)
        width = viewport["width"]
        for path in paths:
            page.goto(site + path)
            page.screenshot(path=folder / f"{slug(path)}-{width}.jpg", full_page=True)
            problems += layout_problems(page, path)
    assert not problems, "\n" + "\n".join(problems)


def test_open_phone_menu_fits_the_screen(site, page_factory, artifacts_dir):
    folder = artifacts_dir / "screenshots"
    folder.mkdir(exist_ok=True)
    page = page_factory(viewport=PHONE)
    page.goto(site + "/")
    page.click("summary.nav-toggle")
    page.screenshot(path=folder / "menu-open-390.jpg")
    menu = page.locator(".nav-mobile nav").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= PHONE["width"], menu
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
