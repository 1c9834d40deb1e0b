"""Old addresses in a real browser, with the page cache on as in production: a redirect staff
add works at once, and a post's slug change keeps its old address."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from blog.demo import SLUG
from tests.browser.conftest import sign_in

TITLE = "What Runners Need For Perfect Spine Alignment?"


@pytest.fixture
def staff_page(site, page_factory, page_cache_on):
    get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    page = page_factory()
    sign_in(page, site, "boss", "pw-boss-123")
    return page


def test_a_redirect_added_in_the_admin_works_at_once(site, staff_page, page_factory):
    visitor = page_factory()
    assert visitor.goto(site + "/post/our-team").status == 404
    visitor.goto(site + "/about/")  # stored in the page cache for the next visitor

    staff_page.goto(site + "/admin/clinic/redirect/add/")
    staff_page.fill("#id_old_path", "https://old-clinic.example/post/our-team")
    staff_page.fill("#id_new_path", "/about/")
    staff_page.click("input[name=_save]")
    expect(staff_page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(staff_page.locator("#result_list")).to_contain_text("/post/our-team")

    visitor.goto(site + "/post/our-team")
    assert visitor.url == site + "/about/"
    expect(visitor.locator("h1")).to_be_visible()


def test_a_slug_change_in_the_admin_keeps_the_old_address(site, staff_page, page_factory):
    visitor = page_factory()
    visitor.goto(site + f"/blog/{SLUG}/")
    expect(visitor.locator("h1")).to_have_text(TITLE)

    staff_page.goto(site + "/admin/blog/post/")
    staff_page.get_by_role("link", name=TITLE).click()
    expect(staff_page.locator("div.tiptap[contenteditable=true]")).to_be_visible()
    staff_page.fill("#id_slug", "spine-alignment-for-runners")
    staff_page.click("input[name=_save]")
    expect(staff_page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(staff_page.locator(".messagelist")).to_contain_text(
        f"The old address /blog/{SLUG}/ now leads here"
    )

    visitor.goto(site + f"/blog/{SLUG}/")
    assert visitor.url == site + "/blog/spine-alignment-for-runners/"
    expect(visitor.locator("h1")).to_have_text(TITLE)

    staff_page.goto(site + "/admin/clinic/redirect/")
    expect(staff_page.locator("#result_list")).to_contain_text(f"/blog/{SLUG}/")
    expect(staff_page.locator("#result_list")).to_contain_text("The slug changed.")
