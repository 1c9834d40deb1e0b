"""Keyboard only: the phone menu can be reached, opened and used, and focus is always visible."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE

# What the focused element shows: an outline (or, failing that, a box shadow) of some width.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40),
    href: el.getAttribute('href'),
    outline: style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0,
    shadow: style.boxShadow !== 'none',
    visible: el.getClientRects().length > 0,
  };
}"""


def focused(page):
    return page.evaluate(FOCUS_STYLE)


def describe(info):
    return f"<{info['tag']}> {info['text']!r}"


def tab_until(page, predicate, limit=30):
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if info and predicate(info):
            return info
    raise AssertionError("never reached by Tab")


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_phone_menu_is_reached_opened_and_followed_with_the_keyboard(site, page_factory, key):
    page = page_factory(viewport=PHONE)
    page.goto(site + "/")
    toggle = tab_until(page, lambda info: info["tag"] == "summary")
    assert toggle["text"] == "Menu"
    assert page.locator("details.nav-mobile").get_attribute("open") is None
    page.keyboard.press(key)
    assert page.locator("details.nav-mobile").get_attribute("open") is not None
    assert page.locator("summary.nav-toggle").get_attribute("aria-expanded") in (None, "true")
    link = tab_until(page, lambda info: info["tag"] == "a")
    assert link["visible"], "the first menu link is focused but not shown"
    assert link["href"] == "/services/", describe(link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + "/services/"


def test_phone_menu_closes_with_the_keyboard(site, page_factory):
    page = page_factory(viewport=PHONE)
    page.goto(site + "/")
    tab_until(page, lambda info: info["tag"] == "summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert page.locator("details.nav-mobile").get_attribute("open") is None


def test_skip_link_is_first_and_moves_focus_to_the_main_content(site, page_factory):
    page = page_factory(viewport=PHONE)
    page.goto(site + "/about/")
    page.keyboard.press("Tab")
    info = focused(page)
    assert info["href"] == "#main-content" and info["visible"], info
    assert page.locator(".skip-link").bounding_box()["y"] >= 0, "skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


# As each element takes focus, what FOCUS_STYLE says of it; null when focus leaves the document
# (Tab past the last element). Read once per batch of Tabs rather than after each: half the
# round trips to the browser.
RECORD_FOCUS = f"""() => {{
  window.focusRecord = [];
  document.addEventListener("focusin", () => window.focusRecord.push(({FOCUS_STYLE})()), true);
  document.addEventListener(
    "focusout", event => event.relatedTarget === null && window.focusRecord.push(null), true);
}}"""


def tab_through(page, limit, batch=10):
    """What each element Tab reaches shows, in order, up to the last or `limit` of them."""
    page.evaluate(RECORD_FOCUS)
    for pressed in range(0, limit, batch):
        for _ in range(min(batch, limit - pressed)):
            page.keyboard.press("Tab")
        record = page.evaluate("window.focusRecord")
        if None in record:
            return record[: record.index(None)]
    return record[:limit]


def focus_problems(page, path, limit=80):
    """Tab through the loaded page: each focused element must be shown, with an outline."""
    reached = tab_through(page, limit)
    problems = []
    for info in reached:
        if not info["visible"]:
            problems.append(f"{path}: {describe(info)} takes focus but is not shown")
        elif info["outline"] < 2 and not info["shadow"]:
            problems.append(f"{path}: {describe(info)} has no visible focus indicator")
    if not reached:
        problems.append(f"{path}: nothing can be reached with Tab")
    return problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_focus_is_always_visible(site, site_template_pages, page_factory, viewport):
    # Each page template once: how focus shows is the stylesheet's rule for each kind of element,
    # and pages of one template hold the same kinds (a service's page and another's differ in text).
    page = page_factory(viewport=viewport)
    problems = []
    for path in site_template_pages:
        page.goto(site + path)
        problems += focus_problems(page, path)
    assert not problems, "\n" + "\n".join(problems)
