"""Mutation proof for the browser checks: a page broken on purpose makes axe, the focus check and
the layout check report a failure that names the page and the problem."""

import pytest
from django.test import override_settings

from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import DJANGO_ADMIN_KNOWN, violations
from tests.browser.test_keyboard import focus_problems
from tests.browser.test_screenshots import layout_problems


@pytest.fixture
def broken_site(site):
    """The live server answering with tests/broken_site.py: the real site plus broken pages."""
    with override_settings(ROOT_URLCONF="tests.broken_site"):
        yield site


@pytest.mark.parametrize("known", [None, DJANGO_ADMIN_KNOWN], ids=["public", "admin-allowlist"])
def test_axe_reports_an_image_without_alt_naming_the_page(broken_site, page_factory, known):
    # The admin's allowlist of Django's own faults lets this one through too.
    page = page_factory()
    page.goto(broken_site + "/broken/img-no-alt/")
    found = violations(page, "/broken/img-no-alt/", known=known)
    assert any(
        line.startswith("/broken/img-no-alt/: image-alt (critical)") and "logo.svg" in line
        for line in found
    ), found


def test_axe_reports_a_page_without_a_level_one_heading(broken_site, page_factory):
    page = page_factory()
    page.goto(broken_site + "/broken/no-h1/")
    found = violations(page, "/broken/no-h1/")
    assert any(line.startswith("/broken/no-h1/: page-has-heading-one") for line in found), found


# Pages given as HTML (no CSP header here), so the fault can be an inline style.
NO_FOCUS_RING = """<!doctype html><html lang="en"><title>t</title>
<style>a:focus { outline: none; }</style><a href="#x">Hidden focus</a>"""
TOO_WIDE = (
    """<!doctype html><html lang="en"><title>t</title>
<style>body { font-size: 14px; } .wide { width: 600px; height: 10px; }</style>
<div class="wide"></div><main><p>"""
    + "Too long a line to read with ease. " * 40
    + "</p></main>"
)


def test_focus_check_reports_a_link_without_a_focus_indicator(page_factory):
    page = page_factory(viewport=PHONE)
    page.set_content(NO_FOCUS_RING)
    assert focus_problems(page, "/no-ring/") == [
        "/no-ring/: <a> 'Hidden focus' has no visible focus indicator"
    ]


def test_layout_check_reports_sideways_scrolling_and_small_text(page_factory):
    page = page_factory(viewport=PHONE)
    page.set_content(TOO_WIDE)
    problems = layout_problems(page, "/too-wide/")
    assert problems[0].startswith("/too-wide/: ") and "at 390px: scrolls sideways" in problems[0]
    assert problems[1] == "/too-wide/: body text is 14px at 390px (16 or more)"


def test_layout_check_reports_lines_too_long_to_read(page_factory):
    page = page_factory(viewport={"width": 1280, "height": 900})
    page.set_content(TOO_WIDE)
    problems = layout_problems(page, "/too-wide/")
    assert any(
        p.startswith("/too-wide/: lines of ") and "characters at 1280px" in p for p in problems
    ), problems
