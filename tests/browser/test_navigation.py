"""The home page in a real browser, at phone and desktop widths, and every page the navigation reaches."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE


def assert_no_horizontal_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_page_fits_the_screen_without_errors(page_factory, site, viewport):
    page = page_factory(viewport)

    response = page.goto(site + "/")

    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_no_horizontal_scroll(page)
    assert page.console_errors == []
    assert page.failed_requests == []


def nav_targets(page):
    return page.eval_on_selector_all(
        "header nav:visible a", "links => links.map(link => link.getAttribute('href'))"
    )


def test_desktop_navigation_reaches_every_page(page_factory, site):
    page = page_factory(DESKTOP)
    page.goto(site + "/")
    targets = nav_targets(page)
    assert len(targets) >= 5

    for href in targets:
        page.goto(site + "/")
        page.locator(f'header nav:visible a[href="{href}"]').click()
        page.wait_for_url(site + href)
        assert page.locator("h1").count() == 1, href
        assert page.title()
        assert_no_horizontal_scroll(page)
    assert page.console_errors == []


def test_phone_menu_opens_and_reaches_every_page(page_factory, site):
    page = page_factory(PHONE)
    page.goto(site + "/")
    assert page.locator(".nav-desktop").is_hidden()

    page.get_by_text("Menu").click()
    targets = nav_targets(page)
    assert len(targets) >= 5

    for href in targets:
        page.goto(site + "/")
        page.get_by_text("Menu").click()
        page.locator(f'header nav:visible a[href="{href}"]').click()
        page.wait_for_url(site + href)
        assert page.locator("h1").count() == 1, href
        assert_no_horizontal_scroll(page)
    assert page.console_errors == []


def test_phone_menu_works_without_javascript(page_factory, site):
    page = page_factory(PHONE, javascript=False)
    page.goto(site + "/")

    page.get_by_text("Menu").click()
    page.locator('header nav:visible a[href="/about/"]').click()

    page.wait_for_url(site + "/about/")
    assert "About" in page.locator("h1").inner_text()
